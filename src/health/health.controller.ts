import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import { Auth } from '../auth/decorators/auth.decorator.js';
import { Endpoint } from '../common/decorators/endpoint.decorator.js';
import { ApiCommonProblems, ApiProblem, retryAfterHeader } from '../common/problems/api-problem.decorator.js';
import { Problems } from '../common/problems/problem-types.js';
import { HealthService } from './health.service.js';
import { HealthStatusDto } from './health-status.dto.js';
import { LIVE } from './liveness.js';

@ApiTags('operations')
@Auth.public()
@ApiCommonProblems({ rateLimited: false, database: false })
@ApiProblem(400, 'A control character in the query string', [Problems.badRequest])
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @RouteConfig({ rateLimit: false })
  @Endpoint({
    summary: 'Liveness',
    description: '200 while the process runs; not rate limited.',
    ok: { type: HealthStatusDto, description: 'The process runs' },
  })
  live(): HealthStatusDto {
    return LIVE; // a plain probe is answered before Nest (liveness.ts); this serves the rest
  }

  @Get('ready')
  @RouteConfig({ rateLimit: false })
  @Endpoint({
    summary: 'Readiness',
    description: '200 when the database answers, 503 otherwise or while shutting down; not rate limited.',
    ok: { type: HealthStatusDto, description: 'Ready to serve' },
    problems: [
      ApiProblem(
        503,
        'The database does not answer (with Retry-After), or the service is shutting down (without)',
        [Problems.serviceUnavailable],
        retryAfterHeader(false),
      ),
    ],
  })
  async ready(): Promise<HealthStatusDto> {
    await this.health.assertReady();
    return { status: 'ok', checks: { database: 'up' } };
  }
}
