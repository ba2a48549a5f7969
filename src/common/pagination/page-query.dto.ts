import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PG_INT_MAX } from '../numbers/canonical-int.js';
import { QueryInt } from '../numbers/query-int.decorator.js';
import { MAX_PAGE_OFFSET } from './page.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** page / pageSize / ordering: the query every list endpoint takes (extend it per resource). */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PG_INT_MAX,
    default: 1,
    description: `Page number, from 1. Past the last page a 404; a page that starts past row ${MAX_PAGE_OFFSET.toLocaleString('en')} is a 400 (where a list has cursor paging, it reaches any depth)`,
  })
  @IsOptional()
  @QueryInt({ min: 1, max: PG_INT_MAX })
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Items per page' })
  @IsOptional()
  @QueryInt({ min: 1, max: MAX_PAGE_SIZE })
  pageSize: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    type: String,
    description: 'Comma-separated fields; prefix with "-" for descending, e.g. "-price,name" (each list names its fields)',
    example: '-createdAt',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  ordering?: string;
}
