import { type FieldError, ProblemException } from './problem.exception.js';
import { Problems } from './problem-types.js';

/** 400 validation-error naming each invalid field (the validation pipe's answer, and the services' for rules it cannot check). */
export function validationProblem(errors: FieldError[]): ProblemException {
  const fields = new Set(errors.map((e) => e.field)).size;
  return new ProblemException(Problems.validation, {
    detail: fields === 1 ? '1 field is invalid' : `${fields} fields are invalid`,
    errors,
  });
}

/** 404 for a resource that does not exist, or that the caller may not see (e.g. "Order 7 not found"). */
export const notFound = (resource: string, id: number): ProblemException => new ProblemException(Problems.notFound, { detail: `${resource} ${id} not found` });
