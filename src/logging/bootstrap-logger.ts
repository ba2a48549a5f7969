import type { LoggerService } from '@nestjs/common';
import { pino } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { prettyTransport } from './pretty-transport.js';

/**
 * Nest's logger for what happens before the app (and nestjs-pino) exists — start-up of the
 * embedded database, migrations — and for the command-line tools: the same pino format as the
 * request logs, so production output is JSON lines from the first one.
 */
export function createBootstrapLogger(config: AppConfig): LoggerService {
  const logger = pino({ level: config.log.level, transport: prettyTransport(config.log.pretty) });
  const write = (level: 'info' | 'warn' | 'error' | 'debug' | 'trace') => (message: unknown, context?: unknown) =>
    logger[level]({ context: typeof context === 'string' ? context : undefined }, String(message));
  return { log: write('info'), warn: write('warn'), error: write('error'), debug: write('debug'), verbose: write('trace') };
}
