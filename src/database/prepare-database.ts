import { dirname, relative, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { devJwtSecret } from '../config/dev-jwt-secret.js';
import { ConfigValidationError } from '../config/environment.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations } from './migrator.js';

export interface PreparedDatabase {
  config: AppConfig;
  /** Stops the embedded server, if one was started. */
  stop: () => Promise<void>;
}

/**
 * Without DATABASE_URL, starts the embedded PostgreSQL (data kept in EMBEDDED_PG_DIR) and, when
 * JWT_SECRET is unset, signs tokens with the development secret kept beside it. Then applies pending migrations when MIGRATE_ON_START is on (default outside production).
 */
export async function prepareDatabase(config: AppConfig): Promise<PreparedDatabase> {
  const logger = new Logger('Database');
  let prepared: PreparedDatabase = { config, stop: async () => undefined };
  if (!config.database.url) {
    if (config.isProduction) {
      throw new ConfigValidationError('DATABASE_URL is required in production: the embedded PostgreSQL is for development and tests only.');
    }
    const { embeddedDir, embeddedPort } = config.database;
    logger.debug(`DATABASE_URL not set: starting the embedded PostgreSQL in ${embeddedDir}`);
    const server = await startEmbeddedPostgres({ dataDir: embeddedDir, port: embeddedPort });
    if (server.movedFrom !== undefined) {
      logger.warn(
        `Port ${server.movedFrom} (EMBEDDED_PG_PORT) is in use: the embedded PostgreSQL listens on 127.0.0.1:${server.port} instead ` +
          `(remembered in ${embeddedDir}; set EMBEDDED_PG_PORT to choose another port)`,
      );
    }
    let embedded = config.withDatabaseUrl(server.url);
    if (config.jwt.generatedSecret) {
      const dev = devJwtSecret(dirname(resolve(embeddedDir)));
      embedded = embedded.withJwtSecret(dev.secret);
      const where = relative(process.cwd(), dev.file) || dev.file;
      if (dev.created) logger.log(`JWT_SECRET not set: made a development signing secret in ${where} (kept across restarts; not for production)`);
      else logger.debug(`JWT_SECRET not set: using the development signing secret in ${where}`);
    }
    prepared = { config: embedded, stop: server.stop };
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
