import { type INestApplication, Logger } from '@nestjs/common';
import { LifecycleState } from '../health/lifecycle.state.js';

/**
 * SIGTERM / SIGINT: readiness turns 503 at once, the server stops accepting connections
 * and lets in-flight requests finish (Fastify's close), bounded by `timeoutMs`; then the
 * database pool closes (Nest shutdown hooks) and `afterClose` runs (the embedded server).
 */
export function installGracefulShutdown(app: INestApplication, timeoutMs: number, afterClose: () => Promise<void>): void {
  const logger = new Logger('Shutdown');
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    logger.log(`${signal} received: draining in-flight requests (up to ${timeoutMs} ms)`);
    app.get(LifecycleState).startDraining();
    const force = setTimeout(async () => {
      logger.error(`Shutdown took longer than ${timeoutMs} ms: exiting`);
      await afterClose().catch(() => undefined);
      process.exit(1);
    }, timeoutMs);
    force.unref();
    try {
      await app.close();
      await afterClose();
      logger.log('Shutdown complete');
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'Shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
