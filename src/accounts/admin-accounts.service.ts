import { isRefusal } from '../database/write-refusal.js';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { User } from '../generated/prisma/client.js';
import { type PromoteResult, UsersRepository } from '../users/users.repository.js';
import { normaliseEmail } from '../common/email/normalise-email.js';
import { PasswordService } from './password.service.js';

export type CreateAdminResult =
  /** generatedPassword is set when none was given: show it once, it is stored only as a hash. */
  { outcome: 'created'; email: string; generatedPassword?: string } | { outcome: 'exists'; email: string };

/**
 * Admin accounts for the seed (the first admin) and create-admin. Creating never touches an
 * existing account; promoting is a separate, explicit step that leaves the password alone.
 */
@Injectable()
export class AdminAccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
  ) {}

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(normaliseEmail(email));
  }

  async create(input: { email: string; password?: string; name?: string }): Promise<CreateAdminResult> {
    const email = normaliseEmail(input.email);
    const generatedPassword = input.password === undefined ? randomBytes(12).toString('base64url') : undefined;
    const created = await this.users.create({
      email,
      name: input.name ?? 'Administrator',
      role: 'admin',
      passwordHash: await this.passwords.hash(input.password ?? generatedPassword!),
    });
    if (isRefusal(created)) return { outcome: 'exists', email };
    return { outcome: 'created', email, generatedPassword };
  }

  promote(userId: number): Promise<PromoteResult> {
    return this.users.promote(userId);
  }
}
