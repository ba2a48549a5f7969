import { Module } from '@nestjs/common';
import { CursorCodec } from '../common/pagination/cursor.js';
import { ProductsController } from './products.controller.js';
import { ProductsRepository } from './products.repository.js';
import { ProductsService } from './products.service.js';
import { SearchCounts, SearchPages } from './kept-by-version.js';

@Module({
  controllers: [ProductsController],
  providers: [
    ProductsService,
    ProductsRepository,
    CursorCodec,
    { provide: SearchCounts, useFactory: () => new SearchCounts() },
    { provide: SearchPages, useFactory: () => new SearchPages() },
  ],
})
export class ProductsModule {}
