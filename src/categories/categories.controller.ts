import { Body, Controller, Delete, Get, Patch, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { Auth } from '../auth/decorators/auth.decorator.js';
import { OptionalUser } from '../auth/decorators/optional-user.decorator.js';
import { Role } from '../auth/role.js';
import type { Precondition, Versioned } from '../common/concurrency/row-version.js';
import { Endpoint } from '../common/decorators/endpoint.decorator.js';
import { IdParam, INVALID_ID } from '../common/decorators/id-param.decorator.js';
import { IfMatch } from '../common/http/if-match.decorator.js';
import { listAnswer } from '../common/pagination/list-answer.js';
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
  @Endpoint({ summary: 'List categories (public)', description: 'Everyone sees every category.', auth: Auth.optional(), list: { page: CategoryPage } })
  async list(
    @Query() query: ListCategoriesQueryDto,
    @OptionalUser() viewer: AuthenticatedUser | undefined,
    @Req() request: FastifyRequest,
  ): Promise<Page<CategoryDto>> {
    return listAnswer(request, await this.categories.list(query, viewer));
  }

  @Get(':id')
  @Endpoint({
    summary: 'One category (public), with its ETag',
    description: 'Honours If-None-Match (304).',
    auth: Auth.optional(),
    ok: { type: CategoryDto, description: 'The category' },
    etag: 'read',
    problems: [ApiProblem(400, INVALID_ID, QUERY_PROBLEMS), NOT_FOUND],
  })
  get(@IdParam() id: number, @OptionalUser() viewer: AuthenticatedUser | undefined): Promise<Versioned<CategoryDto>> {
    return this.categories.get(id, viewer);
  }

  @Post()
  @Endpoint({
    summary: 'Create a category (staff)',
    description: 'Answers the new category with its ETag and Location.',
    auth: Auth.atLeast(Role.staff),
    created: { type: CategoryDto, description: 'Created', location: '/v1/categories/3' },
    etag: 'create',
    problems: [ApiProblem(400, 'Invalid body', BODY_PROBLEMS), SLUG_TAKEN],
  })
  create(@Body() dto: CreateCategoryDto): Promise<Versioned<CategoryDto>> {
    return this.categories.create(dto);
  }

  @Put(':id')
  @Endpoint({
    summary: 'Replace a category (staff)',
    description: 'Every writable field is required. Honours If-Match.',
    auth: Auth.atLeast(Role.staff),
    ok: { type: CategoryDto, description: 'The category as replaced' },
    etag: 'write',
    problems: [ApiProblem(400, 'Invalid id or body', BODY_PROBLEMS), NOT_FOUND, SLUG_TAKEN],
  })
  replace(@IdParam() id: number, @Body() dto: ReplaceCategoryDto, @IfMatch() precondition: Precondition): Promise<Versioned<CategoryDto>> {
    return this.categories.replace(id, dto, precondition);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change some fields of a category (staff)',
    description: 'The body must name at least one field; null is not a value. Honours If-Match.',
    auth: Auth.atLeast(Role.staff),
    ok: { type: CategoryDto, description: 'The category as changed' },
    etag: 'write',
    problems: [ApiProblem(400, 'Invalid id or body, or an empty body', BODY_PROBLEMS), NOT_FOUND, SLUG_TAKEN],
  })
  update(@IdParam() id: number, @Body() dto: UpdateCategoryDto, @IfMatch() precondition: Precondition): Promise<Versioned<CategoryDto>> {
    return this.categories.update(id, dto, precondition);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Delete a category (staff)',
    description: 'Refused (409 in-use) while any product, archived or not, is in it.',
    auth: Auth.atLeast(Role.staff),
    noContent: 'Deleted',
    problems: [ApiProblem(400, INVALID_ID, QUERY_PROBLEMS), NOT_FOUND, ApiProblem(409, 'The category still has products', [Problems.inUse])],
  })
  remove(@IdParam() id: number): Promise<void> {
    return this.categories.remove(id);
  }
}
