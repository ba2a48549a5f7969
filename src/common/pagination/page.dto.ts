import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Page } from './page.js';

/**
 * The OpenAPI schema of a page of `model`. Each resource names its own (`class ProductPage extends
 * PageOf(ProductDto) {}`), so the document has a ProductPage schema a generated client can import.
 */
export function PageOf<T>(model: Type<T>) {
  abstract class PageOfModel implements Page<T> {
    @ApiProperty({ type: 'integer', minimum: 0, example: 125, description: 'Items in the whole list, across pages' })
    count!: number;

    @ApiProperty({
      type: String,
      format: 'uri',
      nullable: true,
      example: 'http://localhost:3000/v1/products?page=3&pageSize=20',
      description: 'Absolute URL of the next page (same query otherwise); null on the last page',
    })
    next!: string | null;

    @ApiProperty({
      type: String,
      format: 'uri',
      nullable: true,
      example: 'http://localhost:3000/v1/products?page=1&pageSize=20',
      description: 'Absolute URL of the previous page; null on the first page',
    })
    previous!: string | null;

    @ApiProperty({ type: [model] })
    results!: T[];
  }
  return PageOfModel;
}
