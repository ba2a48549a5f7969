import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { User } from '../generated/prisma/client.js';
import { normaliseEmail } from './email/normalise-email.js';
import { PasswordService } from './password.service.js';

export type CreateAdminResult =
  /** generatedPassword is set when none was given: show it once, it is stored only as a hash. */
  { outcome: 'created'; email: string; generatedPassword?: string } | { outcome: 'exists'; email: string };

export type PromoteResult = 'promoted' | 'already-admin' | 'not-found';

/**
 * Admin accounts for the seed (the first admin) and create-admin. Creating never touches an
 * existing account; promoting is a separate, explicit step that leaves the password alone.
 */
@Injectable()
export class AdminAccountsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly passwords: PasswordService,
  ) {}

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email: normaliseEmail(email) } });
  }

  async create(input: { email: string; password?: string; name?: string }): Promise<CreateAdminResult> {
    const email = normaliseEmail(input.email);
    const generatedPassword = input.password === undefined ? randomBytes(12).toString('base64url') : undefined;
    try {
      await this.prisma.user.create({
        data: {
          email,
          name: input.name ?? 'Administrator',
          role: 'admin',
          passwordHash: await this.passwords.hash(input.password ?? generatedPassword!),
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') return { outcome: 'exists', email };
      throw err;
    }
    return { outcome: 'created', email, generatedPassword };
  }

  async promote(userId: number): Promise<PromoteResult> {
    const { count } = await this.prisma.user.updateMany({ where: { id: userId, role: { not: 'admin' } }, data: { role: 'admin' } });
    if (count === 1) return 'promoted';
    return (await this.prisma.user.findUnique({ where: { id: userId } })) ? 'already-admin' : 'not-found';
  }
}
