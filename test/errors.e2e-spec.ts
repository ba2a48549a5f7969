import { createTestApp, type TestApp } from './utils/test-app.js';
import { expectProblem } from './utils/problem.js';

describe('Uniform errors (problem+json)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const userCount = () => t.prisma.user.count();

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http.get('/v1/does-not-exist');
    expectProblem(res, 404, 'not-found');
    expect(res.body.instance).toBe('/v1/does-not-exist');
  });

  it('answers malformed JSON with a 400 problem and changes nothing', async () => {
    const res = await t.http.post('/v1/auth/register').set('content-type', 'application/json').send('{"email": "a@b.co",');
    expectProblem(res, 400, 'malformed-json');
    expect(await userCount()).toBe(0);
  });

  it('answers an empty JSON body with a 400 problem', async () => {
    const res = await t.http.post('/v1/auth/register').set('content-type', 'application/json').send('');
    expectProblem(res, 400);
  });

  it('answers a non-JSON body with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await t.http.post('/v1/auth/register').set('content-type', type).send('email=a@b.co');
      expectProblem(res, 415, 'unsupported-media-type');
    }
    expect(await userCount()).toBe(0);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1024 * 1024), name: 'A' });
    const res = await t.http.post('/v1/auth/register').set('content-type', 'application/json').send(big);
    expectProblem(res, 413, 'payload-too-large');
    expect(await userCount()).toBe(0);
  });

  it('reports every invalid field and rejects unknown fields, changing nothing', async () => {
    const res = await t.http.post('/v1/auth/register').send({ email: 'not-an-email', password: 'short', name: 'A', role: 'admin' });
    expectProblem(res, 400, 'validation-error');
    expect(res.body.detail).toBe('3 fields are invalid');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'password', 'role']);
    expect(res.body.errors).toContainEqual({ field: 'role', message: 'role is not an allowed field' });
    expect(await userCount()).toBe(0);
  });

  it('rejects a JSON body that is not an object', async () => {
    const res = await t.http.post('/v1/auth/register').set('content-type', 'application/json').send('[1,2]');
    expectProblem(res, 400);
    expect(await userCount()).toBe(0);
  });

  it('answers a non-numeric id with 400, not a crash', async () => {
    const admin = await t.prisma.user.count();
    expect(admin).toBe(0);
    const res = await t.http.patch('/v1/users/abc').send({ role: 'staff' });
    // Authentication is checked first: anonymous gets 401 before the id is looked at.
    expectProblem(res, 401);
  });
});

describe('Unexpected errors', () => {
  it('become a generic 500 problem with no stack trace or SQL', async () => {
    const t = await createTestApp();
    try {
      // Break the database under the app: the next query fails in a way no code expects.
      await t.prisma.$executeRawUnsafe('DROP TABLE "RefreshToken"');
      const res = await t.http.post('/v1/auth/refresh').send({ refreshToken: 'whatever' });
      expectProblem(res, 500, 'internal-error');
      expect(res.body.detail).toBe('An unexpected error occurred');
      expect(Object.keys(res.body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
    } finally {
      await t.close();
    }
  });
});
