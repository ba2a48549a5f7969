import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDocument } from '../../common/problems/problem-document.js';

/** OpenAPI marks for a protected controller or route: bearer scheme and its 401 answer. */
export const ApiAuthenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token', type: ProblemDocument }),
  );
