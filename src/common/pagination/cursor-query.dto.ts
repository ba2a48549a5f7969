import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from './page-query.dto.js';

/** The list query of a large collection: page-number paging by default, cursor paging with `cursor`. */
export class CursorPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: String,
    maxLength: 1000,
    example: '',
    description:
      'Cursor paging (no count): empty for the first page, then the value in the next or previous link. ' +
      'Bound to the ordering and filters it was made with; a forged or mismatched cursor, or one combined with page, is a 400.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
