import type { OnApplicationShutdown } from '@nestjs/common';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { prettyTransport } from './pretty-transport.js';
import { redactSecrets } from './redaction.js';

/** Buffered lines are written at least this often (and when 4 KiB have accumulated). */
const FLUSH_INTERVAL_MS = 250;

/**
 * The service's pino loggers, writing JSON lines to stdout (or pretty lines, with LOG_PRETTY).
 * Asynchronous mode buffers lines up to 4 KiB and writes them in one call, at the latest every
 * 250 ms: a write per line costs a system call and a thread-pool round trip each, measurable on
 * every request. What is still buffered when the process exits is written synchronously then
 * (pino's exit handler), so a graceful shutdown loses nothing; a SIGKILL can lose the last 250 ms.
 */
export class Loggers implements OnApplicationShutdown {
  /** Free-form lines (Nest's Logger): anything may be passed in, so secret-named fields are redacted at any depth. */
  readonly app: Logger;
  /** The request lines: a fixed list of fields, of which only the URL's query can hold a secret (see request-logging.ts). */
  readonly requests: Logger;
  private readonly flushTimer?: NodeJS.Timeout;

  constructor(config: AppConfig, { sync }: { sync: boolean }) {
    const transport = prettyTransport(config.log.pretty);
    let destination: DestinationStream;
    if (transport) {
      destination = pino.transport(transport);
    } else if (sync) {
      destination = pino.destination({ dest: 1, sync: true });
    } else {
      const buffered = pino.destination({ dest: 1, sync: false, minLength: 4096 });
      this.flushTimer = setInterval(() => buffered.flush(), FLUSH_INTERVAL_MS).unref();
      destination = buffered;
    }
    this.app = pino({ level: config.log.level, formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> } }, destination);
    this.requests = pino({ level: config.log.level }, destination);
  }

  /** After the server has drained: stop the timer; the last lines go out when the process exits. */
  onApplicationShutdown(): void {
    clearInterval(this.flushTimer);
    this.app.flush();
  }
}
