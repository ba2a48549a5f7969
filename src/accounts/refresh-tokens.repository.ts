import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service.js';
import { kysely } from '../database/kysely.js';
import { PrismaService } from '../database/prisma.service.js';
import { NOW_UTC } from '../database/sql-fragments.js';
import { statement } from '../database/statement.js';
import type { SqlRunner } from '../database/sql-runner.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type RotationResult = { outcome: 'rotated'; userId: number; token: string } | { outcome: 'invalid' } | { outcome: 'reused' };

/** The token's expiry as ISO text, which a `timestamp(3)` column stores as the UTC it is. */
const expiryIn = (ttlSeconds: number) => new Date(Date.now() + ttlSeconds * 1000).toISOString();

/** Revokes every live token of a login: the family given, or the family of the token with that hash. */
const revokeFamily = (db: SqlRunner, family: { familyId: string } | { tokenHash: string }) =>
  db.rowCount(
    statement(
      kysely
        .updateTable('RefreshToken')
        .set({ revokedAt: NOW_UTC })
        .where(
          'familyId',
          '=',
          'familyId' in family ? family.familyId : (eb) => eb.selectFrom('RefreshToken').select('familyId').where('tokenHash', '=', family.tokenHash),
        )
        .where('revokedAt', 'is', null),
    ),
  );

/**
 * Refresh tokens: opaque random strings, stored only as SHA-256. Tokens of one login form a
 * family; each refresh spends the presented token and issues the next one in the family.
 */
@Injectable()
export class RefreshTokensRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly database: Database,
  ) {}

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
  rotate(token: string, ttlSeconds: number): Promise<RotationResult> {
    const next = randomBytes(32).toString('base64url');
    return this.database.transaction(async (tx): Promise<RotationResult> => {
      const [row] = await tx.rows(
        statement(
          kysely
            .selectFrom('RefreshToken')
            .select(['id', 'userId', 'familyId', 'usedAt', 'revokedAt', 'expiresAt'])
            .where('tokenHash', '=', hashToken(token))
            .forUpdate(),
        ),
      );
      if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { outcome: 'invalid' };
      if (row.usedAt) {
        await revokeFamily(tx, { familyId: row.familyId });
        return { outcome: 'reused' };
      }
      await tx.rowCount(statement(kysely.updateTable('RefreshToken').set({ usedAt: NOW_UTC }).where('id', '=', row.id)));
      await tx.rowCount(
        statement(
          kysely
            .insertInto('RefreshToken')
            .values({ userId: row.userId, familyId: row.familyId, tokenHash: hashToken(next), expiresAt: expiryIn(ttlSeconds), createdAt: NOW_UTC }),
        ),
      );
      return { outcome: 'rotated', userId: row.userId, token: next };
    });
  }

  /** Revokes the login (token family) the token belongs to, in one statement. Unknown tokens are ignored. */
  async revokeFamilyOf(token: string): Promise<void> {
    await revokeFamily(this.database.primary, { tokenHash: hashToken(token) });
  }
}
