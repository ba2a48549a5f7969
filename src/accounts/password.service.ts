import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { PasswordHashingSlots } from './password-hashing-slots.js';

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane); hashing runs on libuv's thread pool. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Every hash and verification takes one of the slots: when they are all taken, a 503 (see PasswordHashingSlots). */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;

  constructor(private readonly slots: PasswordHashingSlots = new PasswordHashingSlots()) {}

  hash(password: string): Promise<string> {
    return this.slots.run(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.slots.run(() => verifyOrFalse(hash, password));
  }

  /**
   * Spends the same work as a real verification, for logins with an unknown e-mail,
   * so response time does not reveal which e-mails are registered.
   */
  async verifyAgainstDummy(password: string): Promise<false> {
    await this.slots.run(async () => verifyOrFalse(await this.dummy(), password));
    return false;
  }

  /** Made once, inside the caller's slot; a failure is not kept, so the next login tries again. */
  private dummy(): Promise<string> {
    this.dummyHash ??= argon2.hash('dummy password for timing equalisation', ARGON2_OPTIONS).catch((err: unknown) => {
      this.dummyHash = undefined;
      throw err;
    });
    return this.dummyHash;
  }
}

async function verifyOrFalse(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
