import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { NormaliseEmail } from '../../common/email/email.decorators.js';

export class LoginDto {
  @ApiProperty({ type: String, example: 'ada@example.com', minLength: 1, maxLength: 254 })
  // Normalised like at registration, but not checked for lookalikes: an account created before
  // those rules must still be able to sign in, and a refused form matches no account anyway.
  @NormaliseEmail()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email!: string;

  @ApiProperty({ type: String, example: 'correct horse battery staple', format: 'password', minLength: 1, maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}
