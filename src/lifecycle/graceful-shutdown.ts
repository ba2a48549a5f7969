import { type INestApplication, Logger } from '@nestjs/common';
import { LifecycleState } from './lifecycle-state.js';

/**
 * SIGTERM / SIGINT, in this order:
 * 1. readiness answers 503 at once (LifecycleState), answers carry `Connection: close`; for
 *    `delayMs` (SHUTDOWN_DELAY_MS) requests are still served, so that a load balancer polling
 *    readiness stops sending before the listener closes;
 * 2. `app.close()`: the server stops accepting connections, closes idle keep-alive ones and lets
 *    in-flight requests finish; only then do the shutdown hooks close the database pool
 *    (PrismaService.onApplicationShutdown);
 * 3. `afterClose` (the embedded PostgreSQL, when one was started); exit 0.
 * If step 2 and 3 take longer than `timeoutMs`, what is still running is cut off and the exit code is 1.
 * A second signal during the drain changes nothing (the orchestrator's SIGKILL is the hard stop).
 */
export function installGracefulShutdown(
  app: INestApplication,
  { shutdownTimeoutMs: timeoutMs, shutdownDelayMs: delayMs }: { shutdownTimeoutMs: number; shutdownDelayMs: number },
  afterClose: () => Promise<void>,
): void {
  const logger = new Logger('Shutdown');
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    app.get(LifecycleState).startDraining();
    if (delayMs > 0) {
      logger.log(`${signal} received: not ready; serving ${delayMs} ms more before closing the listener`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    logger.log(`${signal} received: draining in-flight requests (up to ${timeoutMs} ms)`);
    const force = setTimeout(() => {
      logger.error(`Shutdown took longer than ${timeoutMs} ms: exiting`);
      void afterClose()
        .catch(() => undefined)
        .finally(() => process.exit(1));
    }, timeoutMs);
    try {
      await app.close();
      await afterClose();
      logger.log('Shutdown complete');
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'Shutdown failed');
      await afterClose().catch(() => undefined);
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}
