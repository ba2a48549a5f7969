import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDocument } from '../problems/problem-document.js';

/** OpenAPI for a DRF-style page of `model`, plus its 400 (bad query) and 404 (page past the end). */
export const ApiPageResponse = <T extends Type<unknown>>(model: T) =>
  applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['count', 'next', 'previous', 'results'],
        properties: {
          count: { type: 'integer', example: 125 },
          next: { type: 'string', nullable: true, format: 'uri', example: 'http://localhost:3000/v1/products?page=3&pageSize=20' },
          previous: { type: 'string', nullable: true, format: 'uri', example: 'http://localhost:3000/v1/products?page=1&pageSize=20' },
          results: { type: 'array', items: { $ref: getSchemaPath(model) } },
        },
      },
    }),
    ApiBadRequestResponse({ description: 'Bad query parameter', type: ProblemDocument }),
    ApiNotFoundResponse({ description: 'Page past the end', type: ProblemDocument }),
  );
