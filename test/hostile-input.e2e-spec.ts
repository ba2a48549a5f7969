import { connect } from 'node:net';
import { createUser, type TestUser } from './utils/fixtures.js';
import { createProduct } from './utils/order-fixtures.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const NUL = '\u0000';
const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

/** Every table the API writes, as row counts: a refused request must leave them all as they were. */
async function rowCounts(t: TestApp) {
  const [users, categories, products, orders] = await Promise.all([
    t.prisma.user.count(),
    t.prisma.category.count(),
    t.prisma.product.count(),
    t.prisma.order.count(),
  ]);
  return { users, categories, products, orders };
}

describe('Hostile input is a 4xx problem and changes nothing', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let productId: number;
  let categoryId: number;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    const product = await createProduct(t, { stock: 50 });
    productId = product.id;
    categoryId = product.categoryId;
  });
  afterAll(() => t.close());

  describe('control characters (U+0000 and the other C0 controls but tab, LF, CR)', () => {
    const writes: Array<[string, string, string, () => Record<string, string>, () => object]> = [
      ['POST', '/v1/auth/register', 'name', () => ({}), () => ({ email: 'nul@example.com', password: 'long enough 1', name: `A${NUL}B` })],
      ['POST', '/v1/auth/login', 'email', () => ({}), () => ({ email: `a${NUL}@example.com`, password: 'whatever 1' })],
      ['POST', '/v1/orders', 'note', () => customer.auth, () => ({ items: [{ productId, quantity: 1 }], note: `ring${NUL}twice` })],
      ['POST', '/v1/categories', 'name', () => staff.auth, () => ({ name: `Tea${NUL}`, slug: 'tea-nul' })],
      ['PATCH', '/v1/categories/:category', 'description', () => staff.auth, () => ({ description: `x\u0001y` })],
      [
        'POST',
        '/v1/products',
        'description',
        () => staff.auth,
        () => ({ sku: 'NUL-1', name: 'N', description: `d${NUL}`, price: '1.00', stock: 1, categoryId }),
      ],
      ['PATCH', '/v1/products/:product', 'name', () => staff.auth, () => ({ name: `esc\u001b[31m` })],
    ];

    it.each(writes)('%s %s with one in %s answers 400 naming the field', async (method, template, field, auth, body) => {
      const before = await rowCounts(t);
      const url = template.replace(':category', String(categoryId)).replace(':product', String(productId));
      const res = await t.http[method.toLowerCase() as 'post' | 'patch'](url).set(auth()).send(body());
      expectProblem(res, 400, 'validation-error');
      expect(fieldsOf(res.body)).toContain(field);
      expect(await rowCounts(t)).toEqual(before);
    });

    it('a lone surrogate (found by the fuzzer: a 500 from the e-mail validator) is a 400 too', async () => {
      const before = await rowCounts(t);
      const res = await t.http
        .post('/v1/auth/register')
        .set('content-type', 'application/json')
        .send('{"email":"\\ud800","password":"correct horse battery","name":"A"}');
      expectProblem(res, 400, 'validation-error');
      expect(fieldsOf(res.body)).toEqual(['email']);
      expect(await rowCounts(t)).toEqual(before);
    });

    it('names nested fields by their path', async () => {
      const res = await t.http
        .post('/v1/orders')
        .set(customer.auth)
        .send({ items: [{ productId, quantity: 1, x: `a${NUL}` }] });
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'items.0.x', message: expect.stringContaining('must not contain control characters') }]);
    });

    it('in a query value: 400 naming the parameter', async () => {
      const res = await t.http.get('/v1/products?search=a%00b');
      expectProblem(res, 400, 'validation-error');
      expect(fieldsOf(res.body)).toEqual(['search']);
    });

    it('keeps tabs and line breaks in free text', async () => {
      const res = await t.http
        .post('/v1/orders')
        .set(customer.auth)
        .send({ items: [{ productId, quantity: 1 }], note: 'line 1\r\nline\t2' });
      expect(res.status).toBe(201);
      expect(res.body.note).toBe('line 1\r\nline\t2');
    });

    it('in a header value: refused by the HTTP parser with a 400 problem', async () => {
      const address = t.app.getHttpServer().address();
      if (address === null || typeof address === 'string') await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as { port: number };
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET /v1/products HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0001b\r\n\r\n`));
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
    });
  });

  it('a request refused by the HTTP parser while it still sends a large body gets its answer, not a reset (found by the fuzzer)', async () => {
    if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const body = JSON.stringify({ name: '😀'.repeat(100_000) });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `PUT /v1/products/1 HTTP/1.1\r\nHost: x\r\nIf-Match: a\u0000b\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
        );
        socket.write(body);
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', (err) => (data ? resolve(data) : reject(err)));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
  });

  describe('numbers in paths and queries are canonical decimal digits', () => {
    it.each(['0x10', '16e0', '0b10000', '1.6e1', '1e3', '+16', '%2016', '016', '0', '-1', '2147483648', '99999999999999999999'])(
      'GET /v1/products/%s is a 400 problem',
      async (id) => {
        const res = await t.http.get(`/v1/products/${id}`);
        expectProblem(res, 400, 'validation-error');
        expect(fieldsOf(res.body)).toEqual(['id']);
      },
    );

    it('still reads a canonical id', async () => {
      expect((await t.http.get(`/v1/products/${productId}`)).status).toBe(200);
    });

    it.each([
      ['/v1/products', () => ({})],
      ['/v1/categories', () => ({})],
      ['/v1/orders', () => staff.auth],
      ['/v1/users', () => staff.auth],
    ])('%s?page=99999999999999999999 and other loose page numbers are 400s', async (path, auth) => {
      const admin = path === '/v1/users' ? (await createUser(t, 'admin')).auth : auth();
      for (const page of ['99999999999999999999', '2147483648', '0x2', '1e1', '+1', '1.0', '']) {
        const res = await t.http.get(`${path}?page=${encodeURIComponent(page)}`).set(admin);
        expectProblem(res, 400, 'validation-error');
        expect(fieldsOf(res.body)).toEqual(['page']);
      }
      // In range but past the last page: DRF's "invalid page" 404, not a database error.
      expectProblem(await t.http.get(`${path}?page=2147483647`).set(admin), 404, 'not-found');
    });

    it('reads id filters the same way', async () => {
      for (const [path, auth] of [
        [`/v1/products?categoryId=0x${categoryId.toString(16)}`, {}],
        ['/v1/orders?userId=1e0', staff.auth],
        ['/v1/products?pageSize=1e1', {}],
      ] as const) {
        expectProblem(await t.http.get(path).set(auth), 400, 'validation-error');
      }
    });
  });

  describe('deep JSON', () => {
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

    it.each(['/v1/auth/register', '/v1/auth/login', '/v1/orders', '/v1/categories'])('a body nested 1,300 levels deep is a 400 at %s', async (path) => {
      const before = await rowCounts(t);
      const res = await t.http
        .post(path)
        .set(path.startsWith('/v1/auth') ? {} : staff.auth)
        .set('content-type', 'application/json')
        .send(deep(1300));
      expectProblem(res, 400, 'bad-request');
      expect(res.body.detail).toMatch(/nested deeper than 32 levels/);
      expect(await rowCounts(t)).toEqual(before);
    });

    it('an array nested 100,000 levels deep is a 400 too', async () => {
      const res = await t.http
        .post('/v1/orders')
        .set(customer.auth)
        .set('content-type', 'application/json')
        .send(`{"items":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      expectProblem(res, 400, 'bad-request');
    });

    it('ordinary nesting still validates as before', async () => {
      const res = await t.http
        .post('/v1/orders')
        .set(customer.auth)
        .send({ items: [{ productId, quantity: { a: { b: 1 } } }] });
      expectProblem(res, 400, 'validation-error');
      expect(fieldsOf(res.body)).toContain('items.0.quantity');
    });
  });
});

describe('Methods a path does not support', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['delete', '/v1/products', 'GET, HEAD, POST'],
    ['post', '/v1/products/1', 'DELETE, GET, HEAD, PATCH, PUT'],
    ['put', '/v1/orders/1', 'GET, HEAD, PATCH'],
    ['delete', '/v1/users/me', 'GET, HEAD, PATCH'], // PATCH /v1/users/:id matches too (and answers 400 for "me")
    ['get', '/v1/auth/login', 'POST'],
    ['post', '/health/live', 'GET, HEAD'],
  ] as const)('%s %s answers 405 with Allow: %s', async (method, path, allow) => {
    const res = await t.http[method](path);
    expectProblem(res, 405, 'method-not-allowed');
    expect(res.headers.allow).toBe(allow);
  });

  it('an unknown path is still a 404', async () => {
    expectProblem(await t.http.delete('/v1/nothing-here'), 404, 'not-found');
  });
});
