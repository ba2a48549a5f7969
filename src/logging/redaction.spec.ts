import { REDACTED, redactSecrets, redactUrl } from './redaction.js';

describe('redactSecrets', () => {
  it('replaces secret-named fields at any depth, arrays included', () => {
    const logged = {
      user: { email: 'a@b.c', password: 'hunter22', profile: { apiKey: 'k', nested: [{ refreshToken: 'r', ok: 1 }] } },
      headers: { Authorization: 'Bearer x', 'x-metrics-token': 'm', cookie: 'c' },
      config: { db: { connection: { credentials: { user: 'u' } } } },
      keep: 'visible',
    };
    expect(redactSecrets(logged)).toEqual({
      user: { email: 'a@b.c', password: REDACTED, profile: { apiKey: REDACTED, nested: [{ refreshToken: REDACTED, ok: 1 }] } },
      headers: { Authorization: REDACTED, 'x-metrics-token': REDACTED, cookie: REDACTED },
      config: { db: { connection: { credentials: REDACTED } } },
      keep: 'visible',
    });
    expect(logged.user.password).toBe('hunter22'); // the caller's object is left alone
  });

  it('keeps errors for the error serializer and cuts off absurd depth', () => {
    const err = new Error('boom');
    expect(redactSecrets({ err })).toEqual({ err });
    let deep: unknown = { secret: 's' };
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('"s"');
  });
});

describe('redactUrl', () => {
  it.each([
    ['/v1/products', '/v1/products'],
    ['/v1/products?search=tea&page=2', '/v1/products?search=tea&page=2'],
    ['/x?token=abc&page=1', `/x?token=${REDACTED}&page=1`],
    [
      '/x?access_token=abc&refreshToken=def&password=p&api-key=k',
      `/x?access_token=${REDACTED}&refreshToken=${REDACTED}&password=${REDACTED}&api-key=${REDACTED}`,
    ],
    ['/x?%74oken=abc', `/x?%74oken=${REDACTED}`],
    ['/x?flag&token', '/x?flag&token'],
    ['/v1/products?search=password&page=2', '/v1/products?search=password&page=2'],
    ['/v1/products?search=tea%20cup', '/v1/products?search=tea%20cup'],
    ['/x?page=1&Pass%77ord=p', `/x?page=1&Pass%77ord=${REDACTED}`],
  ])('%s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
