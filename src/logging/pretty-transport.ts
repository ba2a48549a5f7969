import { createRequire } from 'node:module';

/** pino-pretty when asked for and installed (a dev dependency), else plain JSON lines. */
export function prettyTransport(enabled: boolean) {
  if (!enabled) return undefined;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return {
      target: 'pino-pretty',
      options: {
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss.l',
        // "[Database] message"; request lines as "GET /v1/products → 200 in 3.1 ms"
        messageFormat: '{if context}[{context}] {end}{msg}{if method}: {method} {url} → {status} in {durationMs} ms{end}',
        ignore: 'pid,hostname,context,method,url,status,durationMs',
      },
    };
  } catch {
    return undefined;
  }
}
