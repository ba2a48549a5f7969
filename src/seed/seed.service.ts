import { Injectable, Logger } from '@nestjs/common';
import { AdminAccountsService } from '../accounts/admin-accounts.service.js';
import { AppConfig } from '../config/app-config.js';
import { PrismaService } from '../database/prisma.service.js';
import { DEMO_CATALOGUE } from './demo-catalogue.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@shop.local';

export interface SeedResult {
  /** The first admin, when this run created it; `generatedPassword` only when none was given. */
  admin?: { email: string; generatedPassword?: string };
  categoriesAdded: number;
  productsAdded: number;
}

/**
 * Development seed: the first admin (ADMIN_EMAIL / ADMIN_PASSWORD, or a generated password
 * shown once) on a database without users, and the demo catalogue. At start-up (run) the
 * catalogue goes only into a database without categories; `npm run db:seed` (run with
 * { fillMissing: true }) adds whatever demo category or product is missing, by slug and SKU,
 * and never changes an existing row, so it can be run again and again.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly prisma: PrismaService,
    private readonly admins: AdminAccountsService,
    private readonly config: AppConfig,
  ) {}

  async run({ fillMissing = false } = {}): Promise<SeedResult> {
    const result: SeedResult = { categoriesAdded: 0, productsAdded: 0 };
    if ((await this.prisma.user.count()) === 0) {
      const created = await this.admins.create({
        email: this.config.seed.adminEmail ?? DEFAULT_ADMIN_EMAIL,
        password: this.config.seed.adminPassword,
      });
      // Not "created": another instance seeding the same empty database got there first.
      if (created.outcome === 'created') {
        this.logger.debug(`Created the first admin: ${created.email}`);
        result.admin = { email: created.email, generatedPassword: created.generatedPassword };
      }
    }
    if (fillMissing || (await this.prisma.category.count()) === 0) await this.addMissingCatalogue(result);
    return result;
  }

  private async addMissingCatalogue(result: SeedResult): Promise<void> {
    for (const { products, ...category } of DEMO_CATALOGUE) {
      let existing = await this.prisma.category.findUnique({ where: { slug: category.slug }, select: { id: true } });
      if (!existing) {
        existing = await this.prisma.category.create({ data: category, select: { id: true } });
        result.categoriesAdded++;
      }
      for (const product of products) {
        if (await this.prisma.product.findUnique({ where: { sku: product.sku }, select: { id: true } })) continue;
        await this.prisma.product.create({ data: { ...product, categoryId: existing.id } });
        result.productsAdded++;
      }
    }
    if (result.categoriesAdded + result.productsAdded > 0) {
      this.logger.log(`Demo catalogue: added ${result.categoriesAdded} categories and ${result.productsAdded} products`);
    }
  }
}
