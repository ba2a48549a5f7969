import { randomBytes } from 'node:crypto';
import { weakSecretReason } from './weak-secret.js';

describe('weakSecretReason', () => {
  it.each([
    ['a'.repeat(32), /repeats/],
    ['your-256-bit-secret-your-256-bit-secret', /well-known/],
    ['ChangeMe-ChangeMe-ChangeMe-ChangeMe!', /well-known/],
    ['abcabcabcabcabcabcabcabcabcabcabcabc', /repeats/],
    ['k8Xk8Xk8Xk8Xk8Xk8Xk8Xk8Xk8Xk8Xk8X-k8X', /repeats|entropy/],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', /entropy/],
    ['11112222333344445555666677778888', /entropy/],
  ])('refuses %p', (secret, reason) => {
    expect(weakSecretReason(secret)).toMatch(reason);
  });

  it.each([
    ['openssl rand -base64 48', randomBytes(48).toString('base64')],
    ['openssl rand -hex 32', randomBytes(32).toString('hex')],
    ['openssl rand -hex 16 (128 bits)', randomBytes(16).toString('hex')],
    ['base64url of 32 bytes', randomBytes(32).toString('base64url')],
  ])('accepts a generated secret (%s)', (_how, secret) => {
    expect(weakSecretReason(secret)).toBeUndefined();
  });
});
