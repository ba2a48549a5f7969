import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiProblem } from '../../common/problems/api-problem.decorator.js';
import { Problems } from '../../common/problems/problem-types.js';
import { Role } from '../role.js';

export const MIN_ROLE_KEY = 'minRole';

/** The lowest role allowed (customer < staff < admin); checked by RolesGuard. */
export const Roles = (minimum: Role) =>
  applyDecorators(SetMetadata(MIN_ROLE_KEY, minimum), ApiProblem(403, `Requires role ${minimum} or higher`, [Problems.forbidden]));
