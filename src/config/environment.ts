import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { weakSecretReason } from './weak-secret.js';

const toBoolean = ({ value }: { value: unknown }) => (typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);

/** A secret that weakSecretReason finds nothing against, in production. */
const StrongInProduction = () =>
  ValidateBy({
    name: 'strongInProduction',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as EnvironmentVariables).NODE_ENV !== 'production' || (typeof value === 'string' && !weakSecretReason(value)),
      defaultMessage: (args) =>
        `${args?.property} is too weak for production: ${weakSecretReason(String(args?.value))}; generate one with "openssl rand -base64 48"`,
    },
  });

/**
 * Every environment variable the service reads. Validated once at start-up
 * (see loadConfig); README.md lists them with their defaults.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Unset: the service starts an embedded PostgreSQL under EMBEDDED_PG_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATE_ON_START = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_MAX = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_CONNECT_TIMEOUT_MS = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 10000;

  /** Read replicas for the public catalogue reads, comma-separated postgresql:// URLs. */
  @IsOptional()
  @Matches(/^\s*postgres(ql)?:\/\/[^,\s]+\s*(,\s*postgres(ql)?:\/\/[^,\s]+\s*)*$/, {
    message: 'DATABASE_REPLICA_URLS must be comma-separated postgresql:// URLs',
  })
  DATABASE_REPLICA_URLS?: string;

  /** A replica further behind the primary than this is skipped until it catches up. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  DATABASE_REPLICA_MAX_LAG_MS = 5000;

  /** How often each replica is probed (reachable? how far behind?). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  DATABASE_REPLICA_CHECK_INTERVAL_MS = 1000;

  @IsOptional()
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL?: string;

  /**
   * Required (>= 32 characters, not obviously weak) in production and with DATABASE_URL (see
   * config/serving-requirements.ts); generated per process only for the embedded database.
   */
  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || env.JWT_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  @Matches(/^(?!(change-?me|secret|dev|development)).*$/i, { message: 'JWT_SECRET must not be a placeholder' })
  @StrongInProduction()
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  REFRESH_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

  @IsOptional()
  @IsString()
  @MaxLength(254)
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  /**
   * Seed an admin and demo catalogue on an empty database. Default: on for the embedded database
   * only; with DATABASE_URL only when set to true; never in production.
   */
  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO_DATA = true;

  /** Swagger UI (/docs), ReDoc (/redoc) and /openapi.json. */
  @Transform(toBoolean)
  @IsBoolean()
  DOCS_ENABLED = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Human-readable logs; defaults to on in development only. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  LOG_PRETTY?: boolean;

  @Transform(toBoolean)
  @IsBoolean()
  THROTTLE_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_TTL_MS = 60000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_THROTTLE_LIMIT = 10;

  /** Login/register attempts per window per client IP, whatever the e-mail (password spraying). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_THROTTLE_IP_LIMIT = 30;

  /** Password hashes (argon2) running at once; they share libuv's thread pool (4 threads) with fs and DNS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024)
  PASSWORD_HASH_CONCURRENCY = 2;

  /** Password hashes waiting for a slot; beyond that a login/register answers 503 with Retry-After. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  PASSWORD_HASH_QUEUE = 32;

  /** Comma-separated origins allowed by CORS; empty: CORS off. */
  @IsString()
  CORS_ORIGINS = '';

  /**
   * Fastify trustProxy: "false", "true", or comma-separated proxy addresses/CIDRs/names
   * ("loopback", "uniquelocal"). Not a hop count: Fastify cannot verify the peer then and
   * trusts nothing, which would silently log and rate-limit the proxy's address.
   */
  @IsString()
  @Matches(/^(?!\s*\d+\s*$)/, { message: 'TRUST_PROXY must be true, false or proxy addresses/CIDRs, not a hop count' })
  TRUST_PROXY = 'false';

  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** Serve /metrics on this port (for an internal network) instead of the public one. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** Processes serving the port (node:cluster); 1: no cluster. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKERS = 1;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /**
   * After SIGTERM, keep serving this long with readiness at 503 before the listener closes, so a
   * load balancer that polls readiness takes the instance out first (no preStop hook needed).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  SHUTDOWN_DELAY_MS = 0;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  REQUEST_TIMEOUT_MS = 30000;

  /** The file of variables read at start (config/env-file.ts does, before this validation); only from the environment. */
  @IsString()
  ENV_FILE = '.env';
}

export class ConfigValidationError extends Error {}

/** Parses and validates the environment; throws one error naming every bad variable. */
export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  // Development conveniences belong to the embedded database: a real server is seeded only on request.
  if (raw.SEED_DEMO_DATA === undefined && raw.DATABASE_URL !== undefined) parsed.SEED_DEMO_DATA = false;
  if (parsed.NODE_ENV === 'production') {
    if (raw.SEED_DEMO_DATA === undefined) parsed.SEED_DEMO_DATA = false;
    if (raw.MIGRATE_ON_START === undefined) parsed.MIGRATE_ON_START = false;
  }
  const errors = validateSync(parsed, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const messages = Object.values(e.constraints ?? {});
      // Secrets, and URLs (which may carry a password), are not echoed.
      const secret = e.property === 'JWT_SECRET' || /(PASSWORD|_URLS?)$/.test(e.property);
      const value = secret ? '' : ` (got ${JSON.stringify(e.value)})`;
      return `  - ${e.property}: ${messages.join('; ')}${value}`;
    });
    throw new ConfigValidationError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed;
}
