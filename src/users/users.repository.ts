import { Injectable } from '@nestjs/common';
import { type KeyValue, keysetWhere } from '../common/pagination/cursor.js';
import type { OrderBy } from '../common/pagination/ordering.js';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma, type User } from '../generated/prisma/client.js';
import { Role } from '../auth/role.js';

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: number): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email } });
  }

  create(data: { email: string; name: string; passwordHash: string; role?: Role }): Promise<User> {
    return this.prisma.user.create({ data });
  }

  /** Count and page run concurrently on two pooled connections (no transaction: a list is a snapshot either way). */
  list(where: Prisma.UserWhereInput, orderBy: OrderBy, skip: number, take: number): Promise<[number, User[]]> {
    return Promise.all([this.prisma.user.count({ where }), this.prisma.user.findMany({ where, orderBy: orderBy, skip, take })]);
  }

  /** A cursor page: `take` users after `after` in `order` (see keysetWhere), no count. */
  listAfter(where: Prisma.UserWhereInput, order: OrderBy, after: KeyValue[] | undefined, take: number): Promise<User[]> {
    const keyset = after ? keysetWhere(order, after, (column, raw) => (column === 'createdAt' ? new Date(raw) : raw), { role: Object.values(Role) }) : {};
    return this.prisma.user.findMany({
      where: { AND: [where, keyset as Prisma.UserWhereInput] },
      orderBy: order,
      take,
    });
  }

  /**
   * Changes a role, refusing (returns "last-admin") to demote the last admin. The admin rows
   * are locked first, so two concurrent demotions cannot both pass the check.
   */
  async changeRole(id: number, role: Role): Promise<User | 'not-found' | 'last-admin'> {
    return this.prisma.$transaction(async (tx) => {
      const admins = await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM "User" WHERE role = 'admin' ORDER BY id FOR UPDATE`;
      const user = await tx.user.findUnique({ where: { id } });
      if (!user) return 'not-found';
      if (user.role === 'admin' && role !== 'admin' && admins.length <= 1) return 'last-admin';
      if (user.role === role) return user;
      return tx.user.update({ where: { id }, data: { role } });
    });
  }
}
