import { Body, Controller, Delete, Get, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { Auth } from '../auth/decorators/auth.decorator.js';
import { OptionalUser } from '../auth/decorators/optional-user.decorator.js';
import { Role } from '../auth/role.js';
import type { Precondition, Versioned } from '../common/concurrency/row-version.js';
import { Endpoint } from '../common/decorators/endpoint.decorator.js';
import type { JsonText } from '../common/http/json-text.js';
import { IdParam, INVALID_ID } from '../common/decorators/id-param.decorator.js';
import { IfMatch } from '../common/http/if-match.decorator.js';
import type { CursorPage } from '../common/pagination/cursor.js';
import { listAnswer } from '../common/pagination/list-answer.js';
import type { Page } from '../common/pagination/page.js';
import { ApiCommonProblems, ApiProblem, BODY_PROBLEMS, QUERY_PROBLEMS } from '../common/problems/api-problem.decorator.js';
import { Problems } from '../common/problems/problem-types.js';
import { ListProductsQueryDto } from './dto/list-products-query.dto.js';
import { CreateProductDto, ReplaceProductDto, UpdateProductDto } from './dto/product-input.dto.js';
import { ProductCursorPage, ProductDto, ProductPage } from './dto/product.dto.js';
import { ProductsService } from './products.service.js';

// Staff get a different representation (inactive and archived products, archivedAt) from the same URL.
const VARY = 'Authorization';
const NOT_FOUND = ApiProblem(404, 'No such product (or, to customers, an inactive or archived one)', [Problems.notFound]);
const SKU_TAKEN = ApiProblem(409, 'The sku is taken', [Problems.duplicate]);

@ApiTags('products')
@ApiCommonProblems()
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Endpoint({
    summary: 'List products (public)',
    description: 'Anonymous callers and customers see active, unarchived products; staff also see inactive ones, and archived ones with includeArchived=true.',
    auth: Auth.optional(),
    list: { page: ProductPage, cursorPage: ProductCursorPage },
  })
  async list(
    @Query() query: ListProductsQueryDto,
    @OptionalUser() viewer: AuthenticatedUser | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<ProductDto> | CursorPage<ProductDto>> {
    reply.header('vary', VARY);
    return listAnswer(reply.request, await this.products.list(query, viewer));
  }

  @Get(':id')
  @Endpoint({
    summary: 'One product (public), with its ETag',
    description: 'Inactive or archived products answer 404 except to staff.',
    auth: Auth.optional(),
    ok: { type: ProductDto, description: 'The product' },
    etag: 'read',
    problems: [ApiProblem(400, INVALID_ID, QUERY_PROBLEMS), NOT_FOUND],
  })
  async get(
    @IdParam() id: number,
    @OptionalUser() viewer: AuthenticatedUser | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Versioned<JsonText<ProductDto>>> {
    const product = await this.products.get(id, viewer);
    reply.header('vary', VARY);
    return product;
  }

  @Post()
  @Endpoint({
    summary: 'Create a product (staff)',
    description: 'Answers the new product with its ETag and Location.',
    auth: Auth.atLeast(Role.staff),
    created: { type: ProductDto, description: 'Created', location: '/v1/products/7' },
    etag: 'create',
    problems: [ApiProblem(400, 'Invalid body, or categoryId names no category', BODY_PROBLEMS), SKU_TAKEN],
  })
  create(@Body() dto: CreateProductDto): Promise<Versioned<ProductDto>> {
    return this.products.create(dto);
  }

  @Put(':id')
  @Endpoint({
    summary: 'Replace a product (staff)',
    description: 'Every writable field is required. Honours If-Match.',
    auth: Auth.atLeast(Role.staff),
    ok: { type: ProductDto, description: 'The product as replaced' },
    etag: 'write',
    problems: [ApiProblem(400, 'Invalid id or body, or categoryId names no category', BODY_PROBLEMS), NOT_FOUND, SKU_TAKEN],
  })
  replace(@IdParam() id: number, @Body() dto: ReplaceProductDto, @IfMatch() precondition: Precondition): Promise<Versioned<ProductDto>> {
    return this.products.replace(id, dto, precondition);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change some fields of a product (staff)',
    description: 'The body must name at least one field; null is not a value. Honours If-Match.',
    auth: Auth.atLeast(Role.staff),
    ok: { type: ProductDto, description: 'The product as changed' },
    etag: 'write',
    problems: [ApiProblem(400, 'Invalid id or body, an empty body, or categoryId names no category', BODY_PROBLEMS), NOT_FOUND, SKU_TAKEN],
  })
  update(@IdParam() id: number, @Body() dto: UpdateProductDto, @IfMatch() precondition: Precondition): Promise<Versioned<ProductDto>> {
    return this.products.update(id, dto, precondition);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Archive a product (staff)',
    description: 'The row stays for the orders that name it; it leaves public reads. Archiving an archived product is a no-op (204).',
    auth: Auth.atLeast(Role.staff),
    noContent: 'Archived',
    problems: [ApiProblem(400, INVALID_ID, QUERY_PROBLEMS), NOT_FOUND],
  })
  archive(@IdParam() id: number): Promise<void> {
    return this.products.archive(id);
  }
}
