import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LifecycleState } from '../health/lifecycle.state.js';

/**
 * While the service drains, a request that still arrives on an open keep-alive connection is
 * served (rather than refused), and its answer carries `Connection: close` so the client's next
 * request opens a connection elsewhere (the listening socket is closed by then).
 */
export function installDrainHook(app: NestFastifyApplication): void {
  const lifecycle = app.get(LifecycleState);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (lifecycle.isDraining && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
      done();
    });
}
