import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'price' })
  field!: string;

  @ApiProperty({ example: 'price must be a positive number' })
  message!: string;
}

/** RFC 9457 problem document: the body of every error response. */
export class ProblemDocument {
  @ApiProperty({ example: 'https://shop-api.dev/problems/validation-error' })
  type!: string;

  @ApiProperty({ example: 'Validation failed' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: '1 field is invalid' })
  detail!: string;

  @ApiProperty({ example: '/v1/products' })
  instance!: string;

  @ApiProperty({ example: '5f0c6a0e-8a5e-4c7a-9d7e-0d3c1b0b9e11' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
