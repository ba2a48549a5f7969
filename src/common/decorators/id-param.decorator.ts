import { Param, type PipeTransform } from '@nestjs/common';
import { PG_INT_MAX, parseCanonicalInt } from '../numbers/canonical-int.js';
import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';

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

/** A path id in canonical decimal digits within INTEGER's range; anything else is a 400 problem, never a crash. */
export const IdParam = (name = 'id') => Param(name, canonicalId(name));
