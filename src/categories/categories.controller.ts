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
import type { Page } from '../common/pagination/page.js';
import { ApiCommonProblems, ApiProblem, BODY_PROBLEMS, QUERY_PROBLEMS } from '../common/problems/api-problem.decorator.js';
import { Problems } from '../common/problems/problem-types.js';
import { CategoriesService } from './categories.service.js';
import { CreateCategoryDto, ReplaceCategoryDto, UpdateCategoryDto } from './dto/category-input.dto.js';
import { CategoryDto, CategoryPage } from './dto/category.dto.js';
import { ListCategoriesQueryDto } from './dto/list-categories-query.dto.js';

const NOT_FOUND = ApiProblem(404, 'No such category', [Problems.notFound]);
const SLUG_TAKEN = ApiProblem(409, 'The slug is taken', [Problems.duplicate]);

@ApiTags('categories')
@ApiCommonProblems()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @Public()
  @ApiOptionalAuth()
  @ApiOperation({ summary: 'List categories (public)', description: 'Everyone sees every category.' })
  @ApiPageResponse(CategoryPage)
  list(
    @Query() query: ListCategoriesQueryDto,
    @OptionalUser() viewer: AuthenticatedUser | undefined,
    @Req() request: FastifyRequest,
  ): Promise<Page<CategoryDto>> {
    return this.categories.list(query, viewer, request);
  }

  @Get(':id')
  @Public()
  @ApiOptionalAuth()
  @ApiOperation({ summary: 'One category (public), with its ETag', description: 'Honours If-None-Match (304).' })
  @ApiOkResponse({ type: CategoryDto, headers: ETAG_HEADER, description: 'The category' })
  @ApiIfNoneMatch()
  @ApiProblem(400, INVALID_ID, QUERY_PROBLEMS)
  @NOT_FOUND
  async get(
    @IdParam() id: number,
    @OptionalUser() viewer: AuthenticatedUser | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CategoryDto | undefined> {
    return conditionalGet(reply, ifNoneMatch, await this.categories.get(id, viewer));
  }

  @Post()
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Create a category (staff)', description: 'Answers the new category with its ETag and Location.' })
  @ApiCreatedResponse({ type: CategoryDto, headers: { ...ETAG_HEADER, ...locationHeader('/v1/categories/3') }, description: 'Created' })
  @ApiProblem(400, 'Invalid body', BODY_PROBLEMS)
  @SLUG_TAKEN
  async create(@Body() dto: CreateCategoryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CategoryDto> {
    const created = await this.categories.create(dto);
    reply.header('location', `/v1/categories/${created.body.id}`);
    return sendTagged(reply, created);
  }

  @Put(':id')
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Replace a category (staff)', description: 'Every writable field is required. Honours If-Match.' })
  @ApiOkResponse({ type: CategoryDto, headers: ETAG_HEADER, description: 'The category as replaced' })
  @ApiIfMatch()
  @ApiProblem(400, 'Invalid id or body', BODY_PROBLEMS)
  @NOT_FOUND
  @SLUG_TAKEN
  async replace(
    @IdParam() id: number,
    @Body() dto: ReplaceCategoryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CategoryDto> {
    return sendTagged(reply, await this.categories.replace(id, dto, ifMatchVersions(ifMatch, id)));
  }

  @Patch(':id')
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({
    summary: 'Change some fields of a category (staff)',
    description: 'The body must name at least one field; null is not a value. Honours If-Match.',
  })
  @ApiOkResponse({ type: CategoryDto, headers: ETAG_HEADER, description: 'The category as changed' })
  @ApiIfMatch()
  @ApiProblem(400, 'Invalid id or body, or an empty body', BODY_PROBLEMS)
  @NOT_FOUND
  @SLUG_TAKEN
  async update(
    @IdParam() id: number,
    @Body() dto: UpdateCategoryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CategoryDto> {
    return sendTagged(reply, await this.categories.update(id, dto, ifMatchVersions(ifMatch, id)));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Delete a category (staff)', description: 'Refused (409 in-use) while any product, archived or not, is in it.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblem(400, INVALID_ID, QUERY_PROBLEMS)
  @NOT_FOUND
  @ApiProblem(409, 'The category still has products', [Problems.inUse])
  remove(@IdParam() id: number): Promise<void> {
    return this.categories.remove(id);
  }
}
