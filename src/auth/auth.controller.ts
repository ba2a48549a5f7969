import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProblemDocument } from '../common/problems/problem-document.js';
import { AuthRateLimit } from '../throttling/auth-rate-limit.decorator.js';
import { UserDto } from '../users/dto/user.dto.js';
import { AuthService } from './auth.service.js';
import { Public } from './decorators/public.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshTokenDto } from './dto/refresh-token.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokenPairDto } from './dto/token-pair.dto.js';

const HASHING_BUSY = { description: 'Too many sign-ins hashing passwords at once (see Retry-After)', type: ProblemDocument };

@ApiTags('auth')
@Public()
@ApiBadRequestResponse({ description: 'Invalid body', type: ProblemDocument })
@ApiTooManyRequestsResponse({ description: 'Rate limited (see Retry-After)', type: ProblemDocument })
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @AuthRateLimit()
  @ApiOperation({ summary: 'Create a customer account' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'E-mail already registered', type: ProblemDocument })
  @ApiServiceUnavailableResponse(HASHING_BUSY)
  register(@Body() dto: RegisterDto): Promise<UserDto> {
    return this.auth.register(dto);
  }

  @Post('login')
  @HttpCode(200)
  @AuthRateLimit()
  @ApiOperation({ summary: 'Exchange e-mail and password for an access and a refresh token' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password (same answer for both)', type: ProblemDocument })
  @ApiServiceUnavailableResponse(HASHING_BUSY)
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate a refresh token',
    description: 'Spends the refresh token and returns a new pair. Presenting a spent token again revokes the whole login.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Invalid, expired, spent or revoked refresh token', type: ProblemDocument })
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the login the refresh token belongs to' })
  @ApiNoContentResponse({ description: 'Revoked (also answered for unknown tokens)' })
  logout(@Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }
}
