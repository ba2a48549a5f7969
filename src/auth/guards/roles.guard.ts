import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../../common/problems/problem.exception.js';
import { Problems } from '../../common/problems/problem-types.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { MIN_ROLE_KEY } from '../decorators/roles.decorator.js';
import { hasRole, Role } from '../role.js';
import { routeMetadata } from './route-metadata.js';

/** Global guard enforcing @Roles(minimum) after JwtAuthGuard has identified the caller. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly minimumRole: (context: ExecutionContext) => Role | undefined;

  constructor(reflector: Reflector) {
    this.minimumRole = routeMetadata<Role>(reflector, MIN_ROLE_KEY);
  }

  canActivate(context: ExecutionContext): boolean {
    const minimum = this.minimumRole(context);
    if (!minimum) return true;
    const user: AuthenticatedUser | undefined = context.switchToHttp().getRequest().user;
    if (!user) throw new ProblemException(Problems.unauthorized, { detail: 'Authentication required' });
    if (!hasRole(user.role, minimum)) {
      throw new ProblemException(Problems.forbidden, { detail: `This action requires the ${minimum} role` });
    }
    return true;
  }
}
