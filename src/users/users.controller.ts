import { Body, Controller, Get, Patch, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { Auth } from '../auth/decorators/auth.decorator.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { Role } from '../auth/role.js';
import { Endpoint } from '../common/decorators/endpoint.decorator.js';
import { IdParam } from '../common/decorators/id-param.decorator.js';
import type { CursorPage } from '../common/pagination/cursor.js';
import { listAnswer } from '../common/pagination/list-answer.js';
import type { Page } from '../common/pagination/page.js';
import { ApiCommonProblems, ApiProblem, BODY_PROBLEMS } from '../common/problems/api-problem.decorator.js';
import { Problems } from '../common/problems/problem-types.js';
import { ListUsersQueryDto } from './dto/list-users-query.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserCursorPage, UserDto, UserPage } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiCommonProblems()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Endpoint({
    summary: 'The signed-in user',
    description: 'Whoever the access token belongs to, with their role.',
    auth: Auth.signedIn(),
    ok: { type: UserDto, description: 'The caller' },
    problems: [ApiProblem(400, 'A control character in the query string', [Problems.badRequest])],
  })
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserDto> {
    return this.users.get(user.id);
  }

  @Get()
  @Endpoint({
    summary: 'List users (admin)',
    description: 'Filter by role; never shows password hashes.',
    auth: Auth.atLeast(Role.admin),
    list: { page: UserPage, cursorPage: UserCursorPage },
  })
  async list(@Query() query: ListUsersQueryDto, @Req() request: FastifyRequest): Promise<Page<UserDto> | CursorPage<UserDto>> {
    return listAnswer(request, await this.users.list(query));
  }

  @Patch(':id')
  @Endpoint({
    summary: "Change a user's role (admin)",
    description: 'The last admin cannot be demoted (409).',
    auth: Auth.atLeast(Role.admin),
    ok: { type: UserDto, description: 'The user with the new role' },
    problems: [
      ApiProblem(400, 'Invalid id or body', BODY_PROBLEMS),
      ApiProblem(404, 'No such user', [Problems.notFound]),
      ApiProblem(409, 'Would demote the last admin', [Problems.conflict]),
    ],
  })
  update(@IdParam() id: number, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, dto);
  }
}
