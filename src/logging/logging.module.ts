import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AppLogger } from './app-logger.js';
import { Loggers } from './logger.js';

/** The app's pino loggers (asynchronous stdout) and Nest's logger on top of them (see app.factory.ts). */
@Global()
@Module({
  providers: [
    { provide: Loggers, inject: [AppConfig], useFactory: (config: AppConfig) => new Loggers(config, { sync: false }) },
    { provide: AppLogger, inject: [Loggers], useFactory: (loggers: Loggers) => new AppLogger(loggers.app) },
  ],
  exports: [Loggers, AppLogger],
})
export class LoggingModule {}
