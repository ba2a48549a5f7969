import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { CursorPage } from './cursor.js';

/** The OpenAPI schema of a cursor page of `model` (`class ProductCursorPage extends CursorPageOf(ProductDto) {}`). */
export function CursorPageOf<T>(model: Type<T>) {
  abstract class CursorPageOfModel implements CursorPage<T> {
    @ApiProperty({
      type: String,
      format: 'uri',
      nullable: true,
      example: 'http://localhost:3000/v1/products?cursor=eyJvIjoiaWQgYXNjIn0.c2lnbmF0dXJl&pageSize=20',
      description: 'Absolute URL of the next page (same query, new cursor); null at the end',
    })
    next!: string | null;

    @ApiProperty({
      type: String,
      format: 'uri',
      nullable: true,
      example: null,
      description: 'Absolute URL of the previous page; null on the first page',
    })
    previous!: string | null;

    @ApiProperty({ type: [model] })
    results!: T[];
  }
  return CursorPageOfModel;
}
