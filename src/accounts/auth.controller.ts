import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../common/decorators/endpoint.decorator.js';
import { ApiCommonProblems, ApiProblem, BODY_PROBLEMS, retryAfterHeader } from '../common/problems/api-problem.decorator.js';
import { Problems } from '../common/problems/problem-types.js';
import { AuthRateLimit } from '../throttling/auth-rate-limit.decorator.js';
import { UserDto } from '../users/dto/user.dto.js';
import { AccountsService } from './accounts.service.js';
import { Auth } from '../auth/decorators/auth.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshTokenDto } from './dto/refresh-token.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokenPairDto } from './dto/token-pair.dto.js';

/** Password hashing is saturated (or the database is down): both are 503s with Retry-After. */
const HASHING_BUSY = ApiProblem(
  503,
  'Too many sign-ins hashing passwords at once, or the database is unavailable (see Retry-After)',
  [Problems.serviceUnavailable],
  retryAfterHeader(true),
);

@ApiTags('auth')
@Auth.public()
@ApiCommonProblems()
@ApiProblem(400, 'Invalid body', BODY_PROBLEMS)
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('register')
  @AuthRateLimit()
  @Endpoint({
    summary: 'Create a customer account',
    description: 'Then sign in with POST /v1/auth/login. Rate limited per client and e-mail.',
    created: { type: UserDto, description: 'The new user (role customer)' },
    problems: [ApiProblem(409, 'E-mail already registered', [Problems.duplicate]), HASHING_BUSY],
  })
  register(@Body() dto: RegisterDto): Promise<UserDto> {
    return this.accounts.register(dto);
  }

  @Post('login')
  @AuthRateLimit()
  @Endpoint({
    summary: 'Sign in: e-mail and password for an access and a refresh token',
    description: 'Send the accessToken as "Authorization: Bearer <token>" (in Swagger UI: Authorize). Rate limited per client and e-mail.',
    ok: { type: TokenPairDto, description: 'Signed in' },
    problems: [
      ApiProblem(401, 'Wrong e-mail or password (same answer for both), or an invalid token was sent', [Problems.invalidCredentials, Problems.invalidToken]),
      HASHING_BUSY,
    ],
  })
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.accounts.login(dto);
  }

  @Post('refresh')
  @Endpoint({
    summary: 'Rotate a refresh token',
    description: 'Spends the refresh token and returns a new pair. Presenting a spent token again revokes the whole login.',
    ok: { type: TokenPairDto, description: 'A new pair; the refresh token sent is spent' },
    problems: [ApiProblem(401, 'Invalid, expired, spent or revoked refresh token', [Problems.invalidToken])],
  })
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.accounts.refresh(dto.refreshToken);
  }

  @Post('logout')
  @Endpoint({
    summary: 'Sign out',
    description: 'Revokes the login the refresh token belongs to; access tokens already issued run out by themselves.',
    noContent: 'Revoked (also answered for unknown tokens)',
  })
  logout(@Body() dto: RefreshTokenDto): Promise<void> {
    return this.accounts.logout(dto.refreshToken);
  }
}
