import type { AppConfig } from './app-config.js';
import { ConfigValidationError } from './environment.js';

/**
 * What serving requests needs beyond a valid environment (the create-admin command shares the
 * environment but serves nothing, so these live apart): no development convenience on a real
 * database, and nothing internal open on the public port in production.
 */
export function assertServable(config: AppConfig): void {
  const problems: string[] = [];
  if (config.jwt.generatedSecret && config.database.url && config.env !== 'test') {
    problems.push(
      'JWT_SECRET: required with DATABASE_URL (a random per-process secret is only used with the embedded development database); generate one with "openssl rand -base64 48"',
    );
  }
  if (config.isProduction && !config.metrics.token && config.metrics.port === undefined) {
    problems.push('METRICS_TOKEN or METRICS_PORT: one is required in production, so that /metrics is not open on the public port');
  }
  if (config.isProduction && config.workers > 1 && config.metrics.port === undefined) {
    problems.push(
      'METRICS_PORT: required with WORKERS > 1 in production (the primary process serves the metrics of all workers there; on the public port a scrape would reach one worker)',
    );
  }
  if (problems.length > 0) throw new ConfigValidationError(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
