import type { AppConfig } from '../../src/config/app-config.js';

/** The service's database settings for a pool on a test database (database-pool.ts's openPool), with `poolMax` connections. */
export const poolSettings = (url: string, poolMax: number): AppConfig['database'] => ({
  url,
  embeddedDir: '',
  embeddedPort: 0,
  migrateOnStart: false,
  poolMax,
  connectTimeoutMs: 5000,
  statementTimeoutMs: 5000,
  replicas: { urls: [], maxLagMs: 0, checkIntervalMs: 0 },
});
