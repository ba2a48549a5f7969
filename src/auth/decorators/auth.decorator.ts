import { applyDecorators } from '@nestjs/common';
import type { Role } from '../role.js';
import { ApiAuthenticated, ApiNoAuth, ApiOptionalAuth } from './authenticated.decorator.js';
import { Public } from './public.decorator.js';
import { Roles } from './roles.decorator.js';

/**
 * Who may call a route, for @Endpoint({ auth }): what the guards read and what the OpenAPI document
 * says about tokens, together.
 */
export const Auth = {
  /** Anyone, and clients send no token (one that is sent must still be valid). */
  public: () => applyDecorators(Public(), ApiNoAuth()),
  /** Anyone; a token, when sent, shows more (staff see more). */
  optional: () => applyDecorators(Public(), ApiOptionalAuth()),
  /** Any signed-in user. */
  signedIn: () => ApiAuthenticated(),
  /** Signed-in users with at least this role. */
  atLeast: (role: Role) => applyDecorators(Roles(role), ApiAuthenticated()),
};
