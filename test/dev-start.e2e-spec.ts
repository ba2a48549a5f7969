import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/free-port.js';
import { startService, type ServiceProcess } from './utils/service-process.js';

/**
 * `npm start` as a newcomer meets it, on the embedded database (real processes): a busy port,
 * a second start, sessions across restarts, what the first start prints, and a failing start.
 */
describe('development start on the embedded database', () => {
  const parent = mkdtempSync(join(tmpdir(), 'shop-dev-start-'));
  chmodSync(parent, 0o755); // as root, PostgreSQL runs as user "postgres" and must reach it
  const dataDir = join(parent, 'pg');
  let blocker: Server;
  let busyPort: number;
  let service: ServiceProcess | undefined;

  const env = () => ({
    NODE_ENV: 'development',
    DATABASE_URL: undefined,
    JWT_SECRET: undefined,
    METRICS_TOKEN: undefined,
    LOG_PRETTY: 'false',
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(busyPort),
  });
  const json = (s: ServiceProcess) => s.lines.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : []));

  beforeAll(async () => {
    busyPort = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(busyPort, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await service?.stop();
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    rmSync(parent, { recursive: true, force: true });
  });

  let token: string;
  let movedTo: number;

  it('takes the next free port when EMBEDDED_PG_PORT is busy, says so and remembers it; the first start is short and clickable', async () => {
    service = await startService(env(), 180_000);
    const remembered = JSON.parse(readFileSync(join(dataDir, 'shop-api.port.json'), 'utf8')) as { configured: number; port: number };
    movedTo = remembered.port;
    expect(remembered.configured).toBe(busyPort);
    expect(movedTo).not.toBe(busyPort);
    expect(json(service)).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringContaining(`Port ${busyPort} (EMBEDDED_PG_PORT) is in use: the embedded PostgreSQL listens on 127.0.0.1:${movedTo}`),
      }),
    );
    // Framework chatter is at debug: no line per module or route.
    expect(service.lines.join('\n')).not.toMatch(/Mapped \{|InstanceLoader|RoutesResolver/);
    const base = service.baseUrl;
    for (const path of ['/v1', '/docs', '/redoc']) expect(service.lines).toContainEqual(expect.stringContaining(`${base}${path}`));
    const admin = service.lines.map((l) => /^\s+Admin\s+(\S+) \/ (\S+)$/.exec(l)).find(Boolean);
    expect(admin?.[1]).toBe('admin@shop.local');
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin![1], password: admin![2] }),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { accessToken: string }).accessToken;
    expect(existsSync(join(parent, 'dev-jwt-secret'))).toBe(true);
  });

  it('starts again on the remembered port, keeps sessions (the development JWT secret is kept) and shows no password again', async () => {
    expect(await service!.stop()).toBe(0);
    service = await startService(env(), 180_000);
    const me = await fetch(`${service.baseUrl}/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe('admin@shop.local');
    expect(JSON.parse(readFileSync(join(dataDir, 'shop-api.port.json'), 'utf8'))).toEqual({ configured: busyPort, port: movedTo });
    expect(service.lines.join('\n')).not.toMatch(/Admin\s+admin@shop\.local \//);
  });

  it('a failing start says why, in PostgreSQL\'s words, never "undefined"', async () => {
    // A second service on the same data folder: PostgreSQL refuses a folder that a running server holds.
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: { PATH: process.env.PATH ?? '', ENV_FILE: '', ...env(), PORT: String(await freePort()), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.resume();
    const [code] = await once(child, 'close'); // after stderr's end: all of its message is read
    expect(code).toBe(1);
    expect(stderr).toMatch(/Start-up failed: Error: The embedded PostgreSQL in .* did not start on 127\.0\.0\.1:\d+:\n {2}.*(postmaster\.pid|lock file)/);
    expect(stderr).not.toMatch(/undefined/);
    // The running one is untouched.
    expect((await fetch(`${service!.baseUrl}/health/ready`)).status).toBe(200);
  });
});
