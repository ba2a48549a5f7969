import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, DECORATORS } from '@nestjs/swagger';
import { ApiProblem } from '../../common/problems/api-problem.decorator.js';
import { Problems } from '../../common/problems/problem-types.js';

const TOKEN_SENT_BUT_INVALID = 'An Authorization header was sent but its token is invalid or expired (leave it out, or sign in again)';

/** OpenAPI marks for a protected controller or route: bearer scheme required, and its 401. */
export const ApiAuthenticated = () =>
  applyDecorators(ApiBearerAuth(), ApiProblem(401, 'Missing, invalid or expired access token', [Problems.unauthorized, Problems.invalidToken]));

/**
 * A @Public() route that reads a token when one is sent (staff see more): anonymous or bearer,
 * `security: [{}, {bearer: []}]`. A token that is sent must be valid (401 otherwise).
 */
export const ApiOptionalAuth = () => applyDecorators(ApiSecurity({}), ApiBearerAuth(), ApiProblem(401, TOKEN_SENT_BUT_INVALID, [Problems.invalidToken]));

/**
 * A @Public() route that ignores who calls: `security: []`, so clients (Swagger UI too) send no
 * token. One that is sent anyway must still be valid (the global guard checks it).
 */
export const ApiNoAuth = () => applyDecorators(noSecurity, ApiProblem(401, TOKEN_SENT_BUT_INVALID, [Problems.invalidToken]));

/** `security: []` on the operation(s); @nestjs/swagger drops an empty ApiSecurity list, but keeps fields of ApiOperation. */
function noSecurity(target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void {
  const methods = descriptor
    ? [descriptor.value]
    : Object.getOwnPropertyNames((target as { prototype: object }).prototype)
        .filter((name) => name !== 'constructor')
        .map((name) => (target as { prototype: Record<string, unknown> }).prototype[name]);
  for (const method of methods) {
    if (typeof method !== 'function') continue;
    const operation = Reflect.getMetadata(DECORATORS.API_OPERATION, method) ?? {};
    Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...operation, security: [] }, method);
  }
}
