import type { ArgumentsHost } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemDetailsFilter } from './problem-details.filter.js';

const filter = new ProblemDetailsFilter();

/**
 * Answers with the problem document the global filter would render, for code that runs outside
 * Nest's request pipeline (plain Fastify routes and Fastify's router errors).
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const http = { getRequest: () => request, getResponse: () => reply };
  filter.catch(error, { switchToHttp: () => http } as unknown as ArgumentsHost);
  return reply;
}
