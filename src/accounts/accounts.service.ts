import { isRefusal } from '../database/write-refusal.js';
import { Injectable } from '@nestjs/common';
import { AccessTokens } from '../auth/access-tokens.service.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { AppConfig } from '../config/app-config.js';
import type { User } from '../generated/prisma/client.js';
import { UserDto } from '../users/dto/user.dto.js';
import { UsersRepository } from '../users/users.repository.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokenPairDto } from './dto/token-pair.dto.js';
import { PasswordService } from './password.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

const INVALID_CREDENTIALS = () => new ProblemException(Problems.invalidCredentials, { detail: 'E-mail or password is incorrect' });
const INVALID_REFRESH = () => new ProblemException(Problems.invalidToken, { detail: 'The refresh token is invalid, expired or revoked' });

@Injectable()
/** Sign-up, sign-in, token refresh and sign-out (the /v1/auth routes). */
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly accessTokens: AccessTokens,
    private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterDto): Promise<UserDto> {
    if (await this.users.findByEmail(dto.email)) throw emailTaken();
    const passwordHash = await this.passwords.hash(dto.password);
    const created = await this.users.create({ email: dto.email, name: dto.name, passwordHash });
    if (isRefusal(created)) throw emailTaken(); // lost a race with the same e-mail
    return UserDto.from(created);
  }

  /** Same 401 body, and about the same time, for an unknown e-mail and a wrong password. */
  async login(dto: LoginDto): Promise<TokenPairDto> {
    const user = await this.users.findByEmail(dto.email);
    const valid = user ? await this.passwords.verify(user.passwordHash, dto.password) : await this.passwords.verifyAgainstDummy(dto.password);
    if (!user || !valid) throw INVALID_CREDENTIALS();
    const refreshToken = await this.refreshTokens.issue(user.id, this.config.jwt.refreshTtlSeconds);
    return this.tokenPair(user, refreshToken);
  }

  async refresh(token: string): Promise<TokenPairDto> {
    const result = await this.refreshTokens.rotate(token, this.config.jwt.refreshTtlSeconds);
    if (result.outcome !== 'rotated') throw INVALID_REFRESH();
    const user = await this.users.findById(result.userId);
    if (!user) throw INVALID_REFRESH();
    return this.tokenPair(user, result.token);
  }

  logout(token: string): Promise<void> {
    return this.refreshTokens.revokeFamilyOf(token);
  }

  private async tokenPair(user: User, refreshToken: string): Promise<TokenPairDto> {
    const accessToken = await this.accessTokens.issue({ id: user.id, email: user.email, role: user.role });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.accessTokens.ttlSeconds };
  }
}

function emailTaken(): ProblemException {
  return new ProblemException(Problems.duplicate, {
    detail: 'An account with this e-mail already exists',
    errors: [{ field: 'email', message: 'email is already registered' }],
  });
}
