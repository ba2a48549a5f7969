import { Injectable } from '@nestjs/common';
import { CursorCodec, cursorSlice, type CursorSlice, keyFromFields, readingOrder } from '../common/pagination/cursor.js';
import { parseOrdering } from '../common/pagination/ordering.js';
import { type CountedPage, countedPage, pageWindow } from '../common/pagination/page.js';
import { notFound } from '../common/problems/common-problems.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { ListUsersQueryDto, USER_DEFAULT_ORDERING, USER_ORDERING_FIELDS } from './dto/list-users-query.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserDto } from './dto/user.dto.js';
import { type UserListFilter, UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async get(id: number): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('User', id);
    return UserDto.from(user);
  }

  async list(query: ListUsersQueryDto): Promise<CountedPage<UserDto> | CursorSlice<UserDto>> {
    const orderBy = parseOrdering(query.ordering, USER_ORDERING_FIELDS, USER_DEFAULT_ORDERING);
    const filter: UserListFilter = { role: query.role };
    if (query.cursor !== undefined) {
      const scope = { list: 'users', orderBy, filter };
      const position = this.cursors.decode(scope, query.cursor);
      const rows = await this.users.listAfter(filter, readingOrder(orderBy, position), position?.key, query.pageSize + 1);
      return cursorSlice(this.cursors, scope, position, query.pageSize, rows.map(UserDto.from), keyFromFields(orderBy));
    }
    const { skip, take } = pageWindow(query);
    const [count, rows] = await this.users.list(filter, orderBy, skip, take);
    return countedPage(query, count, rows.map(UserDto.from));
  }

  async update(id: number, dto: UpdateUserDto): Promise<UserDto> {
    const result = await this.users.changeRole(id, dto.role);
    if (result === 'not-found') throw notFound('User', id);
    if (result === 'last-admin') {
      throw new ProblemException(Problems.conflict, { detail: 'The last admin cannot be demoted; promote another admin first' });
    }
    return UserDto.from(result);
  }
}
