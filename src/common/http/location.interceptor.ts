import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, tap } from 'rxjs';

/**
 * The Location of a 201: a creation is a POST to the collection, so the new resource's path is the
 * route's path plus the id of what the handler answers. Put on a route by @Endpoint({ created: { location } }).
 */
@Injectable()
export class LocationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<{ id: number }>): Observable<{ id: number }> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      tap((created) => {
        reply.header('location', `${request.routeOptions.url}/${created.id}`);
      }),
    );
  }
}
