import { randomBytes } from 'node:crypto';
import { EnvironmentVariables, validateEnvironment } from './environment.js';

/** The service's typed, validated configuration. Injected everywhere as AppConfig. */
export class AppConfig {
  readonly env: EnvironmentVariables['NODE_ENV'];
  readonly isProduction: boolean;
  readonly port: number;
  readonly host: string;
  readonly database: {
    /** Unset until the embedded server is started (see bootstrapDatabase). */
    url?: string;
    embeddedDir: string;
    embeddedPort: number;
    migrateOnStart: boolean;
    poolMax: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    replicas: { urls: string[]; maxLagMs: number; checkIntervalMs: number };
  };
  readonly redisUrl?: string;
  readonly jwt: { secret: string; accessTtlSeconds: number; refreshTtlSeconds: number; generatedSecret: boolean };
  readonly seed: { enabled: boolean; adminEmail?: string; adminPassword?: string };
  readonly log: { level: string; pretty: boolean };
  readonly throttle: { enabled: boolean; ttlMs: number; limit: number; authLimit: number; authIpLimit: number };
  readonly passwordHashing: { concurrency: number; maxQueued: number };
  readonly http: {
    corsOrigins: string[];
    trustProxy: boolean | string[];
    bodyLimitBytes: number;
    requestTimeoutMs: number;
    shutdownTimeoutMs: number;
    shutdownDelayMs: number;
  };
  readonly metrics: { token?: string; port?: number };
  readonly docsEnabled: boolean;
  readonly workers: number;

  constructor(env: EnvironmentVariables) {
    this.env = env.NODE_ENV;
    this.isProduction = env.NODE_ENV === 'production';
    this.port = env.PORT;
    this.host = env.HOST;
    this.database = {
      url: env.DATABASE_URL,
      embeddedDir: env.EMBEDDED_PG_DIR,
      embeddedPort: env.EMBEDDED_PG_PORT,
      migrateOnStart: env.MIGRATE_ON_START,
      poolMax: env.DB_POOL_MAX,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      replicas: {
        urls: (env.DATABASE_REPLICA_URLS ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        maxLagMs: env.DATABASE_REPLICA_MAX_LAG_MS,
        checkIntervalMs: env.DATABASE_REPLICA_CHECK_INTERVAL_MS,
      },
    };
    this.redisUrl = env.REDIS_URL;
    this.jwt = {
      secret: env.JWT_SECRET ?? randomBytes(48).toString('base64url'),
      generatedSecret: env.JWT_SECRET === undefined,
      accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    };
    this.seed = {
      enabled: env.SEED_DEMO_DATA && !this.isProduction,
      adminEmail: env.ADMIN_EMAIL,
      adminPassword: env.ADMIN_PASSWORD,
    };
    this.log = { level: env.LOG_LEVEL, pretty: env.LOG_PRETTY ?? env.NODE_ENV === 'development' };
    this.throttle = {
      enabled: env.THROTTLE_ENABLED,
      ttlMs: env.THROTTLE_TTL_MS,
      limit: env.THROTTLE_LIMIT,
      authLimit: env.AUTH_THROTTLE_LIMIT,
      authIpLimit: env.AUTH_THROTTLE_IP_LIMIT,
    };
    this.passwordHashing = { concurrency: env.PASSWORD_HASH_CONCURRENCY, maxQueued: env.PASSWORD_HASH_QUEUE };
    this.http = {
      corsOrigins: env.CORS_ORIGINS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      bodyLimitBytes: 1024 * 1024,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    };
    this.metrics = { token: env.METRICS_TOKEN, port: env.METRICS_PORT };
    this.docsEnabled = env.DOCS_ENABLED;
    this.workers = env.WORKERS;
  }

  /** Reads and validates process.env (or the given overrides on top of it). */
  static fromEnv(overrides: Record<string, string | undefined> = {}): AppConfig {
    return new AppConfig(validateEnvironment({ ...process.env, ...overrides }));
  }

  withDatabaseUrl(url: string): AppConfig {
    return this.with({ database: { ...this.database, url } });
  }

  /** The development secret kept in the data folder (see dev-jwt-secret.ts), when JWT_SECRET is unset. */
  withJwtSecret(secret: string): AppConfig {
    return this.with({ jwt: { ...this.jwt, secret } });
  }

  private with(changes: Partial<AppConfig>): AppConfig {
    const copy = Object.create(AppConfig.prototype) as AppConfig;
    Object.assign(copy, this, changes);
    return copy;
  }
}

function parseTrustProxy(value: string): boolean | string[] {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
