import type { LoggerService } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { AppLogger } from './app-logger.js';
import { Loggers } from './logger.js';

/**
 * Nest's logger for what happens before the app (and its LoggingModule) exists — start-up of
 * the embedded database, migrations — and for the command-line tools: the same pino format as
 * the request logs, so production output is JSON lines from the first one. Synchronous: a
 * failing start-up exits right after its last line.
 */
export function createBootstrapLogger(config: AppConfig): LoggerService {
  return new AppLogger(new Loggers(config, { sync: true }).app);
}
