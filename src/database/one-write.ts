import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';

/**
 * Runs `send` with the connection's socket corked, so the queries it makes — written at once on a
 * pipelining pool (database-pool.ts) — leave in one write, one system call, instead of one each.
 * `send` must make them synchronously (before its first await).
 */
export function inOneWrite<T>(client: PoolClient, send: () => T): T {
  const socket = (client as PoolClient & { connection?: { stream?: Writable } }).connection?.stream;
  socket?.cork();
  try {
    return send();
  } finally {
    socket?.uncork();
  }
}
