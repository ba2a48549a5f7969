import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({
    type: String,
    minLength: 1,
    maxLength: 200,
    description: 'The refresh token from login or the last refresh',
    example: 'b3BhcXVlLXJlZnJlc2gtdG9rZW4',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken!: string;
}
