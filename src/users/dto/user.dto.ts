import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../auth/role.js';
import type { User } from '../../generated/prisma/client.js';

/** A user as the API shows it: never with the password hash. */
export class UserDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ enum: Role, example: Role.customer })
  role!: Role;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-25T10:00:00.000Z' })
  updatedAt!: string;

  static from(user: Pick<User, 'id' | 'email' | 'name' | 'role' | 'createdAt' | 'updatedAt'>): UserDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}
