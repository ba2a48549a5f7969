import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '../authenticated-user.js';

/** The signed-in user on a @Public() route, or undefined for anonymous callers. */
export const OptionalUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedUser | undefined => ctx.switchToHttp().getRequest().user ?? undefined,
);
