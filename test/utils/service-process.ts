import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../src/database/free-port.js';
import { TEST_JWT_SECRET } from './test-app.js';

export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Every stdout line so far (JSON log lines and anything else). */
  lines: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the built service (dist/main.js, built by `npm test`'s pretest) as a real process.
 * `env` goes on top of a production set-up; a variable given as undefined is left out. */
export async function startService(env: Record<string, string | undefined>, readyTimeoutMs = 60_000): Promise<ServiceProcess> {
  const port = await freePort();
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    JWT_SECRET: TEST_JWT_SECRET,
    METRICS_TOKEN: 'metrics-token-of-the-test-processes',
    THROTTLE_ENABLED: 'false',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    ENV_FILE: '', // a developer's .env must not change the process under test
    ...env,
  };
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // 'exit' can come before the last of stdout/stderr has been read (it did on a busy machine, and the
  // start-up error the caller expects was cut off); 'close' comes after both streams have ended.
  const closed = once(child, 'close').catch(() => undefined);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await closed;
      throw new Error(`service exited with ${child.exitCode}: ${stderr}\n${lines.join('\n')}`);
    }
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready after ${readyTimeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    baseUrl,
    lines,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // 'close', not 'exit': its output has been read to the end and its pipes are closed, so a test
      // file that ends here leaves none of them open.
      await closed;
      return child.exitCode;
    },
  };
}
