import { Injectable } from '@nestjs/common';
import { type Selectable, sql } from 'kysely';
import { Database } from '../database/database.service.js';
import { type DB, kysely } from '../database/kysely.js';
import { NOW_UTC } from '../database/sql-fragments.js';
import { precompiled, statement } from '../database/statement.js';
import type { Transaction } from '../database/unit-of-work.js';
import { IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency.js';

type StoredResponse = Pick<Selectable<DB['IdempotencyKey']>, 'requestHash' | 'responseStatus' | 'responseBody'>;

export type KeyClaim = { outcome: 'claimed'; id: number } | ({ outcome: 'exists' } & StoredResponse);

const EXPIRES_AT = sql<Date>`${NOW_UTC} + interval '${sql.raw(String(IDEMPOTENCY_KEY_TTL_HOURS))} hours'`;

// The statements of POST /v1/orders with an Idempotency-Key: compiled once (placing orders is the hot path).
const claimStatement = precompiled((p: { userId: number; key: string; requestHash: string }) =>
  kysely
    .insertInto('IdempotencyKey')
    .values({
      userId: p.userId,
      key: p.key,
      requestHash: p.requestHash,
      responseStatus: sql.lit(0),
      responseBody: sql`'null'::jsonb`,
      createdAt: NOW_UTC,
      expiresAt: EXPIRES_AT,
    })
    .onConflict((oc) =>
      oc
        .columns(['userId', 'key'])
        .doUpdateSet((eb) => ({
          requestHash: eb.ref('excluded.requestHash'),
          orderId: null,
          responseStatus: sql.lit(0),
          responseBody: sql`'null'::jsonb`,
          createdAt: eb.ref('excluded.createdAt'),
          expiresAt: eb.ref('excluded.expiresAt'),
        }))
        .where('IdempotencyKey.expiresAt', '<=', NOW_UTC),
    )
    .returning('id'),
);

const storedResponseStatement = precompiled((p: { userId: number; key: string }) =>
  kysely.selectFrom('IdempotencyKey').select(['requestHash', 'responseStatus', 'responseBody']).where('userId', '=', p.userId).where('key', '=', p.key),
);

const storeResponseStatement = precompiled((p: { id: number; orderId: number; status: number; body: string }) =>
  kysely
    .updateTable('IdempotencyKey')
    .set({ orderId: p.orderId, responseStatus: p.status, responseBody: sql`${p.body}::jsonb` })
    .where('id', '=', p.id),
);

/** Stripe-style idempotency keys of POST /v1/orders, scoped per user, kept 24 hours. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly database: Database) {}

  /**
   * Claims (userId, key) inside the caller's transaction, before anything else is touched.
   * The unique index does the coordination: while another transaction holds an uncommitted
   * claim on the same key, this INSERT waits for it; if that one commits, the stored row is
   * returned ("exists"); if it rolls back, this one claims the key. An expired row is taken
   * over as if it were absent. The placeholder response is replaced by `storeResponse` before
   * the claiming transaction commits, so no other transaction ever sees it.
   */
  async claim(tx: Transaction, userId: number, key: string, requestHash: string): Promise<KeyClaim> {
    const [claimed] = await tx.rows(claimStatement({ userId, key, requestHash }));
    if (claimed) return { outcome: 'claimed', id: claimed.id };
    // A live row exists and is committed; this new statement's snapshot sees it (READ COMMITTED).
    const [stored] = await tx.rows(storedResponseStatement({ userId, key }));
    return { outcome: 'exists', ...stored };
  }

  /** Stores the response a replay answers: its status and its body, as JSON text. */
  async storeResponse(tx: Transaction, id: number, orderId: number, status: number, bodyJson: string): Promise<void> {
    await tx.rowCount(storeResponseStatement({ id, orderId, status, body: bodyJson }));
  }

  /** Deletes up to `limit` expired keys; returns how many. */
  deleteExpired(limit = 1000): Promise<number> {
    return this.database.primary.rowCount(
      statement(
        kysely
          .deleteFrom('IdempotencyKey')
          .where('id', 'in', (db) => db.selectFrom('IdempotencyKey').select('id').where('expiresAt', '<=', NOW_UTC).orderBy('expiresAt').limit(limit)),
      ),
    );
  }
}
