import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type AccessTokenPayload } from './access-token.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { ROLE_RANK } from './role.js';

/** Verifies HS256 access tokens; the payload carries everything a request needs (no DB read). */
@Injectable()
export class AccessTokenVerifier {
  /**
   * Imported once: given the secret as a string, jsonwebtoken would first try (and fail) to read
   * it as a public key and then import it, on every request.
   */
  private readonly key: KeyObject;

  constructor(
    config: AppConfig,
    private readonly jwt: JwtService,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
  }

  /** The caller, or undefined for a token that is malformed, forged, expired or not one of ours. */
  verify(token: string): AuthenticatedUser | undefined {
    let payload: AccessTokenPayload;
    try {
      payload = this.jwt.verify<AccessTokenPayload>(token, {
        secret: this.key as unknown as Buffer, // jsonwebtoken takes a KeyObject; the option is typed narrower
        algorithms: ['HS256'],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
      });
    } catch {
      return undefined;
    }
    const id = Number(payload.sub);
    if (!Number.isSafeInteger(id) || typeof payload.role !== 'string' || !Object.hasOwn(ROLE_RANK, payload.role)) return undefined;
    return { id, email: payload.email, role: payload.role };
  }
}
