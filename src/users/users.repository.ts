import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, sql } from 'kysely';
import type { Role } from '../auth/role.js';
import { Database } from '../database/database.service.js';
import { classifyDatabaseError } from '../database/database-errors.js';
import { type DB, kysely } from '../database/kysely.js';
import { type KeyValue, keysetSql, type Ordering, orderedBy } from '../database/ordering.js';
import { PrismaService } from '../database/prisma.service.js';
import { NOW_UTC } from '../database/sql-fragments.js';
import { statement } from '../database/statement.js';
import type { User } from '../generated/prisma/client.js';
import type { USER_ORDERING_FIELDS } from './dto/list-users-query.dto.js';

/** The columns a list may be ordered by: the values of the API's whitelist (USER_ORDERING_FIELDS). */
export type UserOrderingColumn = (typeof USER_ORDERING_FIELDS)[keyof typeof USER_ORDERING_FIELDS];

/** A list's filters, built once by the service: the query's conditions and the cursor's scope alike. */
export type UserListFilter = { role?: Role };

/** A new account whose e-mail is taken (the unique indexes on email and lower(email) refused it). */
export type UserWriteRefusal = { refused: 'duplicate'; field: 'email' };

export type PromoteResult = 'promoted' | 'already-admin' | 'not-found';

const listConditions = (eb: ExpressionBuilder<DB, 'User'>, filter: UserListFilter) => eb.and(filter.role === undefined ? [] : [eb('role', '=', filter.role)]);

/** Every write of user rows: registration, admin accounts (seed, create-admin) and role changes. */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly database: Database,
  ) {}

  findById(id: number): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email } });
  }

  async create(data: { email: string; name: string; passwordHash: string; role?: Role }): Promise<User | UserWriteRefusal> {
    try {
      return await this.prisma.user.create({ data });
    } catch (error) {
      if (classifyDatabaseError(error)?.kind === 'unique-violation') return { refused: 'duplicate', field: 'email' };
      throw error;
    }
  }

  /** Makes the user an admin (a conditional update); leaves everything else, the password included, alone. */
  async promote(id: number): Promise<PromoteResult> {
    const { count } = await this.prisma.user.updateMany({ where: { id, role: { not: 'admin' } }, data: { role: 'admin' } });
    if (count === 1) return 'promoted';
    return (await this.findById(id)) ? 'already-admin' : 'not-found';
  }

  /** Count and page together on one connection (SqlRunner.rowsOfBoth; no transaction: a list is a snapshot either way). */
  async list(filter: UserListFilter, ordering: Ordering<UserOrderingColumn>, skip: number, take: number): Promise<[number, User[]]> {
    const count = kysely
      .selectFrom('User')
      .select(sql<number>`count(*)::int`.as('count'))
      .where((eb) => listConditions(eb, filter));
    const page = kysely
      .selectFrom('User')
      .selectAll()
      .where((eb) => listConditions(eb, filter))
      .$call(orderedBy(ordering))
      .limit(take)
      .offset(skip);
    const [[{ count: total }], rows] = await this.database.primary.rowsOfBoth(statement(count), statement(page));
    return [total, rows];
  }

  /** A cursor page: `take` users after `after` in `ordering` (a keyset condition), no count. */
  listAfter(filter: UserListFilter, ordering: Ordering<UserOrderingColumn>, after: KeyValue[] | undefined, take: number): Promise<User[]> {
    const page = kysely
      .selectFrom('User')
      .selectAll()
      .where((eb) => listConditions(eb, filter))
      .$if(after !== undefined, (q) => q.where(keysetSql(ordering, after!)))
      .$call(orderedBy(ordering))
      .limit(take);
    return this.database.primary.rows(statement(page));
  }

  /**
   * Changes a role, refusing (returns "last-admin") to demote the last admin. The admin rows
   * are locked first, so two concurrent demotions cannot both pass the check.
   */
  changeRole(id: number, role: Role): Promise<User | 'not-found' | 'last-admin'> {
    return this.database.transaction(async (tx) => {
      const admins = await tx.rows(statement(kysely.selectFrom('User').select('id').where('role', '=', 'admin').orderBy('id').forUpdate()));
      const [user] = await tx.rows(statement(kysely.selectFrom('User').selectAll().where('id', '=', id)));
      if (!user) return 'not-found';
      if (user.role === 'admin' && role !== 'admin' && admins.length <= 1) return 'last-admin';
      if (user.role === role) return user;
      const [updated] = await tx.rows(statement(kysely.updateTable('User').set({ role, updatedAt: NOW_UTC }).where('id', '=', id).returningAll()));
      return updated;
    });
  }
}
