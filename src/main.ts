import './heap-growth.js';
import './config/load-env-file.js';
import './wasm-compiler.js';
import 'reflect-metadata';
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { findConsoleBuild } from './admin-console/admin-console.js';
import { createApp } from './app.factory.js';
import { AppConfig } from './config/app-config.js';
import { ConfigValidationError } from './config/environment.js';
import { assertServable } from './config/serving-requirements.js';
import { prepareDatabase } from './database/prepare-database.js';
import { superviseWorkers } from './lifecycle/cluster-primary.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';
import { startUpBlock, startUpLinks } from './lifecycle/start-up-summary.js';
import { createBootstrapLogger } from './logging/bootstrap-logger.js';
import { describeError } from './logging/describe-error.js';
import { SeedService } from './seed/seed.service.js';

async function bootstrap(): Promise<void> {
  const config = AppConfig.fromEnv();
  assertServable(config);
  Logger.overrideLogger(createBootstrapLogger(config));
  if (config.workers > 1 && cluster.isPrimary) return superviseWorkers(config);
  const database = await prepareDatabase(config);
  try {
    const app = await createApp(database.config);
    const seed = database.config.seed.enabled ? await app.get(SeedService).run() : undefined;
    installGracefulShutdown(app, config.http, database.stop);
    await app.listen({ port: config.port, host: config.host });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const links = startUpLinks(config, port, findConsoleBuild() !== undefined);
    // Pretty logs (development): one short block to click from. JSON logs: one line; a generated
    // admin password is printed outside the log either way.
    if (!config.log.pretty) new Logger('Bootstrap').log({ links }, `Shop API listening on ${links.api.replace(/\/v1$/, '')}`);
    if (config.log.pretty || seed?.admin?.generatedPassword) process.stdout.write(startUpBlock(links, seed));
  } catch (err) {
    await database.stop();
    throw err;
  }
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(err instanceof ConfigValidationError ? `${err.message}\n` : `Start-up failed: ${describeError(err)}\n`);
  process.exit(1);
});
