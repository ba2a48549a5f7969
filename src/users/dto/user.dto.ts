import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../auth/role.js';
import { CursorPageOf } from '../../common/pagination/cursor-page.dto.js';
import { PageOf } from '../../common/pagination/page.dto.js';
import type { User } from '../../generated/prisma/client.js';

/** A user as the API shows it: never with the password hash. */
export class UserDto {
  @ApiProperty({ type: 'integer', example: 1 })
  id!: number;

  @ApiProperty({ type: String, example: 'ada@example.com', description: 'Normalised (NFKC, lower case)' })
  email!: string;

  @ApiProperty({ type: String, example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ enum: Role, enumName: 'Role', example: Role.customer })
  role!: Role;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
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

/** A page of users (GET /v1/users). */
export class UserPage extends PageOf(UserDto) {}

/** A cursor page of users (GET /v1/users?cursor=…). */
export class UserCursorPage extends CursorPageOf(UserDto) {}
