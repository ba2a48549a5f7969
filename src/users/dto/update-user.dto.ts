import { ApiProperty } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { Role } from '../../auth/role.js';

export class UpdateUserDto {
  @ApiProperty({ enum: Role, enumName: 'Role', example: Role.staff })
  @IsEnum(Role, { message: `role must be one of: ${Object.values(Role).join(', ')}` })
  role!: Role;
}
