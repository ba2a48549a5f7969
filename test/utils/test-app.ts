import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { AppConfig } from '../../src/config/app-config.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { adminQuery, databaseUrl, quoteIdent, TEST_ENV } from '../setup/test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  prisma: PrismaService;
  config: AppConfig;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Random-looking, as production requires (config/weak-secret.ts); for tests only. */
export const TEST_JWT_SECRET = 'Zq3vR8tKp2LmX9wB6nYc4HsJ7dFa1GeU5oTi0kVrNxQ';

/** A fresh, migrated database cloned from the run's template; dropped by `drop`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env[TEST_ENV.serverUrl];
  const template = process.env[TEST_ENV.templateDb];
  if (!serverUrl || !template) throw new Error('test/setup/global-setup.ts did not run');
  const name = `shop_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  };
}

/** Test configuration: quiet logs, no rate limits, no seed, unless a test says otherwise. */
export function testConfig(databaseUrl: string, env: Record<string, string | undefined> = {}): AppConfig {
  return AppConfig.fromEnv({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    LOG_PRETTY: 'false',
    THROTTLE_ENABLED: 'false',
    SEED_DEMO_DATA: 'false',
    REDIS_URL: undefined,
    ...env,
  });
}

/** The real application on its own database, ready for supertest. */
export async function createTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, env);
  const app = await createApp(config);
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: request(app.getHttpServer()),
    prisma: app.get(PrismaService),
    config,
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
