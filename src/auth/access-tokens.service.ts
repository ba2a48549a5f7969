import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type AccessTokenPayload } from './access-token.js';
import type { AuthenticatedUser } from './authenticated-user.js';

/** Signs the access tokens JwtStrategy verifies: both sides of the token's format live in auth/. */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** Seconds an access token lives (the token pair's expiresIn). */
  get ttlSeconds(): number {
    return this.config.jwt.accessTtlSeconds;
  }

  issue(user: AuthenticatedUser): Promise<string> {
    const payload: AccessTokenPayload = { sub: String(user.id), email: user.email, role: user.role };
    return this.jwt.signAsync(payload, { expiresIn: this.ttlSeconds, issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, algorithm: 'HS256' });
  }
}
