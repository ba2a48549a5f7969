import type { Response } from 'supertest';
import { Decimal } from '../src/common/money/money.js';
import type { Product } from '../src/generated/prisma/client.js';
import { createUser, type TestUser } from './utils/fixtures.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const PUBLIC_FIELDS = ['active', 'categoryId', 'createdAt', 'description', 'id', 'name', 'price', 'sku', 'stock', 'updatedAt'];
const STAFF_FIELDS = [...PUBLIC_FIELDS, 'archivedAt'].sort();

type ProductInput = { sku: string; name: string; price: string; stock: number; categoryId: number; description?: string; active?: boolean; archivedAt?: Date };

const ids = (res: Response) => res.body.results.map((p: { id: number }) => p.id);
const fields = (res: Response) => [...new Set(res.body.errors.map((e: { field: string }) => e.field))];
const path = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

describe('Products', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let categoryId: number;
  let otherCategoryId: number;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    categoryId = (await t.prisma.category.create({ data: { name: 'Coffee', slug: 'coffee' } })).id;
    otherCategoryId = (await t.prisma.category.create({ data: { name: 'Tea', slug: 'tea' } })).id;
  });
  afterAll(() => t.close());

  /** Every product row, to prove a failed write changed nothing. */
  const snapshot = () => t.prisma.product.findMany({ orderBy: { id: 'asc' } });

  const newProduct = (overrides: Partial<ProductInput> = {}): Promise<Product> => {
    seq += 1;
    return t.prisma.product.create({
      data: { sku: `SKU-${seq}`, name: `Product ${seq}`, price: '10.00', stock: 5, categoryId, ...overrides },
    });
  };

  const validBody = () => {
    seq += 1;
    return { sku: `NEW-${seq}`, name: 'Hand grinder', description: 'Conical burrs', price: '89.00', stock: 10, categoryId, active: true };
  };

  describe('POST /v1/products', () => {
    it('creates a product: 201, Location, ETag, staff representation, defaults for description and active', async () => {
      const res = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ sku: ' GEAR-V60 ', name: ' Pour-over dripper ', price: 19.9, stock: 25, categoryId })
        .expect(201);
      expect(Object.keys(res.body).sort()).toEqual(STAFF_FIELDS);
      expect(res.body).toEqual(
        expect.objectContaining({
          sku: 'GEAR-V60',
          name: 'Pour-over dripper',
          description: '',
          price: '19.90',
          stock: 25,
          categoryId,
          active: true,
          archivedAt: null,
        }),
      );
      expect(res.headers.location).toBe(`/v1/products/${res.body.id}`);
      expect(res.headers.etag).toBe(`"${res.body.id}-1"`);
      const row = await t.prisma.product.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row.price.toFixed(2)).toBe('19.90');
      expect(row).toEqual(expect.objectContaining({ sku: 'GEAR-V60', description: '', active: true, archivedAt: null, version: 1 }));
      const read = await t.http.get(res.headers.location).expect(200);
      expect(read.body).toEqual({ ...res.body, archivedAt: undefined });
    });

    it('needs a token (401) and the staff role (403), changing nothing', async () => {
      const before = await snapshot();
      expectProblem(await t.http.post('/v1/products').send(validBody()), 401);
      expectProblem(await t.http.post('/v1/products').set(customer.auth).send(validBody()), 403, 'forbidden');
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      ['price', 0],
      ['price', '0.00'],
      ['price', -1],
      ['price', '-0.01'],
      ['price', '1.999'],
      ['price', 1.005],
      ['price', 0.1 + 0.2],
      ['price', '1e3'],
      ['price', 'abc'],
      ['price', ''],
      ['price', null],
      ['price', true],
      ['price', [1]],
      ['price', 100_000_000],
      ['price', '100000000.00'],
      ['stock', -1],
      ['stock', 1.5],
      ['stock', '5'],
      ['stock', 2_147_483_648],
      ['stock', null],
      ['sku', ''],
      ['sku', '-starts-with-hyphen'],
      ['sku', 'has space'],
      ['sku', 'S'.repeat(65)],
      ['name', '   '],
      ['name', 'n'.repeat(201)],
      ['description', null],
      ['description', 'd'.repeat(5001)],
      ['categoryId', '1'],
      ['categoryId', 0],
      ['categoryId', 2_147_483_648],
      ['active', 'yes'],
      ['active', null],
      ['version', 3],
      ['archivedAt', '2026-01-01T00:00:00.000Z'],
    ])('rejects %s = %j with a 400 naming it, changing nothing', async (field, value) => {
      const before = await snapshot();
      const res = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), [field]: value });
      expectProblem(res, 400, 'validation-error');
      expect(fields(res)).toEqual([field]);
      expect(await snapshot()).toEqual(before);
    });

    it('explains the money rule', async () => {
      const res = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), price: '1.234' });
      expect(res.body.errors).toEqual([{ field: 'price', message: 'price must be a positive amount with at most two decimals (at most 99999999.99)' }]);
    });

    it('rejects each missing required field', async () => {
      const before = await snapshot();
      const res = await t.http.post('/v1/products').set(staff.auth).send({});
      expectProblem(res, 400, 'validation-error');
      expect(fields(res).sort()).toEqual(['categoryId', 'name', 'price', 'sku', 'stock']);
      expect(await snapshot()).toEqual(before);
    });

    it('answers an unknown categoryId with a 400 naming categoryId, changing nothing', async () => {
      const before = await snapshot();
      const res = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), categoryId: 999_999 });
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'categoryId', message: 'categoryId 999999 is not an existing category' }]);
      expect(await snapshot()).toEqual(before);
    });

    it('answers a duplicate sku with 409, changing nothing', async () => {
      const existing = await newProduct();
      const before = await snapshot();
      const res = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), sku: existing.sku });
      expectProblem(res, 409, 'duplicate');
      expect(res.body.errors).toEqual([{ field: 'sku', message: 'sku must be unique' }]);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('money', () => {
    it.each([
      [0.1, '0.10'],
      ['0.2', '0.20'],
      [0.3, '0.30'],
      ['19.9', '19.90'],
      [5, '5.00'],
      [' 7.5 ', '7.50'],
      [1.15, '1.15'],
      [99_999_999.99, '99999999.99'],
      ['99999999.99', '99999999.99'],
      ['0.01', '0.01'],
    ])('stores %j exactly and answers %s, in the API and in the database', async (input, output) => {
      const created = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), price: input })
        .expect(201);
      expect(created.body.price).toBe(output);
      const [{ price }] = await t.prisma.$queryRaw<Array<{ price: string }>>`SELECT price::text AS price FROM "Product" WHERE id = ${created.body.id}`;
      expect(price).toBe(output);
      expect((await t.http.get(`/v1/products/${created.body.id}`).expect(200)).body.price).toBe(output);
    });

    it('adds up without drift: 0.10 + 0.20 is exactly 0.30, and a PATCH keeps cents exact', async () => {
      const a = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), price: 0.1 })
        .expect(201);
      const b = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), price: 0.2 })
        .expect(201);
      expect(new Decimal(a.body.price).plus(b.body.price).toFixed(2)).toBe('0.30');
      const patched = await t.http.patch(`/v1/products/${a.body.id}`).set(staff.auth).send({ price: '0.30' }).expect(200);
      expect(patched.body.price).toBe('0.30');
      const row = await t.prisma.product.findUniqueOrThrow({ where: { id: a.body.id } });
      expect(row.price.equals(new Decimal('0.1').plus('0.2'))).toBe(true);
    });
  });

  describe('GET /v1/products/{id}', () => {
    it('is public, with a strong ETag, Vary: Authorization and no staff-only fields', async () => {
      const product = await newProduct({ price: '24.90', description: 'Dark roast' });
      for (const auth of [{}, customer.auth]) {
        const res = await t.http.get(`/v1/products/${product.id}`).set(auth).expect(200);
        expect(res.body).toEqual({
          id: product.id,
          sku: product.sku,
          name: product.name,
          description: 'Dark roast',
          price: '24.90',
          stock: 5,
          categoryId,
          active: true,
          createdAt: product.createdAt.toISOString(),
          updatedAt: product.updatedAt.toISOString(),
        });
        expect(res.headers.etag).toBe(`"${product.id}-1"`);
        expect(res.headers.vary).toMatch(/Authorization/i);
      }
      const asStaff = await t.http.get(`/v1/products/${product.id}`).set(staff.auth).expect(200);
      expect(Object.keys(asStaff.body).sort()).toEqual(STAFF_FIELDS);
      expect(asStaff.body.archivedAt).toBeNull();
    });

    it('hides inactive and archived products from anonymous users and customers (404), not from staff', async () => {
      const inactive = await newProduct({ active: false });
      const archivedAt = new Date('2026-11-01T12:00:00.000Z');
      const archived = await newProduct({ archivedAt });
      for (const product of [inactive, archived]) {
        expectProblem(await t.http.get(`/v1/products/${product.id}`), 404, 'not-found');
        expectProblem(await t.http.get(`/v1/products/${product.id}`).set(customer.auth), 404, 'not-found');
      }
      expect((await t.http.get(`/v1/products/${inactive.id}`).set(staff.auth).expect(200)).body.active).toBe(false);
      const res = await t.http.get(`/v1/products/${archived.id}`).set(staff.auth).expect(200);
      expect(res.body.archivedAt).toBe(archivedAt.toISOString());
    });

    it('answers If-None-Match with 304 and no body while unchanged, 200 with the new ETag after a write', async () => {
      const product = await newProduct();
      const url = `/v1/products/${product.id}`;
      const { headers } = await t.http.get(url).expect(200);
      for (const header of [headers.etag, `W/${headers.etag}`, `"x", ${headers.etag}`, '*']) {
        const res = await t.http.get(url).set('If-None-Match', header).expect(304);
        expect(res.text ?? '').toBe('');
        expect(res.headers.etag).toBe(headers.etag);
      }
      await t.http.get(url).set('If-None-Match', `"${product.id}-7"`).expect(200);
      await t.http.patch(url).set(staff.auth).send({ stock: 6 }).expect(200);
      const res = await t.http.get(url).set('If-None-Match', headers.etag).expect(200);
      expect(res.headers.etag).toBe(`"${product.id}-2"`);
      expect(res.body.stock).toBe(6);
    });

    it('answers, byte for byte, the representation a write answered, in a page and a cursor page too (reads of a product and a page are rendered by PostgreSQL, writes by Node)', async () => {
      const created = await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ ...validBody(), name: 'Kettle "Gooseneck" — 1 l \\ ✓', description: 'Line\nbreak\ttab', price: '0.5' })
        .expect(201);
      const url = `/v1/products/${created.body.id}`;
      const { body: publicBody } = await t.http.get(url).expect(200);
      const staffRead = await t.http.get(url).set(staff.auth).expect(200);
      expect(staffRead.text).toBe(created.text);
      expect(staffRead.headers['content-type']).toBe(created.headers['content-type']);
      const { archivedAt: _archivedAt, ...publicShape } = created.body;
      expect(Object.keys(publicBody)).toEqual(Object.keys(publicShape));
      expect(publicBody).toEqual(publicShape);

      await t.http.delete(url).set(staff.auth).expect(204);
      const edited = await t.http.patch(url).set(staff.auth).send({ stock: 7 }).expect(200);
      expect(edited.body.archivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect((await t.http.get(url).set(staff.auth).expect(200)).text).toBe(edited.text);
      for (const list of ['/v1/products?includeArchived=true&ordering=-id&pageSize=1', '/v1/products?includeArchived=true&ordering=-id&pageSize=1&cursor=']) {
        const page = await t.http.get(list).set(staff.auth).expect(200);
        expect(JSON.stringify(page.body.results[0])).toBe(edited.text);
        expect(page.text).toBe(JSON.stringify(page.body));
      }
    });

    it('does not reveal a hidden product through If-None-Match', async () => {
      const hidden = await newProduct({ active: false });
      expectProblem(await t.http.get(`/v1/products/${hidden.id}`).set('If-None-Match', '*'), 404);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectProblem(await t.http.get('/v1/products/999999'), 404, 'not-found');
      for (const id of ['abc', '0', '-3', '2.5', '2147483648']) expectProblem(await t.http.get(`/v1/products/${id}`), 400, 'validation-error');
    });
  });

  describe('PUT /v1/products/{id}', () => {
    it('replaces every field, bumps the version and returns the new ETag', async () => {
      const product = await newProduct({ description: 'old' });
      const body = { sku: `R-${product.id}`, name: 'Replaced', description: 'new', price: '12.34', stock: 0, categoryId: otherCategoryId, active: false };
      const res = await t.http.put(`/v1/products/${product.id}`).set(staff.auth).send(body).expect(200);
      expect(res.body).toEqual(expect.objectContaining({ ...body, id: product.id, archivedAt: null }));
      expect(res.headers.etag).toBe(`"${product.id}-2"`);
      const row = await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      expect(row).toEqual(expect.objectContaining({ ...body, price: new Decimal('12.34'), version: 2 }));
    });

    it.each(['sku', 'name', 'description', 'price', 'stock', 'categoryId', 'active'])('requires %s (400), changing nothing', async (missing) => {
      const product = await newProduct();
      const before = await snapshot();
      const body: Record<string, unknown> = { ...validBody() };
      delete body[missing];
      const res = await t.http.put(`/v1/products/${product.id}`).set(staff.auth).send(body);
      expectProblem(res, 400, 'validation-error');
      expect(fields(res)).toEqual([missing]);
      expect(await snapshot()).toEqual(before);
    });

    it('honours If-Match: stale, weak or foreign ETags answer 412 and change nothing; the current one or * applies', async () => {
      const product = await newProduct();
      const url = `/v1/products/${product.id}`;
      const before = await snapshot();
      for (const stale of [`"${product.id}-2"`, `W/"${product.id}-1"`, `"${product.id + 1}-1"`, '"garbage"', 'unquoted']) {
        const res = await t.http.put(url).set(staff.auth).set('If-Match', stale).send(validBody());
        expectProblem(res, 412, 'precondition-failed');
        expect(res.headers.etag).toBe(`"${product.id}-1"`);
      }
      expect(await snapshot()).toEqual(before);

      const ok = await t.http.put(url).set(staff.auth).set('If-Match', `"${product.id}-9", "${product.id}-1"`).send(validBody()).expect(200);
      expect(ok.headers.etag).toBe(`"${product.id}-2"`);
      const after = await snapshot();
      expectProblem(await t.http.put(url).set(staff.auth).set('If-Match', `"${product.id}-1"`).send(validBody()), 412);
      expect(await snapshot()).toEqual(after);
      await t.http.put(url).set(staff.auth).set('If-Match', '*').send(validBody()).expect(200);
    });

    it('lets exactly one of two concurrent writes with the same If-Match win', async () => {
      const product = await newProduct();
      const url = `/v1/products/${product.id}`;
      const etag = `"${product.id}-1"`;
      const results = await Promise.all([1, 2, 3, 4].map((stock) => t.http.patch(url).set(staff.auth).set('If-Match', etag).send({ stock })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
      const winner = results.find((r) => r.status === 200)!;
      const row = await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      expect(row.version).toBe(2);
      expect(row.stock).toBe(winner.body.stock);
    });

    it('answers a taken sku with 409, an unknown category with 400, an unknown id with 404, changing nothing', async () => {
      const a = await newProduct();
      const b = await newProduct();
      const before = await snapshot();
      expectProblem(
        await t.http
          .put(`/v1/products/${a.id}`)
          .set(staff.auth)
          .send({ ...validBody(), sku: b.sku }),
        409,
        'duplicate',
      );
      const unknown = await t.http
        .put(`/v1/products/${a.id}`)
        .set(staff.auth)
        .send({ ...validBody(), categoryId: 999_999 });
      expectProblem(unknown, 400, 'validation-error');
      expect(fields(unknown)).toEqual(['categoryId']);
      expectProblem(await t.http.put('/v1/products/999999').set(staff.auth).send(validBody()), 404);
      expectProblem(await t.http.put('/v1/products/999999').set(staff.auth).set('If-Match', '"999999-1"').send(validBody()), 404);
      expectProblem(await t.http.put(`/v1/products/${a.id}`).set(customer.auth).send(validBody()), 403);
      expectProblem(await t.http.put(`/v1/products/${a.id}`).send(validBody()), 401);
      expectProblem(await t.http.put('/v1/products/abc').set(staff.auth).send(validBody()), 400);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('PATCH /v1/products/{id}', () => {
    it('changes only the fields sent, bumps the version, returns the new ETag', async () => {
      const product = await newProduct({ description: 'keep', price: '3.00' });
      const res = await t.http.patch(`/v1/products/${product.id}`).set(staff.auth).send({ price: 4.5 }).expect(200);
      expect(res.body).toEqual(expect.objectContaining({ sku: product.sku, name: product.name, description: 'keep', price: '4.50', stock: 5 }));
      expect(res.headers.etag).toBe(`"${product.id}-2"`);
      const row = await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      expect(row).toEqual(expect.objectContaining({ ...product, price: new Decimal('4.50'), version: 2, updatedAt: expect.any(Date) }));
    });

    it('deactivating hides the product from the public at once', async () => {
      const product = await newProduct();
      await t.http.get(`/v1/products/${product.id}`).expect(200);
      await t.http.patch(`/v1/products/${product.id}`).set(staff.auth).send({ active: false }).expect(200);
      expectProblem(await t.http.get(`/v1/products/${product.id}`), 404);
      await t.http.patch(`/v1/products/${product.id}`).set(staff.auth).send({ active: true }).expect(200);
      await t.http.get(`/v1/products/${product.id}`).expect(200);
    });

    it.each([
      [{}, 'body'],
      [{ price: null }, 'price'],
      [{ price: '0' }, 'price'],
      [{ stock: -5 }, 'stock'],
      [{ name: '' }, 'name'],
      [{ sku: null }, 'sku'],
      [{ active: 'false' }, 'active'],
      [{ archivedAt: null }, 'archivedAt'],
    ])('rejects %j with 400, changing nothing', async (body, field) => {
      const product = await newProduct();
      const before = await snapshot();
      const res = await t.http.patch(`/v1/products/${product.id}`).set(staff.auth).send(body);
      expectProblem(res, 400, 'validation-error');
      expect(fields(res)).toEqual([field]);
      expect(await snapshot()).toEqual(before);
    });

    it('answers stale If-Match 412, taken sku 409, unknown category 400, unknown id 404, roles 401/403, changing nothing', async () => {
      const a = await newProduct();
      const b = await newProduct();
      const before = await snapshot();
      expectProblem(await t.http.patch(`/v1/products/${a.id}`).set(staff.auth).set('If-Match', `"${a.id}-5"`).send({ stock: 1 }), 412);
      expectProblem(await t.http.patch(`/v1/products/${a.id}`).set(staff.auth).send({ sku: b.sku }), 409, 'duplicate');
      expectProblem(await t.http.patch(`/v1/products/${a.id}`).set(staff.auth).send({ categoryId: 999_999 }), 400, 'validation-error');
      expectProblem(await t.http.patch('/v1/products/999999').set(staff.auth).send({ stock: 1 }), 404);
      expectProblem(await t.http.patch(`/v1/products/${a.id}`).set(customer.auth).send({ stock: 1 }), 403);
      expectProblem(await t.http.patch(`/v1/products/${a.id}`).send({ stock: 1 }), 401);
      expect(await snapshot()).toEqual(before);
    });

    it('lets staff edit an archived product, which stays archived', async () => {
      const product = await newProduct({ archivedAt: new Date() });
      const res = await t.http.patch(`/v1/products/${product.id}`).set(staff.auth).send({ name: 'Fixed typo' }).expect(200);
      expect(res.body.archivedAt).toBe(product.archivedAt!.toISOString());
      expectProblem(await t.http.get(`/v1/products/${product.id}`), 404);
    });
  });

  describe('DELETE /v1/products/{id}', () => {
    it('archives: 204, the row stays, gone from public reads and the default staff list, staff can still read it', async () => {
      const product = await newProduct({ categoryId: otherCategoryId });
      const res = await t.http.delete(`/v1/products/${product.id}`).set(staff.auth).expect(204);
      expect(res.text ?? '').toBe('');
      const row = await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
      expect(row.archivedAt).toBeInstanceOf(Date);
      expect(row).toEqual(expect.objectContaining({ active: true, version: 2, sku: product.sku }));

      expectProblem(await t.http.get(`/v1/products/${product.id}`), 404);
      expectProblem(await t.http.get(`/v1/products/${product.id}`).set(customer.auth), 404);
      const asStaff = await t.http.get(`/v1/products/${product.id}`).set(staff.auth).expect(200);
      expect(asStaff.body.archivedAt).toBe(row.archivedAt!.toISOString());

      const list = `/v1/products?categoryId=${otherCategoryId}&pageSize=100`;
      expect(ids(await t.http.get(list).expect(200))).not.toContain(product.id);
      expect(ids(await t.http.get(list).set(staff.auth).expect(200))).not.toContain(product.id);
      expect(ids(await t.http.get(`${list}&includeArchived=true`).set(staff.auth).expect(200))).toContain(product.id);

      // Idempotent: a second DELETE answers 204 and keeps the first archive time.
      await t.http.delete(`/v1/products/${product.id}`).set(staff.auth).expect(204);
      expect(await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).toEqual(row);
    });

    it('answers an unknown id 404, a malformed one 400, and needs staff, changing nothing', async () => {
      const product = await newProduct();
      const before = await snapshot();
      expectProblem(await t.http.delete('/v1/products/999999').set(staff.auth), 404);
      expectProblem(await t.http.delete('/v1/products/abc').set(staff.auth), 400);
      expectProblem(await t.http.delete(`/v1/products/${product.id}`), 401);
      expectProblem(await t.http.delete(`/v1/products/${product.id}`).set(customer.auth), 403);
      expect(await snapshot()).toEqual(before);
    });
  });
});

describe('Catalogue OpenAPI', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string; schema: Record<string, unknown> }> }>>;
    components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }> };
  };

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/openapi.json').expect(200)).body;
  });
  afterAll(() => t.close());

  // Every operation also answers 429, 500 and 503 (rate limits, crashes, database outages) and, as default, what Fastify refuses before routing.
  const COMMON = ['429', '500', '503', 'default'];
  it.each([
    ['/v1/categories', 'get', ['200', '400', '401', '404', ...COMMON]],
    ['/v1/categories', 'post', ['201', '400', '401', '403', '409', ...COMMON]],
    ['/v1/categories/{id}', 'get', ['200', '304', '400', '401', '404', ...COMMON]],
    ['/v1/categories/{id}', 'put', ['200', '400', '401', '403', '404', '409', '412', ...COMMON]],
    ['/v1/categories/{id}', 'patch', ['200', '400', '401', '403', '404', '409', '412', ...COMMON]],
    ['/v1/categories/{id}', 'delete', ['204', '400', '401', '403', '404', '409', ...COMMON]],
    ['/v1/products', 'get', ['200', '400', '401', '404', ...COMMON]],
    ['/v1/products', 'post', ['201', '400', '401', '403', '409', ...COMMON]],
    ['/v1/products/{id}', 'get', ['200', '304', '400', '401', '404', ...COMMON]],
    ['/v1/products/{id}', 'put', ['200', '400', '401', '403', '404', '409', '412', ...COMMON]],
    ['/v1/products/{id}', 'patch', ['200', '400', '401', '403', '404', '409', '412', ...COMMON]],
    ['/v1/products/{id}', 'delete', ['204', '400', '401', '403', '404', ...COMMON]],
  ])('documents %s %s with every answer', (route, method, statuses) => {
    expect(Object.keys(doc.paths[route][method].responses).sort()).toEqual(statuses);
  });

  it('shows every field and limit of the product bodies and list filters', () => {
    const { schemas } = doc.components;
    expect(schemas.ReplaceProductDto.required?.sort()).toEqual(['active', 'categoryId', 'description', 'name', 'price', 'sku', 'stock']);
    expect(schemas.CreateProductDto.required?.sort()).toEqual(['categoryId', 'name', 'price', 'sku', 'stock']);
    expect(schemas.UpdateProductDto.required ?? []).toEqual([]);
    expect(schemas.CreateProductDto.properties.price.oneOf).toEqual([
      expect.objectContaining({ type: 'string' }),
      expect.objectContaining({ type: 'number', minimum: 0.01, maximum: 99_999_999.99 }),
    ]);
    expect(schemas.CreateProductDto.properties.stock).toEqual(expect.objectContaining({ type: 'integer', minimum: 0, maximum: 1_000_000_000 }));
    expect(Object.keys(schemas.ProductDto.properties).sort()).toEqual(STAFF_FIELDS);
    expect(schemas.ProductDto.properties.price).toEqual(expect.objectContaining({ type: 'string', example: '19.99' }));
    expect(schemas.CreateCategoryDto.properties.slug).toEqual(expect.objectContaining({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 100 }));
    const params = Object.fromEntries(doc.paths['/v1/products'].get.parameters!.map((q) => [q.name, q.schema]));
    expect(Object.keys(params).sort()).toEqual(
      ['active', 'categoryId', 'cursor', 'inStock', 'includeArchived', 'maxPrice', 'minPrice', 'ordering', 'page', 'pageSize', 'search'].sort(),
    );
    expect(params.pageSize).toEqual(expect.objectContaining({ maximum: 100, default: 20 }));
    expect(params.search).toEqual(expect.objectContaining({ maxLength: 100 }));
  });
});

