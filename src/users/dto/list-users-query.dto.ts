import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { Role } from '../../auth/role.js';
import { ApiOrdering } from '../../common/pagination/api-ordering.decorator.js';
import { CursorPageQueryDto } from '../../common/pagination/cursor-query.dto.js';

export const USER_ORDERING_FIELDS = { id: 'id', email: 'email', name: 'name', role: 'role', createdAt: 'createdAt' } as const;
export const USER_DEFAULT_ORDERING = 'id';

export class ListUsersQueryDto extends CursorPageQueryDto {
  @ApiOrdering(USER_ORDERING_FIELDS, USER_DEFAULT_ORDERING)
  override ordering?: string = undefined;

  @ApiPropertyOptional({ enum: Role, enumName: 'Role' })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;
}
