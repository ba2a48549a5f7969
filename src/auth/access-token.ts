import { Role } from './role.js';

export const ACCESS_TOKEN_ISSUER = 'shop-api';
export const ACCESS_TOKEN_AUDIENCE = 'shop-api';

export interface AccessTokenPayload {
  sub: string;
  email: string;
  role: Role;
}
