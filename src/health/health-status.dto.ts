import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthStatusDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiPropertyOptional({ example: { database: 'up' } })
  checks?: Record<string, 'up'>;
}
