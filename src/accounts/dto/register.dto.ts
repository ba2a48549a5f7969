import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { IsUnambiguousEmail, NormaliseEmail } from '../../common/email/email.decorators.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({
    type: String,
    format: 'email',
    example: 'ada@example.com',
    maxLength: 254,
    description: 'Stored normalised (NFKC, lower case); invisible characters, non-ASCII symbols and mixed scripts are refused',
  })
  @NormaliseEmail()
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @IsUnambiguousEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ type: String, example: 'correct horse battery staple', minLength: 8, maxLength: 128, format: 'password' })
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @MaxLength(128)
  password!: string;

  @ApiProperty({ type: String, example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;
}
