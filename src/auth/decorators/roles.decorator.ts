import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { ProblemDocument } from '../../common/problems/problem-document.js';
import { Role } from '../role.js';

export const MIN_ROLE_KEY = 'minRole';

/** The lowest role allowed (customer < staff < admin); checked by RolesGuard. */
export const Roles = (minimum: Role) =>
  applyDecorators(
    SetMetadata(MIN_ROLE_KEY, minimum),
    ApiForbiddenResponse({ description: `Requires role ${minimum} or higher`, type: ProblemDocument }),
  );
