import { createTestApp, type TestApp } from './utils/test-app.js';
import { createUser, type TestUser } from './utils/fixtures.js';
import { expectProblem } from './utils/problem.js';

describe('Users and roles', () => {
  let t: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  let customer: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
  });
  afterAll(() => t.close());

  describe('GET /v1/users', () => {
    it('lists users for an admin as a DRF page', async () => {
      const res = await t.http.get('/v1/users?ordering=-id&pageSize=2').set(admin.auth).expect(200);
      expect(res.body.count).toBe(await t.prisma.user.count());
      expect(res.body.results).toHaveLength(2);
      expect(res.body.results[0].id).toBeGreaterThan(res.body.results[1].id);
      expect(res.body.results[0]).not.toHaveProperty('passwordHash');
      expect(res.body.previous).toBeNull();
      expect(res.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/users\?ordering=-id&pageSize=2&page=2$/);
    });

    it('follows next links to the end', async () => {
      const seen: number[] = [];
      let url: string | null = '/v1/users?pageSize=1';
      while (url) {
        const res: { body: { results: Array<{ id: number }>; next: string | null } } = await t.http
          .get(url.replace(/^http:\/\/[^/]+/, ''))
          .set(admin.auth)
          .expect(200);
        seen.push(...res.body.results.map((u: { id: number }) => u.id));
        url = res.body.next;
      }
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen).toHaveLength(await t.prisma.user.count());
    });

    it('filters by role', async () => {
      const res = await t.http.get('/v1/users?role=staff').set(admin.auth).expect(200);
      expect(res.body.results.every((u: { role: string }) => u.role === 'staff')).toBe(true);
    });

    it.each([
      ['ordering=passwordHash', 'ordering'],
      ['pageSize=101', 'pageSize'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['role=superuser', 'role'],
    ])('rejects %s with a 400 problem', async (query, field) => {
      const res = await t.http.get(`/v1/users?${query}`).set(admin.auth);
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for a page past the end', async () => {
      expectProblem(await t.http.get('/v1/users?page=999').set(admin.auth), 404, 'not-found');
    });

    it('is admin only: staff and customers get 403, anonymous 401', async () => {
      expectProblem(await t.http.get('/v1/users').set(staff.auth), 403, 'forbidden');
      expectProblem(await t.http.get('/v1/users').set(customer.auth), 403, 'forbidden');
      expectProblem(await t.http.get('/v1/users'), 401, 'unauthorized');
    });
  });

  describe('PATCH /v1/users/:id', () => {
    it('changes a role', async () => {
      const target = await createUser(t, 'customer');
      const res = await t.http.patch(`/v1/users/${target.id}`).set(admin.auth).send({ role: 'staff' }).expect(200);
      expect(res.body).toEqual(expect.objectContaining({ id: target.id, role: 'staff' }));
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe('staff');
    });

    it('accepts only the role field', async () => {
      const target = await createUser(t, 'customer');
      const res = await t.http.patch(`/v1/users/${target.id}`).set(admin.auth).send({ role: 'staff', email: 'x@example.com' });
      expectProblem(res, 400, 'validation-error');
      const row = await t.prisma.user.findUniqueOrThrow({ where: { id: target.id } });
      expect([row.role, row.email]).toEqual(['customer', target.email]);
    });

    it('rejects an unknown role, a non-numeric id and an unknown user', async () => {
      expectProblem(await t.http.patch(`/v1/users/${customer.id}`).set(admin.auth).send({ role: 'root' }), 400, 'validation-error');
      expectProblem(await t.http.patch('/v1/users/abc').set(admin.auth).send({ role: 'staff' }), 400, 'validation-error');
      expectProblem(await t.http.patch('/v1/users/99999999').set(admin.auth).send({ role: 'staff' }), 404, 'not-found');
    });

    it('refuses to demote the last admin', async () => {
      const res = await t.http.patch(`/v1/users/${admin.id}`).set(admin.auth).send({ role: 'customer' });
      expectProblem(res, 409, 'conflict');
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe('admin');
    });

    it('allows demoting an admin while another remains', async () => {
      const second = await createUser(t, 'admin');
      await t.http.patch(`/v1/users/${second.id}`).set(admin.auth).send({ role: 'staff' }).expect(200);
    });

    it('is admin only', async () => {
      expectProblem(await t.http.patch(`/v1/users/${customer.id}`).set(staff.auth).send({ role: 'admin' }), 403, 'forbidden');
      expectProblem(await t.http.patch(`/v1/users/${customer.id}`).set(customer.auth).send({ role: 'admin' }), 403, 'forbidden');
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: customer.id } })).role).toBe('customer');
    });
  });

  describe('OpenAPI', () => {
    it('declares bearer auth and the 401/403 answers of protected routes', async () => {
      const doc = (await t.http.get('/openapi.json').expect(200)).body;
      const me = doc.paths['/v1/users/me'].get;
      expect(me.security).toEqual([{ bearer: [] }]);
      expect(me.responses['401']).toBeDefined();
      const patch = doc.paths['/v1/users/{id}'].patch;
      expect(patch.responses['403']).toBeDefined();
      expect(doc.paths['/v1/auth/login'].post.security).toEqual([]); // no token needed, and none sent by generated clients
    });
  });
});
