import { createHmac } from 'node:crypto';

const b64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Hand-made HS256 JWTs, to test how the API treats expired, forged or odd tokens. */
export function signJwt(payload: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const body = `${b64url(header)}.${b64url(payload)}`;
  const signature = header.alg === 'none' ? '' : createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${signature}`;
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
