import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';

const socketOf = (client: PoolClient) => (client as PoolClient & { connection?: { stream?: Writable } }).connection?.stream;

/**
 * Runs `send` with the connection's socket corked, so the queries it makes — written at once on a
 * pipelining pool (database-pool.ts) — leave in one write, one system call, instead of one each.
 * `send` must make them synchronously (before its first await).
 */
export function inOneWrite<T>(client: PoolClient, send: () => T): T {
  const socket = socketOf(client);
  socket?.cork();
  try {
    return send();
  } finally {
    socket?.uncork();
  }
}

/**
 * Makes the connection's last query (`send`, e.g. COMMIT) and releases the connection at once,
 * before that query is answered: on a pipelining pool the next user's queries queue behind it, and
 * PostgreSQL runs them in that order. When a caller is waiting for a connection, the pool hands it
 * this one synchronously and the caller's first queries are made in the microtasks that follow; the
 * socket stays corked until those have run (process.nextTick runs after them), so the last query and
 * the next user's first ones leave in one write. The caller awaits the returned promise for the
 * answer, and must not use the connection again (it may already be another's).
 */
export function sendAndRelease<T>(client: PoolClient, send: () => Promise<T>): Promise<T> {
  const socket = socketOf(client);
  socket?.cork();
  try {
    return send();
  } finally {
    client.release();
    if (socket) process.nextTick(() => socket.uncork());
  }
}
