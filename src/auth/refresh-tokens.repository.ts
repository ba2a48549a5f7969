import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type RotationResult = { outcome: 'rotated'; userId: number; token: string } | { outcome: 'invalid' } | { outcome: 'reused' };

/**
 * Refresh tokens: opaque random strings, stored only as SHA-256. Tokens of one login form a
 * family; each refresh spends the presented token and issues the next one in the family.
 */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  async issue(userId: number, ttlSeconds: number, familyId: string = randomUUID()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.prisma.refreshToken.create({
      data: { userId, familyId, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlSeconds * 1000) },
    });
    return token;
  }

  /**
   * Spends `token` and issues its successor. A token that was already spent is a reuse
   * (a stolen copy, or a replay): the whole family is revoked, so the newest token dies too.
   */
  async rotate(token: string, ttlSeconds: number): Promise<RotationResult> {
    const next = randomBytes(32).toString('base64url');
    return this.prisma.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<Array<{ id: number; userId: number; familyId: string; usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }>>`
        SELECT id, "userId", "familyId"::text AS "familyId", "usedAt", "revokedAt", "expiresAt"
        FROM "RefreshToken" WHERE "tokenHash" = ${hashToken(token)} FOR UPDATE`;
      if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { outcome: 'invalid' } as const;
      if (row.usedAt) {
        await tx.refreshToken.updateMany({ where: { familyId: row.familyId, revokedAt: null }, data: { revokedAt: new Date() } });
        return { outcome: 'reused' } as const;
      }
      await tx.refreshToken.update({ where: { id: row.id }, data: { usedAt: new Date() } });
      await tx.refreshToken.create({
        data: { userId: row.userId, familyId: row.familyId, tokenHash: hashToken(next), expiresAt: new Date(Date.now() + ttlSeconds * 1000) },
      });
      return { outcome: 'rotated', userId: row.userId, token: next } as const;
    });
  }

  /** Revokes the login (token family) the token belongs to. Unknown tokens are ignored. */
  async revokeFamilyOf(token: string): Promise<void> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) }, select: { familyId: true } });
    if (!row) return;
    await this.prisma.refreshToken.updateMany({ where: { familyId: row.familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
