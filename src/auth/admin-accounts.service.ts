import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { normaliseEmail } from './email/normalise-email.js';
import { PasswordService } from './password.service.js';

export interface AdminAccountResult {
  email: string;
  outcome: 'created' | 'promoted' | 'unchanged';
  /** Set when the password was generated: show it once, it is stored only as a hash. */
  generatedPassword?: string;
}

/** Creates the first admin (seed) or creates/promotes one from the command line (create-admin). */
@Injectable()
export class AdminAccountsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly passwords: PasswordService,
  ) {}

  async createOrPromote(input: { email: string; password?: string; name?: string }): Promise<AdminAccountResult> {
    const email = normaliseEmail(input.email);
    const existing = await this.prisma.user.findUnique({ where: { email } });
    if (existing) {
      if (existing.role === 'admin') return { email, outcome: 'unchanged' };
      await this.prisma.user.update({ where: { id: existing.id }, data: { role: 'admin' } });
      return { email, outcome: 'promoted' };
    }
    const generatedPassword = input.password ? undefined : randomBytes(12).toString('base64url');
    await this.prisma.user.create({
      data: {
        email,
        name: input.name ?? 'Administrator',
        role: 'admin',
        passwordHash: await this.passwords.hash(input.password ?? generatedPassword!),
      },
    });
    return { email, outcome: 'created', generatedPassword };
  }
}
