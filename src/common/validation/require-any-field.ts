import { validationProblem } from '../problems/common-problems.js';

/** A partial update (PATCH) must change something: at least one of `fields` must be present. */
export function requireAnyField(body: object, fields: readonly string[]): void {
  if (Object.values(body).some((value) => value !== undefined)) return;
  throw validationProblem([{ field: 'body', message: `body must contain at least one of: ${fields.join(', ')}` }]);
}
