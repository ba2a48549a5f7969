import { HttpException } from '@nestjs/common';
import type { ProblemType } from './problem-types.js';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemOptions {
  detail?: string;
  errors?: FieldError[];
  /** Extension members added to the problem document (RFC 9457 section 3.2). */
  extensions?: Record<string, unknown>;
  /** Response headers to send with the problem (e.g. Retry-After). */
  headers?: Record<string, string>;
}

/** An HTTP error the API answers with as an RFC 9457 problem document. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemType,
    readonly details: ProblemOptions = {},
  ) {
    super(details.detail ?? problem.title, problem.status);
  }
}
