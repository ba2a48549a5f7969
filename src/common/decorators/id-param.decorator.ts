import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { PG_INT_MAX, parseCanonicalInt } from '../numbers/canonical-int.js';
import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';

/** The 400 of a route with an IdParam, for its OpenAPI description. */
export const INVALID_ID = `The id is not a whole number from 1 to ${PG_INT_MAX}`;

const invalidId = (name: string) => {
  const message = `${name} must be a whole number from 1 to ${PG_INT_MAX} (decimal digits only)`;
  return new ProblemException(Problems.validation, { detail: message, errors: [{ field: name, message }] });
};

const canonicalId = (name: string): PipeTransform<string, number> => ({
  transform: (value) => {
    const id = parseCanonicalInt(value, 1, PG_INT_MAX);
    if (id === undefined) throw invalidId(name);
    return id;
  },
});

/**
 * A path id in canonical decimal digits within INTEGER's range; anything else is a 400 problem,
 * never a crash. Also describes the parameter in the OpenAPI document (integer, its range).
 */
export const IdParam =
  (name = 'id'): ParameterDecorator =>
  (target, key, index) => {
    Param(name, canonicalId(name))(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (!descriptor) return;
    ApiParam({
      name,
      description: `Decimal digits only, 1 to ${PG_INT_MAX}`,
      schema: { type: 'integer', minimum: 1, maximum: PG_INT_MAX, example: 1 },
    })(target, key, descriptor);
  };
