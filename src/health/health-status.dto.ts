import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthStatusDto {
  @ApiProperty({ type: String, enum: ['ok'], example: 'ok' })
  status!: 'ok';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up'] },
    example: { database: 'up' },
    description: 'Readiness only: each dependency checked',
  })
  checks?: Record<string, 'up'>;
}
