import { ApiProperty } from '@nestjs/swagger';

export class TokenPairDto {
  @ApiProperty({ description: 'JWT for "Authorization: Bearer <token>"' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque, single-use token for POST /v1/auth/refresh' })
  refreshToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 })
  expiresIn!: number;
}
