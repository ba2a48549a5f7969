import { Param, ParseIntPipe, type PipeTransform } from '@nestjs/common';
import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';

const MAX_ID = 2_147_483_647; // PostgreSQL INTEGER

const invalidId = (name: string) =>
  new ProblemException(Problems.validation, {
    detail: `${name} must be a positive integer`,
    errors: [{ field: name, message: `${name} must be a positive integer` }],
  });

const inRange = (name: string): PipeTransform<number, number> => ({
  transform: (value) => {
    if (value < 1 || value > MAX_ID) throw invalidId(name);
    return value;
  },
});

/** A positive integer path id; anything else is a 400 problem, never a crash or a 404. */
export const IdParam = (name = 'id') =>
  Param(name, new ParseIntPipe({ exceptionFactory: () => invalidId(name) }), inRange(name));
