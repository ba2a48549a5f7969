import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ProblemException } from '../../common/problems/problem.exception.js';
import { Problems } from '../../common/problems/problem-types.js';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator.js';
import { routeMetadata } from './route-metadata.js';

/**
 * Global guard: every route needs a valid access token unless marked @Public().
 * On public routes a token is optional, but one that is sent must be valid (as in DRF).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly isPublic: (context: ExecutionContext) => boolean | undefined;

  constructor(reflector: Reflector) {
    super();
    this.isPublic = routeMetadata<boolean>(reflector, IS_PUBLIC_KEY);
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.isPublic(context);
    if (isPublic && !context.switchToHttp().getRequest().headers.authorization) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser>(err: unknown, user: TUser, info: unknown): TUser {
    if (err || !user) {
      const missing = info instanceof Error && /No auth token/i.test(info.message);
      throw missing
        ? new ProblemException(Problems.unauthorized, { detail: 'Send an access token as "Authorization: Bearer <token>"' })
        : new ProblemException(Problems.invalidToken, { detail: 'The access token is invalid or has expired' });
    }
    return user;
  }
}
