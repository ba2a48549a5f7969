import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { Role } from '../../auth/role.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

export const USER_ORDERING_FIELDS = { id: 'id', email: 'email', name: 'name', role: 'role', createdAt: 'createdAt' };

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;
}
