import type { IncomingHttpHeaders } from 'node:http';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../../common/problems/problem.exception.js';
import { Problems } from '../../common/problems/problem-types.js';
import { AccessTokenVerifier } from '../access-token.verifier.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator.js';

/** `Authorization: Bearer <token>` (scheme in any letter case), else undefined. */
function bearerToken(header: string | undefined): string | undefined {
  const match = typeof header === 'string' ? /(\S+)\s+(\S+)/.exec(header) : null;
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : undefined;
}

/**
 * Global guard: every route needs a valid access token unless marked @Public().
 * On public routes a token is optional, but one that is sent must be valid (as in DRF).
 * The caller is put on the request as `user` (see @CurrentUser, @OptionalUser).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders; user?: AuthenticatedUser }>();
    const header = request.headers.authorization;
    if (!header && this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    const token = bearerToken(header);
    if (!token) throw new ProblemException(Problems.unauthorized, { detail: 'Send an access token as "Authorization: Bearer <token>"' });
    const user = this.tokens.verify(token);
    if (!user) throw new ProblemException(Problems.invalidToken, { detail: 'The access token is invalid or has expired' });
    request.user = user;
    return true;
  }
}
