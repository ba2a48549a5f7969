import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROBLEM_BASE, Problems } from './problem-types.js';

export class FieldErrorDto {
  @ApiProperty({ type: String, example: 'price' })
  field!: string;

  @ApiProperty({ type: String, example: 'price must be a positive number' })
  message!: string;
}

/** Every `type` the API answers with: the catalogue, and the fallback for a bare status outside it. */
export const PROBLEM_TYPE_URIS = [...Object.values(Problems).map((problem) => PROBLEM_BASE + problem.slug), `${PROBLEM_BASE}http-error`];

/** RFC 9457 problem document: the body of every error response. */
export class ProblemDocument {
  @ApiProperty({
    type: String,
    enum: PROBLEM_TYPE_URIS,
    example: `${PROBLEM_BASE}validation-error`,
    description: 'What kind of problem this is (README: "Errors")',
  })
  type!: string;

  @ApiProperty({ type: String, example: 'Validation failed', description: 'Short, the same for every problem of this type' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400, description: 'The HTTP status code' })
  status!: number;

  @ApiProperty({ type: String, example: '1 field is invalid', description: 'What went wrong with this request' })
  detail!: string;

  @ApiProperty({ type: String, example: '/v1/products', description: 'The path of the request' })
  instance!: string;

  @ApiProperty({ type: String, example: '5f0c6a0e-8a5e-4c7a-9d7e-0d3c1b0b9e11', description: 'Same as the X-Request-Id response header and the log line' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'validation-error and some 409s: one entry per field or item at fault' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ type: String, example: 'shipped', description: 'Order status conflicts (409) only: the status the order has' })
  currentStatus?: string;

  @ApiPropertyOptional({ type: String, example: 'cancelled', description: 'Order status conflicts (409) only: the status that was asked for' })
  requestedStatus?: string;

  @ApiPropertyOptional({ type: 'integer', example: 1000000000, description: 'stock-limit (409) only: the highest stock a product may hold' })
  maxStock?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
