import { Injectable, Logger } from '@nestjs/common';
import { AdminAccountsService } from '../auth/admin-accounts.service.js';
import { AppConfig } from '../config/app-config.js';
import { PrismaService } from '../database/prisma.service.js';
import { DEMO_CATALOGUE } from './demo-catalogue.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@shop.local';

/**
 * Development seed, run at start-up outside production: on an empty database, the first
 * admin (ADMIN_EMAIL / ADMIN_PASSWORD, or a generated password printed once) and a demo
 * catalogue. It never touches a database that already has users or categories.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly prisma: PrismaService,
    private readonly admins: AdminAccountsService,
    private readonly config: AppConfig,
  ) {}

  async run(): Promise<void> {
    if ((await this.prisma.user.count()) === 0) {
      const result = await this.admins.create({
        email: this.config.seed.adminEmail ?? DEFAULT_ADMIN_EMAIL,
        password: this.config.seed.adminPassword,
      });
      // Not "created": another instance seeding the same empty database got there first.
      if (result.outcome === 'created') {
        this.logger.log(`Created the first admin: ${result.email}`);
        if (result.generatedPassword) {
          // Printed once, outside the JSON log, and stored only as an argon2id hash.
          process.stdout.write(
            `\n  Admin account: ${result.email}\n  Password:      ${result.generatedPassword}\n  (shown once; set ADMIN_EMAIL/ADMIN_PASSWORD to choose them)\n\n`,
          );
        }
      }
    }
    if ((await this.prisma.category.count()) === 0) {
      for (const { products, ...category } of DEMO_CATALOGUE) {
        await this.prisma.category.create({ data: { ...category, products: { create: products } } });
      }
      this.logger.log(`Seeded a demo catalogue of ${DEMO_CATALOGUE.length} categories`);
    }
  }
}
