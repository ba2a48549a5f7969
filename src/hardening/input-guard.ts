import type { FastifyReply, FastifyRequest } from 'fastify';
import { validationProblem } from '../common/problems/common-problems.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { sendProblem } from '../common/problems/send-problem.js';
import { inspectInput, MAX_JSON_DEPTH } from './input-inspection.js';

const tooDeep = new ProblemException(Problems.badRequest, { detail: `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels` });

/**
 * Every body and query string is inspected once, right after parsing and before anything
 * transforms or validates it (request-hooks.ts runs this in Fastify's preValidation, before Nest's
 * guards and pipes): control characters anywhere are a 400 validation problem naming the fields,
 * and JSON nested deeper than MAX_JSON_DEPTH a 400 problem. Answers and returns true when the
 * input is refused. A request without body or query string has nothing to inspect. Header values
 * need no check here: Node's HTTP parser already refuses control characters in them (answered by
 * hardening/low-level-errors.ts).
 */
export function refuseHostileInput(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.body === undefined && !request.url.includes('?')) return false;
  for (const input of [request.query, request.body]) {
    if (input === undefined || input === null) continue;
    const inspection = inspectInput(input);
    if (inspection.kind === 'ok') continue;
    sendProblem(inspection.kind === 'too-deep' ? tooDeep : validationProblem(inspection.errors), request, reply);
    return true;
  }
  return false;
}
