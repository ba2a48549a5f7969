import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { PG_INT_MAX, parseCanonicalInt } from '../common/numbers/canonical-int.js';
import { AppConfig } from '../config/app-config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type AccessTokenPayload } from './access-token.js';
import { ROLE_RANK } from './role.js';
import { VerifiedTokens } from './verified-tokens.js';

/** How many verified tokens are remembered: a few MB at most, one per recently active client. */
const REMEMBERED_TOKENS = 10_000;

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();
/** passport's typings name Express's request; on Fastify it is the FastifyRequest, whose `headers` is all that is read. */
type PassportRequest = Parameters<typeof bearerToken>[0];

/** Verifies HS256 access tokens; the payload carries everything a request needs (no DB read). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verified = new VerifiedTokens(REMEMBERED_TOKENS);

  constructor(config: AppConfig) {
    super({
      jwtFromRequest: bearerToken,
      // A KeyObject, imported once: given the secret as a string, jsonwebtoken would first try
      // (and fail) to read it as a public key, then import it, on every request.
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /** A token this process has already verified in full, and that has not expired since, is taken as is. */
  override authenticate(request: PassportRequest, options?: object): void {
    const token = bearerToken(request);
    const user = token ? this.verified.get(token) : undefined;
    if (user) return this.success(user);
    super.authenticate(request, options);
  }

  /**
   * The signature, issuer, audience and (if present) expiry are checked by passport-jwt; a token
   * must also have an expiry, a canonical user id and one of the roles as an own value
   * (`"constructor" in ROLE_RANK` is true through the prototype).
   */
  validate(request: PassportRequest, payload: AccessTokenPayload & { exp?: unknown }): AuthenticatedUser | false {
    const id = parseCanonicalInt(payload.sub, 1, PG_INT_MAX);
    if (id === undefined || typeof payload.exp !== 'number' || typeof payload.role !== 'string' || !Object.hasOwn(ROLE_RANK, payload.role)) return false;
    const user = { id, email: payload.email, role: payload.role };
    this.verified.remember(bearerToken(request)!, user, payload.exp);
    return user;
  }
}
