import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency.js';
import { NOW_UTC } from './orders.repository.js';
import type { Tx } from './pg-transaction.js';

export type KeyClaim = { outcome: 'claimed'; id: number } | { outcome: 'exists'; requestHash: string; responseStatus: number; responseBody: unknown };

/** Stripe-style idempotency keys of POST /v1/orders, scoped per user, kept 24 hours. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Claims (userId, key) inside the caller's transaction, before anything else is touched.
   * The unique index does the coordination: while another transaction holds an uncommitted
   * claim on the same key, this INSERT waits for it; if that one commits, the stored row is
   * returned ("exists"); if it rolls back, this one claims the key. An expired row is taken
   * over as if it were absent. The placeholder response is replaced by `storeResponse` before
   * the claiming transaction commits, so no other transaction ever sees it.
   */
  async claim(tx: Tx, userId: number, key: string, requestHash: string): Promise<KeyClaim> {
    const claimed = await tx.query<{ id: number }>(
      `INSERT INTO "IdempotencyKey" ("userId", key, "requestHash", "responseStatus", "responseBody", "createdAt", "expiresAt")
       VALUES ($1, $2, $3, 0, 'null'::jsonb, ${NOW_UTC}, ${NOW_UTC} + interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours')
       ON CONFLICT ("userId", key) DO UPDATE
         SET "requestHash" = EXCLUDED."requestHash", "orderId" = NULL, "responseStatus" = 0, "responseBody" = 'null'::jsonb,
             "createdAt" = EXCLUDED."createdAt", "expiresAt" = EXCLUDED."expiresAt"
         WHERE "IdempotencyKey"."expiresAt" <= ${NOW_UTC}
       RETURNING id`,
      [userId, key, requestHash],
    );
    if (claimed.rows.length === 1) return { outcome: 'claimed', id: claimed.rows[0].id };
    // A live row exists and is committed; this new statement's snapshot sees it (READ COMMITTED).
    const { rows } = await tx.query<{ requestHash: string; responseStatus: number; responseBody: unknown }>(
      `SELECT "requestHash", "responseStatus", "responseBody" FROM "IdempotencyKey" WHERE "userId" = $1 AND key = $2`,
      [userId, key],
    );
    return { outcome: 'exists', ...rows[0] };
  }

  async storeResponse(tx: Tx, id: number, orderId: number, status: number, body: unknown): Promise<void> {
    await tx.query(`UPDATE "IdempotencyKey" SET "orderId" = $2, "responseStatus" = $3, "responseBody" = $4::jsonb WHERE id = $1`, [
      id,
      orderId,
      status,
      JSON.stringify(body),
    ]);
  }

  /** Deletes up to `limit` expired keys; returns how many. */
  async deleteExpired(limit = 1000): Promise<number> {
    const result = await this.prisma.pool.query(
      `DELETE FROM "IdempotencyKey" WHERE id IN (
         SELECT id FROM "IdempotencyKey" WHERE "expiresAt" <= ${NOW_UTC} ORDER BY "expiresAt" LIMIT $1
       )`,
      [limit],
    );
    return result.rowCount ?? 0;
  }
}
