import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { NormaliseEmail } from '../email/email.decorators.js';

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  // Normalised like at registration, but not checked for lookalikes: an account created before
  // those rules must still be able to sign in, and a refused form matches no account anyway.
  @NormaliseEmail()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}
