import { Body, Controller, Get, Patch, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { ApiAuthenticated } from '../auth/decorators/authenticated.decorator.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { Role } from '../auth/role.js';
import { IdParam } from '../common/decorators/id-param.decorator.js';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator.js';
import type { Page } from '../common/pagination/page.js';
import { ProblemDocument } from '../common/problems/problem-document.js';
import { ListUsersQueryDto } from './dto/list-users-query.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiAuthenticated()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserDto> {
    return this.users.get(user.id);
  }

  @Get()
  @Roles(Role.admin)
  @ApiOperation({ summary: 'List users (admin)' })
  @ApiPageResponse(UserDto)
  list(@Query() query: ListUsersQueryDto, @Req() request: FastifyRequest): Promise<Page<UserDto>> {
    return this.users.list(query, request);
  }

  @Patch(':id')
  @Roles(Role.admin)
  @ApiOperation({ summary: "Change a user's role (admin). The last admin cannot be demoted." })
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({ type: ProblemDocument })
  @ApiNotFoundResponse({ type: ProblemDocument })
  @ApiConflictResponse({ description: 'Would demote the last admin', type: ProblemDocument })
  update(@IdParam() id: number, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, dto);
  }
}
