import type { DatabaseFailure, DataExceptionReason } from '../../database/database-errors.js';
import { ProblemException } from './problem.exception.js';
import { Problems } from './problem-types.js';

const DATA_EXCEPTION_DETAIL: Record<DataExceptionReason, string> = {
  'too-long': 'A text value in the request is too long',
  'out-of-range': 'A number in the request is out of range',
  'unstorable-character': 'A text value in the request contains a character that cannot be stored',
  'wrong-format': 'A value in the request has the wrong format',
};

/**
 * The answer to a database failure no repository expected (the global filter's only database
 * knowledge). Repositories handle the ones they expect (a taken sku…) with a precise problem.
 */
export function databaseProblem(failure: DatabaseFailure): ProblemException {
  switch (failure.kind) {
    case 'unique-violation': {
      const { fields } = failure;
      return new ProblemException(Problems.duplicate, {
        detail: fields.length ? `A record with this ${fields.join(', ')} already exists` : 'A record with this value already exists',
        errors: fields.map((field) => ({ field, message: `${field} must be unique` })),
      });
    }
    case 'foreign-key-violation':
      return new ProblemException(Problems.inUse, { detail: 'The operation conflicts with a related record' });
    case 'rule-violation':
      // The API validates first, so reaching a CHECK or NOT NULL rule means a rule the validation
      // missed; still the request's conflict with the data, not a server failure.
      return new ProblemException(Problems.conflict, { detail: 'The change conflicts with a rule of the stored data' });
    case 'record-not-found':
      return new ProblemException(Problems.notFound, { detail: 'Resource not found' });
    case 'retryable':
      return new ProblemException(Problems.conflict, { detail: 'The request conflicted with a concurrent update; retry it' });
    case 'data-exception':
      // The request's fault, whichever path let it through validation: a 400, not a 500.
      return new ProblemException(Problems.badRequest, {
        detail: (failure.reason && DATA_EXCEPTION_DETAIL[failure.reason]) ?? 'A value in the request cannot be stored',
      });
    case 'unavailable':
      return new ProblemException(Problems.serviceUnavailable, {
        detail: 'The database is not available; retry later',
        headers: { 'Retry-After': '5' },
      });
  }
}
