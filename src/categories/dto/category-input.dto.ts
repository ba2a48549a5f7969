import { ApiProperty, IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator.js';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** PUT body: every writable field is required (a full replace). */
export class ReplaceCategoryDto {
  @ApiProperty({ example: 'Brewing gear', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'brewing-gear', maxLength: 100, pattern: SLUG_PATTERN.source, description: 'Unique' })
  @Trim()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'slug must be lowercase letters and digits in words joined by single hyphens, e.g. "brewing-gear"' })
  @MaxLength(100)
  slug!: string;

  @ApiProperty({ example: 'Everything to make it', maxLength: 2000 })
  @Trim()
  @IsString()
  @MaxLength(2000)
  description!: string;
}

/** POST body: description may be left out (""). */
export class CreateCategoryDto extends IntersectionType(
  OmitType(ReplaceCategoryDto, ['description'] as const),
  PartialType(PickType(ReplaceCategoryDto, ['description'] as const), { skipNullProperties: false }),
) {}

/** PATCH body: any subset of the fields, at least one; null is not a value. */
export class UpdateCategoryDto extends PartialType(ReplaceCategoryDto, { skipNullProperties: false }) {}
