// How the benchmarks start the servers they compare: the service as a user does, and the raw baselines.

/** The pool size of every server measured: the service's default; the baselines get the same. */
export const POOL_MAX = process.env.DB_POOL_MAX ?? '10'

/** The service in production mode, no V8 flags, JSON logs at info (to the file the caller gives it). */
export function serviceEnv(port, databaseUrl, jwtSecret) {
  return {
    NODE_ENV: 'production',
    NODE_OPTIONS: '', // no V8 flags a user would not set: the service sets its own (src/heap-growth.ts)
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: POOL_MAX,
    JWT_SECRET: jwtSecret,
    METRICS_TOKEN: jwtSecret, // production refuses an open /metrics; the benchmark never scrapes it
    JWT_ACCESS_TTL_SECONDS: '86400', // the seeding tokens must outlive the whole run
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    THROTTLE_ENABLED: 'false',
    SEED_DEMO_DATA: 'false',
    MIGRATE_ON_START: 'false',
  }
}

/** A raw node:http + pg baseline (bench/independent-baseline.mjs, bench/baseline-server.mjs). */
export function baselineEnv(port, databaseUrl, jwtSecret) {
  return { HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl, DB_POOL_MAX: POOL_MAX, JWT_SECRET: jwtSecret, NODE_ENV: 'production' }
}
