import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiAuthenticated } from '../auth/decorators/authenticated.decorator.js';
import { Public } from '../auth/decorators/public.decorator.js';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { Role } from '../auth/role.js';
import { IdParam } from '../common/decorators/id-param.decorator.js';
import { ApiIfMatch, ApiIfNoneMatch, ETAG_HEADER } from '../common/http/api-conditional.decorator.js';
import { conditionalGet, ifMatchVersions, sendTagged } from '../common/http/entity-tag.js';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator.js';
import type { Page } from '../common/pagination/page.js';
import { ProblemDocument } from '../common/problems/problem-document.js';
import { CategoriesService } from './categories.service.js';
import { CreateCategoryDto, ReplaceCategoryDto, UpdateCategoryDto } from './dto/category-input.dto.js';
import { CategoryDto } from './dto/category.dto.js';
import { ListCategoriesQueryDto } from './dto/list-categories-query.dto.js';

@ApiTags('categories')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'List categories (public)' })
  @ApiPageResponse(CategoryDto)
  @ApiUnauthorizedResponse({ description: 'A token was sent but is invalid or expired', type: ProblemDocument })
  list(@Query() query: ListCategoriesQueryDto, @Req() request: FastifyRequest): Promise<Page<CategoryDto>> {
    return this.categories.list(query, request);
  }

  @Get(':id')
  @Public()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One category (public), with its ETag' })
  @ApiOkResponse({ type: CategoryDto, headers: ETAG_HEADER })
  @ApiIfNoneMatch()
  @ApiBadRequestResponse({ description: 'The id is not a positive integer', type: ProblemDocument })
  @ApiUnauthorizedResponse({ description: 'A token was sent but is invalid or expired', type: ProblemDocument })
  @ApiNotFoundResponse({ type: ProblemDocument })
  async get(
    @IdParam() id: number,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CategoryDto | undefined> {
    return conditionalGet(reply, ifNoneMatch, await this.categories.get(id));
  }

  @Post()
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Create a category (staff)' })
  @ApiCreatedResponse({
    type: CategoryDto,
    headers: { ...ETAG_HEADER, Location: { description: 'Path of the new category', schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({ description: 'Invalid body', type: ProblemDocument })
  @ApiConflictResponse({ description: 'The slug is taken', type: ProblemDocument })
  async create(@Body() dto: CreateCategoryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CategoryDto> {
    const created = await this.categories.create(dto);
    reply.header('location', `/v1/categories/${created.body.id}`);
    return sendTagged(reply, created);
  }

  @Put(':id')
  @Roles(Role.staff)
  @ApiAuthenticated()
  @ApiOperation({ summary: 'Replace a category (staff): every field is required' })
  @ApiOkResponse({ type: CategoryDto, headers: ETAG_HEADER })
  @ApiIfMatch()
  @ApiBadRequestResponse({ description: 'Invalid id or body', type: ProblemDocument })
  @ApiNotFoundResponse({ type: ProblemDocument })
  @ApiConflictResponse({ description: 'The slug is taken', type: ProblemDocument })
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
  @ApiOperation({ summary: 'Change some fields of a category (staff); the body must name at least one' })
  @ApiOkResponse({ type: CategoryDto, headers: ETAG_HEADER })
  @ApiIfMatch()
  @ApiBadRequestResponse({ description: 'Invalid id or body, or an empty body', type: ProblemDocument })
  @ApiNotFoundResponse({ type: ProblemDocument })
  @ApiConflictResponse({ description: 'The slug is taken', type: ProblemDocument })
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
  @ApiOperation({ summary: 'Delete a category (staff); refused while any product, archived or not, is in it' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiBadRequestResponse({ description: 'The id is not a positive integer', type: ProblemDocument })
  @ApiNotFoundResponse({ type: ProblemDocument })
  @ApiConflictResponse({ description: 'The category still has products', type: ProblemDocument })
  remove(@IdParam() id: number): Promise<void> {
    return this.categories.remove(id);
  }
}
