import { ApiProperty } from '@nestjs/swagger';

export class TokenPairDto {
  @ApiProperty({ type: String, description: 'JWT for "Authorization: Bearer <token>"', example: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.c2lnbmF0dXJl' })
  accessToken!: string;

  @ApiProperty({ type: String, description: 'Opaque, single-use token for POST /v1/auth/refresh', example: 'b3BhcXVlLXJlZnJlc2gtdG9rZW4' })
  refreshToken!: string;

  @ApiProperty({ type: String, enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Access token lifetime in seconds', example: 900 })
  expiresIn!: number;
}
