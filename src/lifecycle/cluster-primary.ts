import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { AggregatorRegistry } from 'prom-client';
import type { AppConfig } from '../config/app-config.js';
import { prepareDatabase } from '../database/prepare-database.js';
import { listenForScrapes } from '../metrics/metrics-server.js';

/**
 * WORKERS > 1: this process forks the workers (each runs main.ts's ordinary start-up and shares
 * the port through node:cluster) and serves nothing itself but the aggregated /metrics on
 * METRICS_PORT. It prepares the database once (the embedded server, migrations) and hands the
 * workers its URL, the JWT secret and the seed (first worker only). A worker that dies is
 * replaced. SIGTERM/SIGINT: every worker drains as a single process would (its own graceful
 * shutdown); when all have exited, the primary stops the embedded database and exits 0, or 1 if
 * a worker did not drain cleanly.
 */
export async function superviseWorkers(config: AppConfig): Promise<void> {
  const logger = new Logger('Cluster');
  const database = await prepareDatabase(config);
  const workerEnv = (index: number) => ({
    DATABASE_URL: database.config.database.url,
    MIGRATE_ON_START: 'false',
    JWT_SECRET: config.jwt.secret,
    SEED_DEMO_DATA: String(index === 0 && config.seed.enabled),
  });

  let stopping = false;
  const fork = (index: number): Worker => {
    const worker = cluster.fork(workerEnv(index));
    let listening = false;
    worker.once('listening', () => (listening = true));
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      // One that never got to listen failed its start-up (configuration, database): do not loop.
      if (!listening) {
        logger.error(`worker ${worker.process.pid} exited (${signal ?? code}) during its start-up: stopping`);
        void stop('SIGTERM', 1);
        return;
      }
      logger.warn(`worker ${worker.process.pid} exited (${signal ?? code}): starting another`);
      fork(index);
    });
    return worker;
  };
  for (let i = 0; i < config.workers; i++) fork(i);

  let metricsServer: Server | undefined;
  if (config.metrics.port !== undefined) {
    const aggregator = new AggregatorRegistry();
    metricsServer = await listenForScrapes(config.metrics.port, config.host, config.metrics.token, () => aggregator.clusterMetrics(), aggregator.contentType);
  }
  logger.log(`${config.workers} workers sharing http://${config.host}:${config.port}`);
  if (config.throttle.enabled && !config.redisUrl)
    logger.warn('REDIS_URL not set: each worker counts rate limits on its own (the effective limit is WORKERS times the configured one)');

  const stop = async (signal: NodeJS.Signals, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining ${Object.keys(cluster.workers ?? {}).length} workers`);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const exits = workers.map((w) => new Promise<number>((resolve) => w.once('exit', (code) => resolve(code ?? 1))));
    for (const w of workers) w.process.kill('SIGTERM');
    // The workers enforce their own drain limit; this one only catches a worker that hangs after it.
    const hardStop = setTimeout(() => workers.forEach((w) => w.process.kill('SIGKILL')), config.http.shutdownDelayMs + config.http.shutdownTimeoutMs + 5_000);
    const codes = await Promise.all(exits);
    clearTimeout(hardStop);
    metricsServer?.closeAllConnections();
    metricsServer?.close();
    await database.stop();
    const failed = codes.some((code) => code !== 0);
    logger.log(`workers exited (${codes.join(', ')}): ${failed ? 'exit 1' : 'shutdown complete'}`);
    process.exit(failed ? 1 : exitCode);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
