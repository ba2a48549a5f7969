import { jest } from '@jest/globals';
import { PasswordHashingSlots } from '../src/accounts/password-hashing-slots.js';
import { createTestApp, type TestApp, TEST_JWT_SECRET } from './utils/test-app.js';
import { createUser, PASSWORD } from './utils/fixtures.js';
import { decodeJwt, signJwt } from './utils/jwt.js';
import { expectProblem } from './utils/problem.js';

describe('Auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JWT_ACCESS_TTL_SECONDS: '120' });
  });
  afterAll(() => t.close());

  describe('POST /v1/auth/register', () => {
    it('creates a customer and never returns the password hash', async () => {
      const res = await t.http.post('/v1/auth/register').send({ email: '  Ada@Example.COM ', password: 'long enough pw', name: ' Ada ' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        email: 'ada@example.com',
        name: 'Ada',
        role: 'customer',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const row = await t.prisma.user.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain('long enough pw');
    });

    it('answers 409 for an e-mail already registered, in any letter case', async () => {
      await t.http.post('/v1/auth/register').send({ email: 'dup@example.com', password: 'long enough pw', name: 'A' }).expect(201);
      const res = await t.http.post('/v1/auth/register').send({ email: 'DUP@example.com', password: 'another pw 123', name: 'B' });
      expectProblem(res, 409, 'duplicate');
      expect(await t.prisma.user.count({ where: { email: 'dup@example.com' } })).toBe(1);
    });

    it('rejects short passwords and bad e-mails with field errors, creating nothing', async () => {
      const before = await t.prisma.user.count();
      const res = await t.http.post('/v1/auth/register').send({ email: 'nope', password: 'short', name: '' });
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'password']);
      expect(await t.prisma.user.count()).toBe(before);
    });

    it.each([{ role: 'admin' }, { id: 999 }, { createdAt: '2020-01-01T00:00:00Z' }])('rejects mass assignment of %o', async (extra) => {
      const email = `mass-${Object.keys(extra)[0]}@example.com`;
      const res = await t.http.post('/v1/auth/register').send({ email, password: 'long enough pw', name: 'M', ...extra });
      expectProblem(res, 400, 'validation-error');
      expect(await t.prisma.user.count({ where: { email } })).toBe(0);
    });
  });

  describe('POST /v1/auth/login', () => {
    it('returns a bearer token pair', async () => {
      const user = await createUser(t, 'customer');
      const res = await t.http.post('/v1/auth/login').send({ email: user.email.toUpperCase(), password: PASSWORD }).expect(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 120 });
      const claims = decodeJwt(res.body.accessToken);
      expect(claims).toEqual(expect.objectContaining({ sub: String(user.id), role: 'customer', iss: 'shop-api', aud: 'shop-api' }));
      expect((claims.exp as number) - (claims.iat as number)).toBe(120);
      const stored = await t.prisma.refreshToken.findMany({ where: { userId: user.id } });
      expect(stored.map((r) => r.tokenHash)).not.toContain(res.body.refreshToken);
    });

    it('answers the same 401 for a wrong password and an unknown e-mail', async () => {
      const user = await createUser(t, 'customer');
      const wrong = await t.http.post('/v1/auth/login').send({ email: user.email, password: 'wrong password' });
      const unknown = await t.http.post('/v1/auth/login').send({ email: 'nobody@example.com', password: 'wrong password' });
      expectProblem(wrong, 401, 'invalid-credentials');
      expectProblem(unknown, 401, 'invalid-credentials');
      const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
    });

    it('spends the same work on an unknown e-mail as on a wrong password: one argon2id verification each', async () => {
      // Counted, not timed, so that a busy machine cannot make it fail: without the dummy
      // verification an unknown e-mail would answer ~100x faster and reveal who has an account.
      const user = await createUser(t, 'customer');
      const slots = t.app.get(PasswordHashingSlots);
      const hashing = jest.spyOn(slots, 'run');
      try {
        await t.http.post('/v1/auth/login').send({ email: user.email, password: 'wrong password' }).expect(401);
        expect(hashing).toHaveBeenCalledTimes(1);
        await t.http.post('/v1/auth/login').send({ email: 'ghost@example.com', password: 'wrong password' }).expect(401);
        expect(hashing).toHaveBeenCalledTimes(2);
      } finally {
        hashing.mockRestore();
      }
    });
  });

  describe('access tokens', () => {
    it('GET /v1/users/me returns the caller', async () => {
      const user = await createUser(t, 'staff');
      const res = await t.http.get('/v1/users/me').set(user.auth).expect(200);
      expect(res.body).toEqual(expect.objectContaining({ id: user.id, email: user.email, role: 'staff' }));
      expect(res.body).not.toHaveProperty('passwordHash');
    });

    it('answers 401 without a token', async () => {
      expectProblem(await t.http.get('/v1/users/me'), 401, 'unauthorized');
    });

    it('answers 401 for expired, tampered, foreign, alg=none and malformed tokens', async () => {
      const user = await createUser(t, 'customer');
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: String(user.id), email: user.email, role: 'customer', iss: 'shop-api', aud: 'shop-api' };
      const [head, payload, sig] = user.token.split('.');
      const escalated = Buffer.from(JSON.stringify({ ...decodeJwt(user.token), role: 'admin' })).toString('base64url');
      const tokens = {
        expired: signJwt({ ...claims, iat: now - 600, exp: now - 60 }, TEST_JWT_SECRET),
        tampered: `${head}.${escalated}.${sig}`,
        foreign: signJwt({ ...claims, iat: now, exp: now + 600 }, 'another-secret-another-secret-another-secret'),
        algNone: signJwt({ ...claims, iat: now, exp: now + 600 }, '', { alg: 'none', typ: 'JWT' }),
        wrongAudience: signJwt({ ...claims, aud: 'other', iat: now, exp: now + 600 }, TEST_JWT_SECRET),
        malformed: 'not.a.jwt',
      };
      expect(payload).toBeDefined();
      for (const [name, token] of Object.entries(tokens)) {
        const res = await t.http.get('/v1/users/me').set('Authorization', `Bearer ${token}`);
        expect([name, res.status]).toEqual([name, 401]);
        expectProblem(res, 401, 'invalid-token');
      }
    });

    it('answers 401 for validly signed tokens with odd claims: no exp, an inherited role, a non-canonical sub', async () => {
      const user = await createUser(t, 'customer');
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: String(user.id), email: user.email, role: 'customer', iss: 'shop-api', aud: 'shop-api', iat: now, exp: now + 600 };
      const { exp: _exp, ...withoutExp } = claims;
      const tokens = {
        noExpiry: signJwt(withoutExp, TEST_JWT_SECRET),
        prototypeRole: signJwt({ ...claims, role: 'constructor' }, TEST_JWT_SECRET),
        toStringRole: signJwt({ ...claims, role: 'toString' }, TEST_JWT_SECRET),
        numericSub: signJwt({ ...claims, sub: user.id }, TEST_JWT_SECRET),
        hexSub: signJwt({ ...claims, sub: `0x${user.id.toString(16)}` }, TEST_JWT_SECRET),
        paddedSub: signJwt({ ...claims, sub: ` ${user.id}` }, TEST_JWT_SECRET),
        fractionSub: signJwt({ ...claims, sub: `${user.id}.0` }, TEST_JWT_SECRET),
      };
      for (const [name, token] of Object.entries(tokens)) {
        const res = await t.http.get('/v1/users/me').set('Authorization', `Bearer ${token}`);
        expect([name, res.status]).toEqual([name, 401]);
      }
      // The same claims, well-formed, are accepted: the checks above are about the claims alone.
      expect((await t.http.get('/v1/users/me').set('Authorization', `Bearer ${signJwt(claims, TEST_JWT_SECRET)}`)).status).toBe(200);
    });

    it('a token it has accepted is refused once it expires, and a changed copy of it is never taken for it', async () => {
      const user = await createUser(t, 'customer');
      const exp = Math.floor(Date.now() / 1000) + 3;
      const token = signJwt({ sub: String(user.id), email: user.email, role: 'customer', iss: 'shop-api', aud: 'shop-api', exp }, TEST_JWT_SECRET);
      const [head, , sig] = token.split('.');
      const escalated = `${head}.${Buffer.from(JSON.stringify({ ...decodeJwt(token), role: 'admin' })).toString('base64url')}.${sig}`;
      for (let use = 0; use < 2; use++) expect((await t.http.get('/v1/users/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      expectProblem(await t.http.get('/v1/users').set('Authorization', `Bearer ${escalated}`), 401, 'invalid-token');
      expectProblem(await t.http.get('/v1/users/me').set('Authorization', `Bearer ${token}x`), 401, 'invalid-token');
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
      expectProblem(await t.http.get('/v1/users/me').set('Authorization', `Bearer ${token}`), 401, 'invalid-token');
    });

    it('rejects an invalid token even on a public route', async () => {
      const res = await t.http.post('/v1/auth/refresh').set('Authorization', 'Bearer garbage').send({ refreshToken: 'x' });
      expectProblem(res, 401, 'invalid-token');
    });
  });

  describe('refresh-token rotation', () => {
    it('rotates: a new pair each time, the old refresh token spent', async () => {
      const user = await createUser(t, 'customer');
      const first = await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      expect(first.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), tokenType: 'Bearer', expiresIn: 120 });
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      await t.http.get('/v1/users/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
      const second = await t.http.post('/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
      expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    });

    it('detects reuse of a spent token and revokes the whole login', async () => {
      const user = await createUser(t, 'customer');
      const rotated = await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      const replay = await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken });
      expectProblem(replay, 401, 'invalid-token');
      const newest = await t.http.post('/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken });
      expectProblem(newest, 401, 'invalid-token');
      const live = await t.prisma.refreshToken.count({ where: { userId: user.id, revokedAt: null } });
      expect(live).toBe(0);
    });

    it('keeps other logins of the same user alive when one is revoked', async () => {
      const user = await createUser(t, 'customer');
      const other = await t.http.post('/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await t.http.post('/v1/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(200);
    });

    it('refuses unknown and expired refresh tokens', async () => {
      expectProblem(await t.http.post('/v1/auth/refresh').send({ refreshToken: 'made-up' }), 401, 'invalid-token');
      const user = await createUser(t, 'customer');
      await t.prisma.refreshToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      expectProblem(await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }), 401, 'invalid-token');
    });

    it('lets exactly one of two concurrent refreshes with the same token win', async () => {
      const user = await createUser(t, 'customer');
      const results = await Promise.all([1, 2].map(() => t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    });

    it('carries a role change into the next access token', async () => {
      const user = await createUser(t, 'customer');
      await t.prisma.user.update({ where: { id: user.id }, data: { role: 'staff' } });
      const res = await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      expect(decodeJwt(res.body.accessToken).role).toBe('staff');
    });
  });

  describe('POST /v1/auth/logout', () => {
    it('answers 204 and the refresh token stops working', async () => {
      const user = await createUser(t, 'customer');
      await t.http.post('/v1/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
      expectProblem(await t.http.post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }), 401, 'invalid-token');
      expect(await t.prisma.refreshToken.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    });

    it('answers 204 for an unknown token (nothing to reveal)', async () => {
      await t.http.post('/v1/auth/logout').send({ refreshToken: 'unknown' }).expect(204);
    });

    it('validates its body', async () => {
      expectProblem(await t.http.post('/v1/auth/logout').send({}), 400, 'validation-error');
    });
  });
});
