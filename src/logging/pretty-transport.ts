import { createRequire } from 'node:module';

/** pino-pretty when asked for and installed (a dev dependency), else plain JSON lines. */
export function prettyTransport(enabled: boolean) {
  if (!enabled) return undefined;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } };
  } catch {
    return undefined;
  }
}
