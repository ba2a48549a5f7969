import { type DestinationStream, type Logger, pino } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { prettyTransport } from './pretty-transport.js';

/** Paths pino replaces with "[Redacted]" in every free-form log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-metrics-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
];

/**
 * The service's pino loggers, writing JSON lines to stdout (or pretty lines, with LOG_PRETTY).
 * With `sync: false` lines are written asynchronously, batched while a write is in flight, so
 * logging does not block the event loop per line; pino flushes what is left on process exit.
 */
export class Loggers {
  /** Free-form lines (Nest's Logger): anything may be passed in, so secrets are redacted. */
  readonly app: Logger;
  /** The request lines: built from a fixed list of fields that never hold a secret, so no redaction pass. */
  readonly requests: Logger;

  constructor(config: AppConfig, { sync }: { sync: boolean }) {
    const transport = prettyTransport(config.log.pretty);
    const destination: DestinationStream = transport ? pino.transport(transport) : pino.destination({ dest: 1, sync });
    this.app = pino({ level: config.log.level, redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } }, destination);
    this.requests = pino({ level: config.log.level }, destination);
  }
}
