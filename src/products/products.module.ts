import { Module } from '@nestjs/common';
import { CursorCodec } from '../common/pagination/cursor.js';
import { ProductsController } from './products.controller.js';
import { ProductsRepository } from './products.repository.js';
import { ProductsService } from './products.service.js';
import { SearchCounts } from './search-counts.js';

@Module({
  controllers: [ProductsController],
  providers: [ProductsService, ProductsRepository, CursorCodec, { provide: SearchCounts, useFactory: () => new SearchCounts() }],
})
export class ProductsModule {}
