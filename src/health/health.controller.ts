import { Controller, Get, HttpCode, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import { Public } from '../auth/decorators/public.decorator.js';
import { ProblemDocument } from '../common/problems/problem-document.js';
import { HealthService } from './health.service.js';
import { HealthStatusDto } from './health-status.dto.js';

@ApiTags('operations')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @RouteConfig({ rateLimit: false })
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @ApiOkResponse({ type: HealthStatusDto })
  live(): HealthStatusDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @RouteConfig({ rateLimit: false })
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, 503 otherwise or while shutting down' })
  @ApiOkResponse({ type: HealthStatusDto })
  @ApiServiceUnavailableResponse({ type: ProblemDocument })
  async ready(): Promise<HealthStatusDto> {
    await this.health.assertReady();
    return { status: 'ok', checks: { database: 'up' } };
  }
}
