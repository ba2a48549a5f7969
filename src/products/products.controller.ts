import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { ApiAuthenticated, ApiOptionalAuth } from '../auth/decorators/authenticated.decorator.js';
import { OptionalUser } from '../auth/decorators/optional-user.decorator.js';
import { Public } from '../auth/decorators/public.decorator.js';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { Role } from '../auth/role.js';
import { IdParam, INVALID_ID } from '../common/decorators/id-param.decorator.js';
import { ApiIfMatch, ApiIfNoneMatch, ETAG_HEADER, locationHeader } from '../common/http/api-conditional.decorator.js';
import { conditionalGet, ifMatchVersions, sendTagged } from '../common/http/entity-tag.js';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator.js';
import type { CursorPage } from '../common/pagination/cursor.js';
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
  @Public()
  @ApiOptionalAuth()
  @ApiOperation({
    summary: 'List products (public)',
    description: 'Anonymous callers and customers see active, unarchived products; staff also see inactive ones, and archived ones with includeArchived=true.',
  })
  @ApiPageResponse(ProductPage, ProductCursorPage)
  list(
    @Query() query: ListProductsQueryDto,
    @OptionalUser() viewer: AuthenticatedUser | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<ProductDto> | CursorPage<ProductDto>> {
    reply.header('vary', VARY);
    return this.products.list(query, viewer, request);
  }

  @Get(':id')
  @Public()
  @ApiOptionalAuth()
  @ApiOperation({
    summary: 'One product (public), with its ETag',
    description: 'Inactive or archived products answer 404 except to staff.',
  })
  @ApiOkResponse({ type: ProductDto, headers: ETAG_HEADER, description: 'The product' })
  @ApiIfNoneMatch()
  @ApiProblem(400, INVALID_ID, QUERY_PROBLEMS)
  @NOT_FOUND
  async get(
    @IdParam() id: number,
    @OptionalUser() viewer: AuthenticatedUser | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductDto | undefined> {
    const product = await this.products.get(id, viewer);
    reply.header('vary', VARY);
    return conditionalGet(reply, ifNoneMatch, product);
  }

  @Post()
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Create a product (staff)', description: 'Answers the new product with its ETag and Location.' })
  @ApiCreatedResponse({ type: ProductDto, headers: { ...ETAG_HEADER, ...locationHeader('/v1/products/7') }, description: 'Created' })
  @ApiProblem(400, 'Invalid body, or categoryId names no category', BODY_PROBLEMS)
  @SKU_TAKEN
  async create(@Body() dto: CreateProductDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProductDto> {
    const created = await this.products.create(dto);
    reply.header('location', `/v1/products/${created.body.id}`);
    return sendTagged(reply, created);
  }

  @Put(':id')
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Replace a product (staff)', description: 'Every writable field is required. Honours If-Match.' })
  @ApiOkResponse({ type: ProductDto, headers: ETAG_HEADER, description: 'The product as replaced' })
  @ApiIfMatch()
  @ApiProblem(400, 'Invalid id or body, or categoryId names no category', BODY_PROBLEMS)
  @NOT_FOUND
  @SKU_TAKEN
  async replace(
    @IdParam() id: number,
    @Body() dto: ReplaceProductDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductDto> {
    return sendTagged(reply, await this.products.replace(id, dto, ifMatchVersions(ifMatch, id)));
  }

  @Patch(':id')
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({
    summary: 'Change some fields of a product (staff)',
    description: 'The body must name at least one field; null is not a value. Honours If-Match.',
  })
  @ApiOkResponse({ type: ProductDto, headers: ETAG_HEADER, description: 'The product as changed' })
  @ApiIfMatch()
  @ApiProblem(400, 'Invalid id or body, an empty body, or categoryId names no category', BODY_PROBLEMS)
  @NOT_FOUND
  @SKU_TAKEN
  async update(
    @IdParam() id: number,
    @Body() dto: UpdateProductDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductDto> {
    return sendTagged(reply, await this.products.update(id, dto, ifMatchVersions(ifMatch, id)));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({
    summary: 'Archive a product (staff)',
    description: 'The row stays for the orders that name it; it leaves public reads. Archiving an archived product is a no-op (204).',
  })
  @ApiNoContentResponse({ description: 'Archived' })
  @ApiProblem(400, INVALID_ID, QUERY_PROBLEMS)
  @NOT_FOUND
  archive(@IdParam() id: number): Promise<void> {
    return this.products.archive(id);
  }
}
