import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ConfigValidationError } from '../config/environment.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations } from './migrations.js';

export interface PreparedDatabase {
  config: AppConfig;
  /** Stops the embedded server, if one was started. */
  stop(): Promise<void>;
}

/**
 * Without DATABASE_URL, starts the embedded PostgreSQL (data kept in EMBEDDED_PG_DIR).
 * Then applies pending migrations when MIGRATE_ON_START is on (default outside production).
 */
export async function prepareDatabase(config: AppConfig): Promise<PreparedDatabase> {
  const logger = new Logger('Database');
  let prepared: PreparedDatabase = { config, stop: async () => undefined };
  if (!config.database.url) {
    if (config.isProduction) {
      throw new ConfigValidationError('DATABASE_URL is required in production: the embedded PostgreSQL is for development and tests only.');
    }
    logger.log(`DATABASE_URL not set: starting embedded PostgreSQL in ${config.database.embeddedDir} on 127.0.0.1:${config.database.embeddedPort}`);
    const server = await startEmbeddedPostgres({ dataDir: config.database.embeddedDir, port: config.database.embeddedPort });
    prepared = { config: config.withDatabaseUrl(server.url), stop: server.stop };
  }
  if (prepared.config.database.migrateOnStart) {
    try {
      await applyMigrations(prepared.config.database.url!);
    } catch (err) {
      await prepared.stop();
      throw err;
    }
  }
  return prepared;
}
