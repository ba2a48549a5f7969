import type { Response } from 'supertest';
import type { Category } from '../src/generated/prisma/client.js';
import { createUser, type TestUser } from './utils/fixtures.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const CATEGORY_FIELDS = ['createdAt', 'description', 'id', 'name', 'slug', 'updatedAt'];

describe('Categories', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
  });
  afterAll(() => t.close());

  /** Every category row, to prove a failed write changed nothing. */
  const snapshot = () => t.prisma.category.findMany({ orderBy: { id: 'asc' } });

  const newCategory = async (overrides: Partial<{ name: string; slug: string; description: string }> = {}): Promise<Category> => {
    seq += 1;
    return t.prisma.category.create({ data: { name: `Category ${seq}`, slug: `category-${seq}`, ...overrides } });
  };

  describe('POST /v1/categories', () => {
    it('creates a category for staff: 201, Location, ETag, trimmed fields, description defaults to ""', async () => {
      const res = await t.http.post('/v1/categories').set(staff.auth).send({ name: '  Tea  ', slug: 'tea' }).expect(201);
      expect(Object.keys(res.body).sort()).toEqual(CATEGORY_FIELDS);
      expect(res.body).toEqual(expect.objectContaining({ id: expect.any(Number), name: 'Tea', slug: 'tea', description: '' }));
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      expect(res.headers.location).toBe(`/v1/categories/${res.body.id}`);
      expect(res.headers.etag).toBe(`"${res.body.id}-1"`);
      const row = await t.prisma.category.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row).toEqual(expect.objectContaining({ name: 'Tea', slug: 'tea', description: '', version: 1 }));
      await t.http.get(res.headers.location).expect(200);
    });

    it('needs a token (401) and the staff role (403), changing nothing', async () => {
      const before = await snapshot();
      expectProblem(await t.http.post('/v1/categories').send({ name: 'X', slug: 'x' }), 401);
      expectProblem(await t.http.post('/v1/categories').set(customer.auth).send({ name: 'X', slug: 'x' }), 403, 'forbidden');
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      [{ name: 'X', slug: 'Has-Upper' }, 'slug'],
      [{ name: 'X', slug: 'double--hyphen' }, 'slug'],
      [{ name: 'X', slug: '-leading' }, 'slug'],
      [{ name: 'X', slug: 'trailing-' }, 'slug'],
      [{ name: 'X', slug: 'with space' }, 'slug'],
      [{ name: 'X', slug: 'a'.repeat(101) }, 'slug'],
      [{ name: '   ', slug: 'blank-name' }, 'name'],
      [{ name: 'x'.repeat(101), slug: 'long-name' }, 'name'],
      [{ name: 42, slug: 'number-name' }, 'name'],
      [{ slug: 'no-name' }, 'name'],
      [{ name: 'No slug' }, 'slug'],
      [{ name: 'X', slug: 'null-description', description: null }, 'description'],
      [{ name: 'X', slug: 'long-description', description: 'd'.repeat(2001) }, 'description'],
      [{ name: 'X', slug: 'unknown-field', id: 5 }, 'id'],
    ])('rejects %j with a 400 naming %s, changing nothing', async (body, field) => {
      const before = await snapshot();
      const res = await t.http.post('/v1/categories').set(staff.auth).send(body);
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it('answers a duplicate slug with 409, changing nothing', async () => {
      const existing = await newCategory();
      const before = await snapshot();
      const res = await t.http.post('/v1/categories').set(staff.auth).send({ name: 'Other', slug: existing.slug });
      expectProblem(res, 409, 'duplicate');
      expect(res.body.errors).toEqual([{ field: 'slug', message: 'slug must be unique' }]);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('GET /v1/categories/{id}', () => {
    it('is public and carries a strong ETag', async () => {
      const category = await newCategory({ description: 'Leaves' });
      const res = await t.http.get(`/v1/categories/${category.id}`).expect(200);
      expect(res.body).toEqual({
        id: category.id,
        name: category.name,
        slug: category.slug,
        description: 'Leaves',
        createdAt: category.createdAt.toISOString(),
        updatedAt: category.updatedAt.toISOString(),
      });
      expect(res.headers.etag).toBe(`"${category.id}-1"`);
    });

    it('answers If-None-Match with 304 and no body while unchanged, 200 once changed', async () => {
      const category = await newCategory();
      const url = `/v1/categories/${category.id}`;
      const { headers } = await t.http.get(url).expect(200);
      for (const header of [headers.etag, `W/${headers.etag}`, `"other", ${headers.etag}`, '*']) {
        const res = await t.http.get(url).set('If-None-Match', header).expect(304);
        expect(res.text ?? '').toBe('');
        expect(res.headers.etag).toBe(headers.etag);
      }
      await t.http.patch(url).set(staff.auth).send({ name: 'Renamed' }).expect(200);
      const res = await t.http.get(url).set('If-None-Match', headers.etag).expect(200);
      expect(res.body.name).toBe('Renamed');
      expect(res.headers.etag).toBe(`"${category.id}-2"`);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(await t.http.get('/v1/categories/999999'), 404, 'not-found');
      for (const id of ['abc', '0', '-1', '1.5', '99999999999']) {
        expectProblem(await t.http.get(`/v1/categories/${id}`), 400, 'validation-error');
      }
    });

    it('answers a bad token with 401 even on a public route', async () => {
      const category = await newCategory();
      expectProblem(await t.http.get(`/v1/categories/${category.id}`).set('Authorization', 'Bearer nope'), 401);
    });
  });

  describe('GET /v1/categories', () => {
    it('pages with absolute links that keep the other parameters, followed to the end', async () => {
      for (let i = 0; i < 5; i++) await newCategory();
      const total = await t.prisma.category.count();
      const seen: number[] = [];
      let url: string | null = '/v1/categories?pageSize=2&ordering=-id';
      let pages = 0;
      while (url) {
        const res: Response = await t.http.get(url.replace(/^https?:\/\/[^/]+/, '')).expect(200);
        expect(res.body.count).toBe(total);
        if (res.body.next) {
          expect(res.body.next).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/v1\/categories\?/);
          const next = new URL(res.body.next);
          expect(next.searchParams.get('ordering')).toBe('-id');
          expect(next.searchParams.get('pageSize')).toBe('2');
          expect(next.searchParams.get('page')).toBe(String(pages + 2));
        }
        if (pages > 0) expect(new URL(res.body.previous).searchParams.get('page')).toBe(String(pages));
        else expect(res.body.previous).toBeNull();
        seen.push(...res.body.results.map((c: { id: number }) => c.id));
        url = res.body.next;
        pages += 1;
      }
      expect(pages).toBe(Math.ceil(total / 2));
      const ids = (await snapshot()).map((c) => c.id).sort((a, b) => b - a);
      expect(seen).toEqual(ids);
    });

    it('orders by name by default, and by any whitelisted field with "-" for descending', async () => {
      await newCategory({ name: 'aaa first', slug: 'zzz-last-slug' });
      await newCategory({ name: 'zzz last', slug: 'aaa-first-slug' });
      const all = await snapshot();
      const byName = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id)).map((c) => c.id);
      const res = await t.http.get('/v1/categories?pageSize=100').expect(200);
      expect(res.body.results.map((c: { id: number }) => c.id)).toEqual(byName);

      const bySlugDesc = [...all].sort((a, b) => (a.slug < b.slug ? 1 : -1)).map((c) => c.id);
      const desc = await t.http.get('/v1/categories?pageSize=100&ordering=-slug').expect(200);
      expect(desc.body.results.map((c: { id: number }) => c.id)).toEqual(bySlugDesc);
    });

    it.each([
      ['ordering=bogus', 'ordering'],
      ['ordering=name,-password', 'ordering'],
      ['pageSize=101', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['page=abc', 'page'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
      ['color=red', 'color'],
      ['cursor=', 'cursor'], // categories page by number only
    ])('answers %s with a 400 problem', async (qs, field) => {
      const res = await t.http.get(`/v1/categories?${qs}`);
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers a page past the end with 404', async () => {
      expectProblem(await t.http.get('/v1/categories?page=9999'), 404, 'not-found');
    });
  });

  describe('PUT /v1/categories/{id}', () => {
    it('replaces every field, bumps the version and returns the new ETag', async () => {
      const category = await newCategory({ description: 'old' });
      const res = await t.http
        .put(`/v1/categories/${category.id}`)
        .set(staff.auth)
        .send({ name: 'New name', slug: `new-${category.slug}`, description: 'new' })
        .expect(200);
      expect(res.body).toEqual(expect.objectContaining({ id: category.id, name: 'New name', slug: `new-${category.slug}`, description: 'new' }));
      expect(res.headers.etag).toBe(`"${category.id}-2"`);
      const row = await t.prisma.category.findUniqueOrThrow({ where: { id: category.id } });
      expect(row).toEqual(expect.objectContaining({ name: 'New name', description: 'new', version: 2 }));
      expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(category.updatedAt.getTime());
    });

    it('requires every field (400), changing nothing', async () => {
      const category = await newCategory();
      const before = await snapshot();
      const res = await t.http.put(`/v1/categories/${category.id}`).set(staff.auth).send({ name: 'Only name' });
      expectProblem(res, 400, 'validation-error');
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['description', 'slug']);
      expect(await snapshot()).toEqual(before);
    });

    it('honours If-Match: a stale ETag answers 412 and changes nothing; the current one or * applies', async () => {
      const category = await newCategory();
      const url = `/v1/categories/${category.id}`;
      const body = { name: 'Guarded', slug: category.slug, description: '' };
      const before = await snapshot();
      for (const stale of [`"${category.id}-0"`, `W/"${category.id}-1"`, `"${category.id + 1}-1"`, 'garbage']) {
        const res = await t.http.put(url).set(staff.auth).set('If-Match', stale).send(body);
        expectProblem(res, 412, 'precondition-failed');
        expect(res.headers.etag).toBe(`"${category.id}-1"`);
      }
      expect(await snapshot()).toEqual(before);

      const ok = await t.http.put(url).set(staff.auth).set('If-Match', `"${category.id}-1"`).send(body).expect(200);
      expect(ok.headers.etag).toBe(`"${category.id}-2"`);
      expectProblem(await t.http.put(url).set(staff.auth).set('If-Match', `"${category.id}-1"`).send(body), 412);
      await t.http.put(url).set(staff.auth).set('If-Match', '*').send(body).expect(200);
      expect((await t.prisma.category.findUniqueOrThrow({ where: { id: category.id } })).version).toBe(3);
    });

    it('answers a taken slug with 409, an unknown id with 404, a customer with 403, changing nothing', async () => {
      const a = await newCategory();
      const b = await newCategory();
      const before = await snapshot();
      const body = { name: 'X', slug: b.slug, description: '' };
      expectProblem(await t.http.put(`/v1/categories/${a.id}`).set(staff.auth).send(body), 409, 'duplicate');
      expectProblem(
        await t.http
          .put('/v1/categories/999999')
          .set(staff.auth)
          .send({ ...body, slug: 'free-slug' }),
        404,
      );
      expectProblem(
        await t.http
          .put('/v1/categories/999999')
          .set(staff.auth)
          .set('If-Match', '*')
          .send({ ...body, slug: 'free' }),
        404,
      );
      expectProblem(await t.http.put(`/v1/categories/${a.id}`).set(customer.auth).send(body), 403);
      expectProblem(await t.http.put(`/v1/categories/${a.id}`).send(body), 401);
      expectProblem(await t.http.put('/v1/categories/abc').set(staff.auth).send(body), 400);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('PATCH /v1/categories/{id}', () => {
    it('changes only the fields sent and returns the new ETag', async () => {
      const category = await newCategory({ description: 'keep me' });
      const res = await t.http.patch(`/v1/categories/${category.id}`).set(staff.auth).send({ name: ' Patched ' }).expect(200);
      expect(res.body).toEqual(expect.objectContaining({ name: 'Patched', slug: category.slug, description: 'keep me' }));
      expect(res.headers.etag).toBe(`"${category.id}-2"`);
    });

    it.each([
      [{}, 'body'],
      [{ name: null }, 'name'],
      [{ slug: 'Bad Slug' }, 'slug'],
      [{ description: 5 }, 'description'],
      [{ version: 7 }, 'version'],
    ])('rejects %j with 400, changing nothing', async (body, field) => {
      const category = await newCategory();
      const before = await snapshot();
      const res = await t.http.patch(`/v1/categories/${category.id}`).set(staff.auth).send(body);
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it('answers a stale If-Match with 412, a taken slug with 409, an unknown id with 404, changing nothing', async () => {
      const a = await newCategory();
      const b = await newCategory();
      const before = await snapshot();
      expectProblem(await t.http.patch(`/v1/categories/${a.id}`).set(staff.auth).set('If-Match', `"${a.id}-9"`).send({ name: 'Y' }), 412);
      expectProblem(await t.http.patch(`/v1/categories/${a.id}`).set(staff.auth).send({ slug: b.slug }), 409, 'duplicate');
      expectProblem(await t.http.patch('/v1/categories/999999').set(staff.auth).send({ name: 'Y' }), 404);
      expectProblem(await t.http.patch(`/v1/categories/${a.id}`).set(customer.auth).send({ name: 'Y' }), 403);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('DELETE /v1/categories/{id}', () => {
    it('deletes an empty category (204), then answers 404', async () => {
      const category = await newCategory();
      const res = await t.http.delete(`/v1/categories/${category.id}`).set(staff.auth).expect(204);
      expect(res.text ?? '').toBe('');
      expect(await t.prisma.category.findUnique({ where: { id: category.id } })).toBeNull();
      expectProblem(await t.http.delete(`/v1/categories/${category.id}`).set(staff.auth), 404);
      expectProblem(await t.http.get(`/v1/categories/${category.id}`), 404);
    });

    it('refuses (409) while the category has products, archived ones included, changing nothing', async () => {
      const category = await newCategory();
      const product = await t.prisma.product.create({
        data: { sku: `DEL-${category.id}`, name: 'P', price: '1.00', stock: 1, categoryId: category.id },
      });
      const before = await snapshot();
      const res = await t.http.delete(`/v1/categories/${category.id}`).set(staff.auth);
      expectProblem(res, 409, 'in-use');
      expect(res.body.detail).toMatch(/still has products/);
      await t.prisma.product.update({ where: { id: product.id }, data: { archivedAt: new Date() } });
      expectProblem(await t.http.delete(`/v1/categories/${category.id}`).set(staff.auth), 409, 'in-use');
      expect(await snapshot()).toEqual(before);
    });

    it('needs staff, and a well-formed id', async () => {
      const category = await newCategory();
      expectProblem(await t.http.delete(`/v1/categories/${category.id}`), 401);
      expectProblem(await t.http.delete(`/v1/categories/${category.id}`).set(customer.auth), 403);
      expectProblem(await t.http.delete('/v1/categories/x1').set(staff.auth), 400);
      expect(await t.prisma.category.findUnique({ where: { id: category.id } })).not.toBeNull();
    });
  });
});
