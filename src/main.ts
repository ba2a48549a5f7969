import './heap-growth.js';
import './wasm-compiler.js';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { AppConfig } from './config/app-config.js';
import { ConfigValidationError } from './config/environment.js';
import { assertServable } from './config/serving-requirements.js';
import { prepareDatabase } from './database/prepare-database.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { createBootstrapLogger } from './logging/bootstrap-logger.js';
import { SeedService } from './seed/seed.service.js';

async function bootstrap(): Promise<void> {
  const config = AppConfig.fromEnv();
  assertServable(config);
  Logger.overrideLogger(createBootstrapLogger(config));
  if (config.jwt.generatedSecret) {
    new Logger('Config').warn('JWT_SECRET not set: using a random secret (tokens die with the process). Set it in production.');
  }
  const database = await prepareDatabase(config);
  try {
    const app = await createApp(database.config);
    if (database.config.seed.enabled) await app.get(SeedService).run();
    installGracefulShutdown(app, config.http.shutdownTimeoutMs, database.stop);
    await app.listen({ port: config.port, host: config.host });
    new Logger('Bootstrap').log(`Shop API listening on http://${config.host}:${config.port} (docs: /docs, /redoc)`);
  } catch (err) {
    await database.stop();
    throw err;
  }
}

bootstrap().catch((err: unknown) => {
  if (err instanceof ConfigValidationError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