describe('Product lists', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let coffee: number;
  let tea: number;
  const p: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    coffee = (await t.prisma.category.create({ data: { name: 'Coffee', slug: 'coffee' } })).id;
    tea = (await t.prisma.category.create({ data: { name: 'Tea', slug: 'tea' } })).id;
    const rows: Array<[string, string, string, string, number, number, boolean?, Date?]> = [
      ['espresso', 'COF-1', 'Espresso Beans', '24.90', 40, coffee],
      ['filter', 'COF-2', 'Filter Coffee', '8.50', 0, coffee],
      ['sencha', 'TEA-1', 'Sencha', '12.00', 60, tea],
      ['earl', 'TEA-2', 'Earl Grey', '0.10', 5, tea],
      ['matcha', 'TEA-3', 'Matcha 100% pure', '0.20', 3, tea],
      ['rooibos', 'TEA-4', 'Rooibos', '0.30', 5, tea],
      ['inactive', 'HID-1', 'Hidden roast', '5.00', 10, coffee, false],
      ['archived', 'ARC-1', 'Archived roast', '6.00', 10, coffee, true, new Date()],
    ];
    const descriptions: Record<string, string> = {
      espresso: 'dark roast',
      filter: 'light ROAST, citrus',
      sencha: 'green tea',
      earl: 'black tea with bergamot',
      matcha: 'powder_fine',
      rooibos: 'red bush',
      inactive: 'not sold yet',
      archived: 'sold out for good',
    };
    for (const [key, sku, name, price, stock, categoryId, active = true, archivedAt] of rows) {
      const product = await t.prisma.product.create({
        data: { sku, name, price, stock, categoryId, active, archivedAt, description: descriptions[key] },
      });
      p[key] = product.id;
    }
  });
  afterAll(() => t.close());

  const get = async (query: string, auth: Record<string, string> = {}) => {
    const res = await t.http.get(`/v1/products?${query}`).set(auth);
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const keys = (...names: string[]) => names.map((name) => p[name]);

  it('shows anonymous users and customers only active, unarchived products, in id order by default', async () => {
    for (const auth of [{}, customer.auth]) {
      const res = await get('', auth);
      expect(res.body).toEqual({ count: 6, next: null, previous: null, results: expect.any(Array) });
      expect(ids(res)).toEqual(keys('espresso', 'filter', 'sencha', 'earl', 'matcha', 'rooibos'));
      expect(Object.keys(res.body.results[0]).sort()).toEqual(PUBLIC_FIELDS);
      expect(res.headers.vary).toMatch(/Authorization/i);
    }
  });

  it('shows staff inactive products too, archived ones only with includeArchived=true', async () => {
    expect(ids(await get('', staff.auth))).toEqual(keys('espresso', 'filter', 'sencha', 'earl', 'matcha', 'rooibos', 'inactive'));
    const all = await get('includeArchived=true', staff.auth);
    expect(ids(all)).toEqual(keys('espresso', 'filter', 'sencha', 'earl', 'matcha', 'rooibos', 'inactive', 'archived'));
    expect(all.body.results.at(-1).archivedAt).toEqual(expect.any(String));
    expect(Object.keys(all.body.results[0]).sort()).toEqual(STAFF_FIELDS);
  });

  it('filters by active: staff find the inactive ones (archived included on request); others see active ones only', async () => {
    expect(ids(await get('active=false', staff.auth))).toEqual(keys('inactive'));
    expect(ids(await get('active=true', staff.auth))).toEqual(keys('espresso', 'filter', 'sencha', 'earl', 'matcha', 'rooibos'));
    expect(ids(await get('active=true&includeArchived=true', staff.auth))).toEqual(
      keys('espresso', 'filter', 'sencha', 'earl', 'matcha', 'rooibos', 'archived'),
    );
    expect(ids(await get('active=false', customer.auth))).toEqual([]);
    expect(ids(await get('active=true'))).toHaveLength(6);
    // Their counts come from the kept counts (migration 20261201150000_product_counts) or, for staff's
    // active=true with archived products, from the rows: both exact.
    for (const [query, auth, count] of [
      ['active=false', staff.auth, 1],
      ['active=true', staff.auth, 6],
      ['active=true&includeArchived=true', staff.auth, 7],
      ['active=false&includeArchived=true', staff.auth, 1],
      [`active=false&categoryId=${coffee}`, staff.auth, 1],
      [`active=true&categoryId=${tea}`, {}, 4],
      ['active=false', customer.auth, 0],
    ] as const) {
      expect((await get(query, auth)).body.count).toBe(count);
    }
  });

  it('ignores includeArchived for everyone but staff', async () => {
    expect(ids(await get('includeArchived=true'))).toHaveLength(6);
    expect(ids(await get('includeArchived=true', customer.auth))).toHaveLength(6);
  });

  it.each([
    ['search=roast', ['espresso', 'filter']],
    ['search=ROAST', ['espresso', 'filter']],
    ['search=cof', ['espresso', 'filter']],
    ['search=tea-2', ['earl']],
    ['search=Bergamot', ['earl']],
    ['search=100%25', ['matcha']],
    ['search=%25', ['matcha']],
    ['search=_', ['matcha']],
    ['search=%20%20sencha%20', ['sencha']],
    ['search=nothing-like-this', []],
    [`categoryId=TEA`, ['sencha', 'earl', 'matcha', 'rooibos']],
    ['categoryId=999999', []],
    ['minPrice=0.3', ['espresso', 'filter', 'sencha', 'rooibos']],
    ['maxPrice=0.30', ['earl', 'matcha', 'rooibos']],
    ['minPrice=0.30&maxPrice=0.3', ['rooibos']],
    ['minPrice=0.1&maxPrice=0.2', ['earl', 'matcha']],
    ['minPrice=0&maxPrice=99999999.99', ['espresso', 'filter', 'sencha', 'earl', 'matcha', 'rooibos']],
    ['inStock=true', ['espresso', 'sencha', 'earl', 'matcha', 'rooibos']],
    ['inStock=false', ['filter']],
    ['categoryId=TEA&inStock=true&maxPrice=1&ordering=-price', ['rooibos', 'matcha', 'earl']],
  ])('filters %s', async (query, expected) => {
    const res = await get(query.replace('TEA', String(tea)));
    expect(ids(res)).toEqual(keys(...expected));
    expect(res.body.count).toBe(expected.length);
  });

  // One- and two-character terms find their rows through another index (Product_search_grams_idx, the
  // characters and adjacent pairs of name, sku and description): the results must be exactly ILIKE's,
  // as for longer terms: "sc" spans two fields ("Espresso Beans", "COF-1") and "rt" holds two letters
  // that several products have, never side by side; neither is a match.
  it.each(['a', 'E', 'ro', 'RO', 'a-', '-2', '%', '_', '\\', '0.', 'x', 'é', 'ĳ', 'sc', 'rt', 'os', 'es'])(
    'a search for %j finds exactly what ILIKE does',
    async (term) => {
      const pattern = `%${term.replace(/[\\%_]/g, '\\$&')}%`;
      const { rows } = await t.prisma.pool.query<{ id: number }>(
        `SELECT id FROM "Product" WHERE active AND "archivedAt" IS NULL AND (name ILIKE $1 OR sku ILIKE $1 OR description ILIKE $1) ORDER BY id`,
        [pattern],
      );
      const res = await get(`search=${encodeURIComponent(term)}&pageSize=100`);
      expect(ids(res)).toEqual(rows.map((r) => r.id));
    },
  );

  it('applies filters to staff views as well', async () => {
    expect(ids(await get('search=roast', staff.auth))).toEqual(keys('espresso', 'filter', 'inactive'));
    expect(ids(await get('search=roast&includeArchived=true', staff.auth))).toEqual(keys('espresso', 'filter', 'inactive', 'archived'));
    expect(ids(await get(`categoryId=${coffee}&minPrice=5&maxPrice=6`, staff.auth))).toEqual(keys('inactive'));
  });

  it.each([
    ['ordering=-price', ['espresso', 'sencha', 'filter', 'rooibos', 'matcha', 'earl']],
    ['ordering=price', ['earl', 'matcha', 'rooibos', 'filter', 'sencha', 'espresso']],
    ['ordering=name', ['earl', 'espresso', 'filter', 'matcha', 'rooibos', 'sencha']],
    ['ordering=-name', ['sencha', 'rooibos', 'matcha', 'filter', 'espresso', 'earl']],
    ['ordering=sku', ['espresso', 'filter', 'sencha', 'earl', 'matcha', 'rooibos']],
    ['ordering=-stock,name', ['sencha', 'espresso', 'earl', 'rooibos', 'matcha', 'filter']],
    ['ordering=stock', ['filter', 'matcha', 'earl', 'rooibos', 'espresso', 'sencha']],
    ['ordering=-stock', ['sencha', 'espresso', 'rooibos', 'earl', 'matcha', 'filter']],
    ['ordering=-createdAt', ['rooibos', 'matcha', 'earl', 'sencha', 'filter', 'espresso']],
    ['ordering=-id', ['rooibos', 'matcha', 'earl', 'sencha', 'filter', 'espresso']],
    ['ordering=%20price%20,%20', ['earl', 'matcha', 'rooibos', 'filter', 'sencha', 'espresso']],
  ])('orders by %s (numeric money order, id tiebreak)', async (query, expected) => {
    expect(ids(await get(query))).toEqual(keys(...expected));
  });

  it('follows next links to the end, keeping filters and ordering, and previous links back', async () => {
    let url: string | null = `/v1/products?categoryId=${tea}&ordering=-price&pageSize=3&search=`;
    const seen: number[] = [];
    const pages: Response[] = [];
    while (url) {
      const res: Response = await t.http.get(path(url)).expect(200);
      expect(res.body.count).toBe(4);
      pages.push(res);
      seen.push(...ids(res));
      if (res.body.next) {
        const next = new URL(res.body.next);
        expect(next.protocol).toBe('http:');
        expect(Object.fromEntries(next.searchParams)).toEqual({
          categoryId: String(tea),
          ordering: '-price',
          pageSize: '3',
          search: '',
          page: String(pages.length + 1),
        });
      }
      url = res.body.next;
    }
    expect(seen).toEqual(keys('sencha', 'rooibos', 'matcha', 'earl'));
    expect(pages).toHaveLength(2);
    expect(pages[0].body.previous).toBeNull();
    const back = await t.http.get(path(pages[1].body.previous)).expect(200);
    expect(back.body.results).toEqual(pages[0].body.results);
    expect(path(back.body.next)).toBe(path(pages[0].body.next));
  });

  it('pages staff views by the staff count', async () => {
    const res = await get('pageSize=4&includeArchived=true', staff.auth);
    expect(res.body.count).toBe(8);
    const last = await t.http.get(path(res.body.next)).set(staff.auth).expect(200);
    expect(ids(last)).toEqual(keys('matcha', 'rooibos', 'inactive', 'archived'));
    expect(last.body.next).toBeNull();
  });

  it.each([
    ['ordering=updatedAt', 'ordering'],
    ['ordering=price,bogus', 'ordering'],
    ['ordering=-', 'ordering'],
    ['pageSize=101', 'pageSize'],
    ['pageSize=-1', 'pageSize'],
    ['page=two', 'page'],
    ['minPrice=abc', 'minPrice'],
    ['minPrice=1.234', 'minPrice'],
    ['minPrice=-1', 'minPrice'],
    ['maxPrice=1e3', 'maxPrice'],
    ['maxPrice=100000000', 'maxPrice'],
    ['minPrice=5&maxPrice=4.99', 'minPrice'],
    ['categoryId=abc', 'categoryId'],
    ['categoryId=0', 'categoryId'],
    ['categoryId=1&categoryId=2', 'categoryId'],
    ['inStock=yes', 'inStock'],
    ['active=1', 'active'],
    ['inStock=1', 'inStock'],
    ['includeArchived=1', 'includeArchived'],
    [`search=${'s'.repeat(101)}`, 'search'],
    ['sort=price', 'sort'],
  ])('answers %s with a 400 problem naming %s', async (query, field) => {
    const res = await t.http.get(`/v1/products?${query}`);
    expectProblem(res, 400, 'validation-error');
    expect(fields(res)).toContain(field);
  });

  it('answers a page past the end with 404', async () => {
    expectProblem(await t.http.get('/v1/products?page=3&pageSize=3'), 404, 'not-found');
  });
});
