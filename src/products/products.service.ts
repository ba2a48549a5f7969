import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { catalogueView, isStaff } from '../auth/access-policy.js';
import { type Precondition, Versioned, writtenOrStale } from '../common/concurrency/row-version.js';
import { isRefusal } from '../database/write-refusal.js';
import type { JsonText } from '../common/http/json-text.js';
import { type Decimal, parseMoney } from '../common/money/money.js';
import { CursorCodec, cursorSlice, type CursorSlice, keyFromFields, readingOrder } from '../common/pagination/cursor.js';
import { parseOrdering } from '../common/pagination/ordering.js';
import { type CountedPage, countedPage, pageWindow } from '../common/pagination/page.js';
import { notFound, validationProblem } from '../common/problems/common-problems.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { requireAnyField } from '../common/validation/require-any-field.js';
import { PRODUCT_DEFAULT_ORDERING, PRODUCT_ORDERING_FIELDS, type ListProductsQueryDto } from './dto/list-products-query.dto.js';
import { type CreateProductDto, type ReplaceProductDto, type UpdateProductDto } from './dto/product-input.dto.js';
import { ProductDto } from './dto/product.dto.js';
import { type ProductData, type ProductListFilter, type ProductRecord, ProductsRepository, type ProductWriteRefusal } from './products.repository.js';

const WRITABLE = ['sku', 'name', 'description', 'price', 'stock', 'categoryId', 'active'] as const;

/** Money that passed @IsMoney() (undefined stays undefined: the field was not sent). */
const money = (value: string | number | undefined): Decimal | undefined => (value === undefined ? undefined : parseMoney(value));

function refused(refusal: ProductWriteRefusal, data: Partial<ProductData>): ProblemException {
  if (refusal.refused === 'duplicate') {
    return new ProblemException(Problems.duplicate, {
      detail: `A product with sku "${data.sku}" already exists`,
      errors: [{ field: 'sku', message: 'sku must be unique' }],
    });
  }
  return validationProblem([{ field: 'categoryId', message: `categoryId ${data.categoryId} is not an existing category` }]);
}

@Injectable()
export class ProductsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(query: ListProductsQueryDto, viewer: AuthenticatedUser | undefined): Promise<CountedPage<ProductDto> | CursorSlice<ProductDto>> {
    const orderBy = parseOrdering(query.ordering, PRODUCT_ORDERING_FIELDS, PRODUCT_DEFAULT_ORDERING);
    const minPrice = money(query.minPrice);
    const maxPrice = money(query.maxPrice);
    if (minPrice && maxPrice && minPrice.gt(maxPrice)) {
      throw validationProblem([{ field: 'minPrice', message: 'minPrice must not be greater than maxPrice' }]);
    }
    const visibility = catalogueView(viewer, query.includeArchived);
    const filter: ProductListFilter = {
      visibility,
      search: query.search || undefined,
      categoryId: query.categoryId,
      minPrice: minPrice?.toFixed(2),
      maxPrice: maxPrice?.toFixed(2),
      inStock: query.inStock,
      active: query.active,
    };
    if (query.cursor !== undefined) {
      const scope = { list: 'products', orderBy, filter };
      const position = this.cursors.decode(scope, query.cursor);
      const order = readingOrder(orderBy, position);
      const rows = await this.products.listAfter(filter, order, position?.key, query.pageSize + 1);
      return cursorSlice(this.cursors, scope, position, query.pageSize, rows, keyFromFields(orderBy));
    }
    const { skip, take } = pageWindow(query);
    const [count, rows] = await this.products.list(filter, orderBy, skip, take);
    return countedPage(query, count, rows);
  }

  /** Staff see every product, archived ones included; everyone else only active, unarchived ones. */
  async get(id: number, viewer: AuthenticatedUser | undefined): Promise<Versioned<JsonText<ProductDto>>> {
    const found = await this.products.findVisible(id, isStaff(viewer) ? 'staff-all' : 'public');
    if (!found) throw notFound('Product', id);
    return new Versioned(found.product, id, found.version);
  }

  async create(dto: CreateProductDto): Promise<Versioned<ProductDto>> {
    const { sku, name, description, stock, categoryId, active } = dto;
    const data = { sku, name, description, price: parseMoney(dto.price)!, stock, categoryId, active };
    const created = await this.products.create(data);
    if (isRefusal<ProductWriteRefusal>(created)) throw refused(created, data);
    return this.versioned(created);
  }

  replace(id: number, dto: ReplaceProductDto, precondition: Precondition): Promise<Versioned<ProductDto>> {
    return this.write(id, this.data(dto), precondition);
  }

  update(id: number, dto: UpdateProductDto, precondition: Precondition): Promise<Versioned<ProductDto>> {
    requireAnyField(dto, WRITABLE);
    return this.write(id, this.data(dto), precondition);
  }

  async archive(id: number): Promise<void> {
    if (!(await this.products.archive(id))) throw notFound('Product', id);
  }

  private async write(id: number, data: Partial<ProductData>, precondition: Precondition): Promise<Versioned<ProductDto>> {
    const updated = await this.products.update(id, data, precondition);
    if (isRefusal<ProductWriteRefusal>(updated)) throw refused(updated, data);
    return this.versioned(await writtenOrStale(updated, 'Product', id, () => this.products.findVisible(id, 'staff-all')));
  }

  /** Writable fields that were sent, money read exactly (never through a float). */
  private data(dto: Partial<ReplaceProductDto>): Partial<ProductData> {
    return {
      sku: dto.sku,
      name: dto.name,
      description: dto.description,
      price: money(dto.price),
      stock: dto.stock,
      categoryId: dto.categoryId,
      active: dto.active,
    };
  }

  /** Writes are staff-only, so their answers carry the staff representation (reads are rendered by PostgreSQL: products.repository.ts). */
  private versioned(product: ProductRecord): Versioned<ProductDto> {
    return new Versioned(ProductDto.from(product), product.id, product.version);
  }
}
