import { IdempotencyCleanup } from '../src/orders/idempotency-cleanup.service.js';
import { MetricsRegistry } from '../src/metrics/metrics.registry.js';
import { createUser, type TestUser } from './utils/fixtures.js';
import { createProduct, placeOrder, setStatus, stockOf } from './utils/order-fixtures.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('Orders', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let staff: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    [alice, bob, staff, admin] = [await createUser(t), await createUser(t), await createUser(t, 'staff'), await createUser(t, 'admin')];
  });
  afterAll(() => t.close());

  const counts = async () => ({
    orders: await t.prisma.order.count(),
    items: await t.prisma.orderItem.count(),
    history: await t.prisma.orderStatusChange.count(),
    keys: await t.prisma.idempotencyKey.count(),
  });
  const metric = async (name: string) => {
    const text = await t.app.get(MetricsRegistry).registry.getSingleMetricAsString(name);
    return Number(/ (\d+)$/m.exec(text)?.[1] ?? NaN);
  };

  describe('POST /v1/orders', () => {
    it('needs a signed-in user', async () => {
      const p = await createProduct(t);
      expectProblem(await t.http.post('/v1/orders').send({ items: [{ productId: p.id, quantity: 1 }] }), 401);
      expect(await stockOf(t, p.id)).toBe(100);
    });

    it('prices the order from the database in decimal, takes the stock and records the creation', async () => {
      const dime = await createProduct(t, { price: '0.10', stock: 5 });
      const twenty = await createProduct(t, { price: '0.20', stock: 5 });
      const placedBefore = await metric('shop_orders_placed_total');
      const res = await placeOrder(t, alice, {
        items: [
          { productId: twenty.id, quantity: 1 },
          { productId: dime.id, quantity: 3 },
        ],
      }).expect(201);

      expect(res.body).toEqual({
        id: expect.any(Number),
        userId: alice.id,
        status: 'pending',
        items: [
          { productId: dime.id, sku: dime.sku, name: dime.name, unitPrice: '0.10', quantity: 3, lineTotal: '0.30' },
          { productId: twenty.id, sku: twenty.sku, name: twenty.name, unitPrice: '0.20', quantity: 1, lineTotal: '0.20' },
        ],
        total: '0.50',
        note: null,
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
      });
      expect(res.headers.location).toBe(`/v1/orders/${res.body.id}`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(Math.abs(Date.parse(res.body.createdAt) - Date.now())).toBeLessThan(60_000);

      expect(await stockOf(t, dime.id)).toBe(2);
      expect(await stockOf(t, twenty.id)).toBe(4);
      expect((await t.prisma.product.findUniqueOrThrow({ where: { id: dime.id } })).version).toBe(dime.version + 1);
      const stored = await t.prisma.order.findUniqueOrThrow({ where: { id: res.body.id }, include: { items: true, history: true } });
      expect(stored.total.toFixed(2)).toBe('0.50');
      expect(stored.items).toHaveLength(2);
      expect(stored.history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'pending', changedById: alice.id })]);
      // What the POST answered is what a later read shows.
      const read = await t.http.get(`/v1/orders/${res.body.id}`).set(alice.auth).expect(200);
      expect(read.body).toEqual(res.body);
      expect(await metric('shop_orders_placed_total')).toBe(placedBefore + 1);
    });

    it('answers, byte for byte, what a read of the order shows (the placement is rendered by PostgreSQL, reads by Node), with a list row and a replay alike', async () => {
      const kettleName = 'Kettle "Gooseneck" — 1 l \\ ✓ 🫖\nline\ttab';
      const kettle = await createProduct(t, { price: '1234.5' });
      await t.prisma.product.update({ where: { id: kettle.id }, data: { name: kettleName } });
      const cup = await createProduct(t, { price: '0.05' });
      const body = {
        items: [
          { productId: cup.id, quantity: 7 },
          { productId: kettle.id, quantity: 2 },
        ],
        note: 'Ring "twice" \\ — ✓ 🫖',
      };
      const placed = await placeOrder(t, alice, body, 'byte-for-byte').expect(201);
      expect(placed.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(placed.body.items.map((i: { name: string; unitPrice: string; lineTotal: string }) => [i.name, i.unitPrice, i.lineTotal])).toEqual([
        [kettleName, '1234.50', '2469.00'],
        [cup.name, '0.05', '0.35'],
      ]);
      expect(placed.body.total).toBe('2469.35');
      const read = await t.http.get(`/v1/orders/${placed.body.id}`).set(alice.auth).expect(200);
      expect(read.text).toBe(placed.text);
      expect(read.headers['content-type']).toBe(placed.headers['content-type']);
      const listed = await t.http.get('/v1/orders?pageSize=1').set(alice.auth).expect(200);
      expect(JSON.stringify(listed.body.results[0])).toBe(placed.text);
      const replayed = await placeOrder(t, alice, body, 'byte-for-byte').expect(201);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toEqual(placed.body);
    });

    it('keeps a trimmed note; a blank note is no note', async () => {
      const p = await createProduct(t);
      const withNote = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1 }], note: '  ring twice ' }).expect(201);
      expect(withNote.body.note).toBe('ring twice');
      const blank = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1 }], note: '   ' }).expect(201);
      expect(blank.body.note).toBeNull();
      const explicitNull = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1 }], note: null }).expect(201);
      expect(explicitNull.body.note).toBeNull();
    });

    it('copies sku, name and price, so later product edits do not change the order', async () => {
      const p = await createProduct(t, { price: '19.99' });
      const order = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 2 }] }).expect(201);
      await t.prisma.product.update({ where: { id: p.id }, data: { price: '25.00', name: 'Renamed', sku: `${p.sku}-NEW` } });
      const res = await t.http.get(`/v1/orders/${order.body.id}`).set(alice.auth).expect(200);
      expect(res.body.items).toEqual([{ productId: p.id, sku: p.sku, name: p.name, unitPrice: '19.99', quantity: 2, lineTotal: '39.98' }]);
      expect(res.body.total).toBe('39.98');
    });

    it('lets staff and admins order too', async () => {
      const p = await createProduct(t);
      for (const user of [staff, admin]) {
        const res = await placeOrder(t, user, { items: [{ productId: p.id, quantity: 1 }] }).expect(201);
        expect(res.body.userId).toBe(user.id);
        expect(res.body.history).toBeUndefined();
      }
    });

    const line = (productId: number, extra: Record<string, unknown> = {}) => ({ productId, quantity: 1, ...extra });
    it.each<[string, (pid: number) => unknown, string]>([
      ['no items', () => ({ items: [] }), 'items'],
      ['items not an array', (pid) => ({ items: line(pid) }), 'items'],
      ['51 lines', (pid) => ({ items: Array.from({ length: 51 }, (_, i) => line(pid + i)) }), 'items'],
      ['a line that is not an object', () => ({ items: [7] }), 'items.0'],
      ['a line that is an empty array', () => ({ items: [[]] }), 'items'],
      ['a line wrapped in an array', (pid) => ({ items: [[line(pid)]] }), 'items'],
      ['quantity 0', (pid) => ({ items: [line(pid, { quantity: 0 })] }), 'items.0.quantity'],
      ['quantity 1001', (pid) => ({ items: [line(pid, { quantity: 1001 })] }), 'items.0.quantity'],
      ['a fractional quantity', (pid) => ({ items: [line(pid, { quantity: 1.5 })] }), 'items.0.quantity'],
      ['a quantity as a string', (pid) => ({ items: [line(pid, { quantity: '2' })] }), 'items.0.quantity'],
      ['a negative productId', () => ({ items: [line(-1)] }), 'items.0.productId'],
      ['a productId beyond INTEGER', () => ({ items: [line(2 ** 31)] }), 'items.0.productId'],
      ['a missing productId', () => ({ items: [{ quantity: 1 }] }), 'items.0.productId'],
      ['a client-side price', (pid) => ({ items: [line(pid, { unitPrice: '0.01' })] }), 'items.0.unitPrice'],
      ['an unknown top-level field', (pid) => ({ items: [line(pid)], userId: 99 }), 'userId'],
      ['a note over 500 characters', (pid) => ({ items: [line(pid)], note: 'x'.repeat(501) }), 'note'],
      ['a note that is not a string', (pid) => ({ items: [line(pid)], note: 5 }), 'note'],
    ])('answers %s with 400 and changes nothing', async (_case, body, field) => {
      const p = await createProduct(t, { stock: 5 });
      const before = await counts();
      const res = await t.http
        .post('/v1/orders')
        .set(alice.auth)
        .send(body(p.id) as object);
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
      expect(await stockOf(t, p.id)).toBe(5);
    });

    it('answers a product listed twice with 400, pointing at the repeat', async () => {
      const p = await createProduct(t);
      const q = await createProduct(t);
      const res = await placeOrder(t, alice, {
        items: [
          { productId: p.id, quantity: 1 },
          { productId: q.id, quantity: 1 },
          { productId: p.id, quantity: 2 },
        ],
      });
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'items.2.productId', message: `product ${p.id} is already in items.0; list each product once` }]);
      expect(await stockOf(t, p.id)).toBe(100);
    });

    it('answers short stock with 409 naming the product and what is left, and changes nothing', async () => {
      const p = await createProduct(t, { stock: 2 });
      const before = await counts();
      const conflictsBefore = await metric('shop_stock_conflicts_total');
      const res = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 3 }] });
      expectProblem(res, 409, 'insufficient-stock');
      expect(res.body.errors).toEqual([{ field: 'items.0.quantity', message: `product ${p.id} (${p.sku}): 3 requested, 2 in stock` }]);
      expect(res.body.detail).toContain(`product ${p.id} (${p.sku})`);
      expect(await stockOf(t, p.id)).toBe(2);
      expect(await counts()).toEqual(before);
      expect(await metric('shop_stock_conflicts_total')).toBe(conflictsBefore + 1);
    });

    it('rolls back the whole order when its second line is short: the first product keeps its stock', async () => {
      const first = await createProduct(t, { stock: 10 });
      const second = await createProduct(t, { stock: 1 });
      const before = await counts();
      const res = await placeOrder(t, alice, {
        items: [
          { productId: first.id, quantity: 4 },
          { productId: second.id, quantity: 2 },
        ],
      });
      expectProblem(res, 409, 'insufficient-stock');
      expect(res.body.errors).toEqual([{ field: 'items.1.quantity', message: `product ${second.id} (${second.sku}): 2 requested, 1 in stock` }]);
      expect(await stockOf(t, first.id)).toBe(10);
      expect(await stockOf(t, second.id)).toBe(1);
      expect(await counts()).toEqual(before);
    });

    it('answers unknown, inactive and archived products alike with 409, naming each line', async () => {
      const ok = await createProduct(t, { stock: 10 });
      const inactive = await createProduct(t, { active: false });
      const archived = await createProduct(t, { archivedAt: new Date() });
      const short = await createProduct(t, { stock: 0 });
      const unknownId = archived.id + 1000;
      const before = await counts();
      const res = await placeOrder(t, alice, {
        items: [
          { productId: ok.id, quantity: 1 },
          { productId: unknownId, quantity: 1 },
          { productId: inactive.id, quantity: 1 },
          { productId: archived.id, quantity: 1 },
          { productId: short.id, quantity: 1 },
        ],
      });
      expectProblem(res, 409, 'insufficient-stock');
      expect(res.body.errors).toEqual([
        { field: 'items.1.productId', message: `product ${unknownId} does not exist or cannot be ordered` },
        { field: 'items.2.productId', message: `product ${inactive.id} does not exist or cannot be ordered` },
        { field: 'items.3.productId', message: `product ${archived.id} does not exist or cannot be ordered` },
        { field: 'items.4.quantity', message: `product ${short.id} (${short.sku}): 1 requested, 0 in stock` },
      ]);
      expect(await stockOf(t, ok.id)).toBe(10);
      expect(await stockOf(t, inactive.id)).toBe(100);
      expect(await counts()).toEqual(before);
    });

    it('answers a total beyond what the database can hold with 400, not a crash', async () => {
      const p = await createProduct(t, { price: '9999999999.99', stock: 5000 });
      const res = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1000 }] });
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'items', message: 'the order total must not exceed 999999999999.99' }]);
      expect(await stockOf(t, p.id)).toBe(5000);
    });

    it('accepts 50 lines', async () => {
      const products = [];
      for (let i = 0; i < 50; i++) products.push(await createProduct(t, { price: '1.01', stock: 3 }));
      const res = await placeOrder(t, alice, { items: products.map((p) => ({ productId: p.id, quantity: 3 })) }).expect(201);
      expect(res.body.items).toHaveLength(50);
      expect(res.body.total).toBe('151.50');
      expect(res.body.items.map((i: { productId: number }) => i.productId)).toEqual(products.map((p) => p.id).sort((a, b) => a - b));
      const stocks = await t.prisma.product.findMany({ where: { id: { in: products.map((p) => p.id) } }, select: { stock: true } });
      expect(stocks.every((s) => s.stock === 0)).toBe(true);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the stored response for a retry with the same key and body, without touching stock', async () => {
      const p = await createProduct(t, { stock: 10 });
      const q = await createProduct(t, { stock: 10 });
      const body = {
        items: [
          { productId: p.id, quantity: 2 },
          { productId: q.id, quantity: 1 },
        ],
        note: 'gift',
      };
      const first = await placeOrder(t, alice, body, 'key-replay-1').expect(201);
      const before = await counts();
      const placedBefore = await metric('shop_orders_placed_total');

      const retry = await placeOrder(t, alice, body, 'key-replay-1').expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.headers.location).toBe(`/v1/orders/${first.body.id}`);
      // The same lines in another order are the same request.
      const reordered = await placeOrder(t, alice, { items: [...body.items].reverse(), note: 'gift' }, 'key-replay-1').expect(201);
      expect(reordered.body.id).toBe(first.body.id);

      expect(await counts()).toEqual(before);
      expect(await stockOf(t, p.id)).toBe(8);
      expect(await stockOf(t, q.id)).toBe(9);
      expect(await metric('shop_orders_placed_total')).toBe(placedBefore);
      const key = await t.prisma.idempotencyKey.findUniqueOrThrow({ where: { userId_key: { userId: alice.id, key: 'key-replay-1' } } });
      expect(key).toEqual(expect.objectContaining({ orderId: first.body.id, responseStatus: 201, responseBody: first.body }));
      expect(key.expiresAt.getTime() - key.createdAt.getTime()).toBe(24 * 3600 * 1000);
    });

    it('replays the original response even after the order has moved on', async () => {
      const p = await createProduct(t, { stock: 10 });
      const body = { items: [{ productId: p.id, quantity: 1 }] };
      const first = await placeOrder(t, alice, body, 'key-then-cancel').expect(201);
      await setStatus(t, alice, first.body.id, 'cancelled').expect(200);
      const retry = await placeOrder(t, alice, body, 'key-then-cancel').expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.body.status).toBe('pending');
      expect(await stockOf(t, p.id)).toBe(10);
    });

    it('answers the same key with a different body with 409 and changes nothing', async () => {
      const p = await createProduct(t, { stock: 10 });
      await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1 }] }, 'key-mismatch').expect(201);
      const before = await counts();
      for (const body of [{ items: [{ productId: p.id, quantity: 2 }] }, { items: [{ productId: p.id, quantity: 1 }], note: 'now with a note' }]) {
        const res = await placeOrder(t, alice, body, 'key-mismatch');
        expectProblem(res, 409, 'idempotency-key-reused');
      }
      expect(await counts()).toEqual(before);
      expect(await stockOf(t, p.id)).toBe(9);
    });

    it('scopes keys per user', async () => {
      const p = await createProduct(t, { stock: 10 });
      const body = { items: [{ productId: p.id, quantity: 1 }] };
      const a = await placeOrder(t, alice, body, 'shared-key').expect(201);
      const b = await placeOrder(t, bob, body, 'shared-key').expect(201);
      expect(b.body.id).not.toBe(a.body.id);
      expect(b.body.userId).toBe(bob.id);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(await stockOf(t, p.id)).toBe(8);
    });

    it('stores only successful creations: a retry after a 409 runs again', async () => {
      const p = await createProduct(t, { stock: 0 });
      const body = { items: [{ productId: p.id, quantity: 1 }] };
      expectProblem(await placeOrder(t, alice, body, 'key-after-409'), 409, 'insufficient-stock');
      expect(await t.prisma.idempotencyKey.count({ where: { key: 'key-after-409' } })).toBe(0);
      await t.prisma.product.update({ where: { id: p.id }, data: { stock: 1 } });
      const res = await placeOrder(t, alice, body, 'key-after-409').expect(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(await stockOf(t, p.id)).toBe(0);
    });

    it('forgets a key after 24 hours: reusing an expired key places a new order', async () => {
      const p = await createProduct(t, { stock: 10 });
      const body = { items: [{ productId: p.id, quantity: 1 }] };
      const first = await placeOrder(t, alice, body, 'key-expiring').expect(201);
      await t.prisma.idempotencyKey.updateMany({ where: { key: 'key-expiring' }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const second = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 2 }] }, 'key-expiring').expect(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect(second.headers['idempotent-replayed']).toBeUndefined();
      expect(await stockOf(t, p.id)).toBe(7);
      const key = await t.prisma.idempotencyKey.findUniqueOrThrow({ where: { userId_key: { userId: alice.id, key: 'key-expiring' } } });
      expect(key.orderId).toBe(second.body.id);
      expect(key.expiresAt.getTime()).toBeGreaterThan(Date.now());
    });

    it('cleans up expired keys only', async () => {
      const p = await createProduct(t);
      await placeOrder(t, bob, { items: [{ productId: p.id, quantity: 1 }] }, 'cleanup-old').expect(201);
      await placeOrder(t, bob, { items: [{ productId: p.id, quantity: 1 }] }, 'cleanup-live').expect(201);
      await t.prisma.idempotencyKey.updateMany({ where: { key: 'cleanup-old' }, data: { expiresAt: new Date(Date.now() - 1000) } });
      expect(await t.app.get(IdempotencyCleanup).run()).toBe(1);
      expect((await t.prisma.idempotencyKey.findMany({ where: { userId: bob.id }, select: { key: true } })).map((k) => k.key)).not.toContain('cleanup-old');
      expect(await t.prisma.idempotencyKey.count({ where: { key: 'cleanup-live' } })).toBe(1);
    });

    it.each([
      ['that is empty', ''],
      ['longer than 255 characters', 'k'.repeat(256)],
      ['with a space', 'two words'],
      ['that is not ASCII', 'cl\u00e9'],
    ])('answers a key %s with 400 and changes nothing', async (_case, key) => {
      const p = await createProduct(t, { stock: 3 });
      const res = await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1 }] }, key);
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–255 visible ASCII characters' }]);
      expect(await stockOf(t, p.id)).toBe(3);
    });

    it('accepts a 255-character key', async () => {
      const p = await createProduct(t, { stock: 3 });
      await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1 }] }, 'k'.repeat(255)).expect(201);
    });
  });

  describe('GET /v1/orders', () => {
    let carol: TestUser;
    let dave: TestUser;
    let carolOrders: number[];
    let daveOrder: number;

    beforeAll(async () => {
      carol = await createUser(t);
      dave = await createUser(t);
      const cheap = await createProduct(t, { price: '1.00', stock: 1000 });
      const dear = await createProduct(t, { price: '50.00', stock: 1000 });
      carolOrders = [];
      for (const [productId, quantity] of [
        [cheap.id, 5],
        [dear.id, 1],
        [cheap.id, 1],
      ]) {
        carolOrders.push((await placeOrder(t, carol, { items: [{ productId, quantity }] }).expect(201)).body.id);
      }
      daveOrder = (await placeOrder(t, dave, { items: [{ productId: cheap.id, quantity: 2 }] }).expect(201)).body.id;
      await setStatus(t, staff, carolOrders[0], 'paid').expect(200);
    });

    it('shows a customer only their own orders, newest first, without history', async () => {
      const res = await t.http.get('/v1/orders').set(carol.auth).expect(200);
      expect(res.body).toEqual({ count: 3, next: null, previous: null, results: expect.any(Array) });
      expect(res.body.results.map((o: { id: number }) => o.id)).toEqual([...carolOrders].reverse());
      expect(res.body.results.every((o: { userId: number; history?: unknown }) => o.userId === carol.id && o.history === undefined)).toBe(true);
      expect(res.body.results[0].items).toHaveLength(1);
    });

    it('lets a customer filter their own orders by status, and pass their own userId', async () => {
      const paid = await t.http.get('/v1/orders?status=paid').set(carol.auth).expect(200);
      expect(paid.body.results.map((o: { id: number }) => o.id)).toEqual([carolOrders[0]]);
      const own = await t.http.get(`/v1/orders?userId=${carol.id}`).set(carol.auth).expect(200);
      expect(own.body.count).toBe(3);
    });

    it("answers a customer filtering by another user's id with 403", async () => {
      expectProblem(await t.http.get(`/v1/orders?userId=${dave.id}`).set(carol.auth), 403, 'forbidden');
    });

    it('shows staff every order, filterable by userId and status', async () => {
      const all = await t.http.get('/v1/orders?pageSize=100').set(staff.auth).expect(200);
      expect(all.body.count).toBe(await t.prisma.order.count());
      const byDave = await t.http.get(`/v1/orders?userId=${dave.id}`).set(staff.auth).expect(200);
      expect(byDave.body.results.map((o: { id: number }) => o.id)).toEqual([daveOrder]);
      const carolPending = await t.http.get(`/v1/orders?userId=${carol.id}&status=pending`).set(admin.auth).expect(200);
      expect(carolPending.body.results.map((o: { id: number }) => o.id)).toEqual([carolOrders[2], carolOrders[1]]);
    });

    it('orders by total and createdAt, in both directions', async () => {
      const byTotal = await t.http.get('/v1/orders?ordering=total').set(carol.auth).expect(200);
      expect(byTotal.body.results.map((o: { total: string }) => o.total)).toEqual(['1.00', '5.00', '50.00']);
      const byTotalDesc = await t.http.get('/v1/orders?ordering=-total').set(carol.auth).expect(200);
      expect(byTotalDesc.body.results.map((o: { total: string }) => o.total)).toEqual(['50.00', '5.00', '1.00']);
      const oldest = await t.http.get('/v1/orders?ordering=createdAt').set(carol.auth).expect(200);
      expect(oldest.body.results.map((o: { id: number }) => o.id)).toEqual(carolOrders);
    });

    it('pages with absolute links that keep the filters', async () => {
      const res = await t.http.get('/v1/orders?pageSize=2&ordering=id&status=pending').set(carol.auth).expect(200);
      expect(res.body.count).toBe(2);
      const two = await t.http.get('/v1/orders?pageSize=1&ordering=id').set(carol.auth).expect(200);
      expect(two.body.count).toBe(3);
      expect(two.body.next).toMatch(/^http:\/\/[^/]+\/v1\/orders\?pageSize=1&ordering=id&page=2$/);
      expect(two.body.previous).toBeNull();
      expectProblem(await t.http.get('/v1/orders?page=9').set(carol.auth), 404);
    });

    it.each([
      ['an unknown ordering field', 'ordering=userId', 'ordering'],
      ['a pageSize over 100', 'pageSize=101', 'pageSize'],
      ['an unknown status', 'status=lost', 'status'],
      ['a non-numeric userId', 'userId=me', 'userId'],
    ])('answers %s with 400', async (_case, query, field) => {
      const res = await t.http.get(`/v1/orders?${query}`).set(staff.auth);
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('needs a signed-in user', async () => {
      expectProblem(await t.http.get('/v1/orders'), 401);
    });
  });

  describe('GET /v1/orders/:id', () => {
    let orderId: number;
    beforeAll(async () => {
      const p = await createProduct(t);
      orderId = (await placeOrder(t, alice, { items: [{ productId: p.id, quantity: 1 }] }).expect(201)).body.id;
    });

    it('shows the owner their order, without history', async () => {
      const res = await t.http.get(`/v1/orders/${orderId}`).set(alice.auth).expect(200);
      expect(res.body.id).toBe(orderId);
      expect(res.body).not.toHaveProperty('history');
    });

    it('shows staff the order with its history', async () => {
      const res = await t.http.get(`/v1/orders/${orderId}`).set(staff.auth).expect(200);
      expect(res.body.history).toEqual([{ fromStatus: null, toStatus: 'pending', changedBy: alice.id, changedAt: res.body.createdAt }]);
    });

    it("answers another customer's order with 404, like an unknown one", async () => {
      const other = await t.http.get(`/v1/orders/${orderId}`).set(bob.auth);
      expectProblem(other, 404, 'not-found');
      const unknown = await t.http.get('/v1/orders/999999').set(bob.auth);
      expectProblem(unknown, 404, 'not-found');
      expect(other.body.detail).toBe(`Order ${orderId} not found`);
    });

    it('answers a malformed id with 400 and no token with 401', async () => {
      expectProblem(await t.http.get('/v1/orders/abc').set(alice.auth), 400, 'validation-error');
      expectProblem(await t.http.get('/v1/orders/0').set(alice.auth), 400, 'validation-error');
      expectProblem(await t.http.get(`/v1/orders/${orderId}`), 401);
    });
  });

  describe('PATCH /v1/orders/:id', () => {
    const newOrder = async (user: TestUser, lines: Array<[number, number]>) =>
      (await placeOrder(t, user, { items: lines.map(([productId, quantity]) => ({ productId, quantity })) }).expect(201)).body;

    it('lets staff move an order pending → paid → shipped → delivered, recording each move', async () => {
      const p = await createProduct(t, { stock: 10 });
      const order = await newOrder(alice, [[p.id, 2]]);
      let updatedAt = order.updatedAt;
      for (const status of ['paid', 'shipped', 'delivered']) {
        const res = await setStatus(t, staff, order.id, status).expect(200);
        expect(res.body.status).toBe(status);
        expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(updatedAt));
        updatedAt = res.body.updatedAt;
      }
      const res = await t.http.get(`/v1/orders/${order.id}`).set(admin.auth).expect(200);
      expect(res.body.history.map((h: { fromStatus: string | null; toStatus: string; changedBy: number }) => [h.fromStatus, h.toStatus, h.changedBy])).toEqual([
        [null, 'pending', alice.id],
        ['pending', 'paid', staff.id],
        ['paid', 'shipped', staff.id],
        ['shipped', 'delivered', staff.id],
      ]);
      expect((await t.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).version).toBe(4);
      expect(await stockOf(t, p.id)).toBe(8);
    });

    it('returns the history to staff and not to the owner', async () => {
      const p = await createProduct(t);
      const order = await newOrder(alice, [[p.id, 1]]);
      const byStaff = await setStatus(t, staff, order.id, 'paid').expect(200);
      expect(byStaff.body.history).toHaveLength(2);
      const other = await newOrder(alice, [[p.id, 1]]);
      const byOwner = await setStatus(t, alice, other.id, 'cancelled').expect(200);
      expect(byOwner.body).not.toHaveProperty('history');
    });

    it('puts the stock of every line back when staff cancel a pending or paid order', async () => {
      const p = await createProduct(t, { stock: 10 });
      const q = await createProduct(t, { stock: 10 });
      const pending = await newOrder(alice, [
        [q.id, 3],
        [p.id, 2],
      ]);
      const paid = await newOrder(bob, [[p.id, 1]]);
      await setStatus(t, staff, paid.id, 'paid').expect(200);
      expect([await stockOf(t, p.id), await stockOf(t, q.id)]).toEqual([7, 7]);

      const res = await setStatus(t, staff, pending.id, 'cancelled').expect(200);
      expect(res.body.status).toBe('cancelled');
      expect([await stockOf(t, p.id), await stockOf(t, q.id)]).toEqual([9, 10]);
      await setStatus(t, admin, paid.id, 'cancelled').expect(200);
      expect(await stockOf(t, p.id)).toBe(10);
    });

    it('lets the owner cancel their own pending order, restoring stock', async () => {
      const p = await createProduct(t, { stock: 5 });
      const order = await newOrder(alice, [[p.id, 5]]);
      expect(await stockOf(t, p.id)).toBe(0);
      const res = await setStatus(t, alice, order.id, 'cancelled').expect(200);
      expect(res.body).toEqual({ ...order, status: 'cancelled', updatedAt: expect.stringMatching(ISO) });
      expect(await stockOf(t, p.id)).toBe(5);
      const history = await t.prisma.orderStatusChange.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
      expect(history.map((h) => [h.fromStatus, h.toStatus, h.changedById])).toEqual([
        [null, 'pending', alice.id],
        ['pending', 'cancelled', alice.id],
      ]);
    });

    it('forbids the owner any status but cancelled (403), and cancelling once it is paid (409)', async () => {
      const p = await createProduct(t, { stock: 5 });
      const order = await newOrder(alice, [[p.id, 1]]);
      for (const status of ['paid', 'shipped', 'delivered', 'pending']) {
        expectProblem(await setStatus(t, alice, order.id, status), 403, 'forbidden');
      }
      await setStatus(t, staff, order.id, 'paid').expect(200);
      const res = await setStatus(t, alice, order.id, 'cancelled');
      expectProblem(res, 409, 'invalid-status-transition');
      expect(res.body).toEqual(expect.objectContaining({ currentStatus: 'paid', requestedStatus: 'cancelled' }));
      expect(res.body.detail).toBe(`Order ${order.id} cannot move from paid to cancelled`);
      expect(await stockOf(t, p.id)).toBe(4);
      expect(await t.prisma.orderStatusChange.count({ where: { orderId: order.id } })).toBe(2);
    });

    it("answers another customer's order with 404, whatever the status asked", async () => {
      const p = await createProduct(t);
      const order = await newOrder(alice, [[p.id, 1]]);
      for (const status of ['cancelled', 'paid']) expectProblem(await setStatus(t, bob, order.id, status), 404, 'not-found');
      expectProblem(await setStatus(t, staff, 999999, 'paid'), 404, 'not-found');
      expect((await t.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('pending');
    });

    it.each([
      ['pending', 'shipped', []],
      ['pending', 'delivered', []],
      ['pending', 'pending', []],
      ['paid', 'pending', ['paid']],
      ['paid', 'delivered', ['paid']],
      ['shipped', 'cancelled', ['paid', 'shipped']],
      ['shipped', 'paid', ['paid', 'shipped']],
      ['delivered', 'cancelled', ['paid', 'shipped', 'delivered']],
      ['cancelled', 'pending', ['cancelled']],
      ['cancelled', 'paid', ['cancelled']],
      ['cancelled', 'cancelled', ['cancelled']],
    ])('answers staff moving %s → %s with 409, changing nothing', async (from, to, path) => {
      const p = await createProduct(t, { stock: 10 });
      const order = await newOrder(alice, [[p.id, 1]]);
      for (const status of path) await setStatus(t, staff, order.id, status).expect(200);
      const stock = await stockOf(t, p.id);
      const historyBefore = await t.prisma.orderStatusChange.count({ where: { orderId: order.id } });

      const res = await setStatus(t, staff, order.id, to);
      expectProblem(res, 409, 'invalid-status-transition');
      expect(res.body.detail).toBe(`Order ${order.id} cannot move from ${from} to ${to}`);
      expect(res.body).toEqual(expect.objectContaining({ currentStatus: from, requestedStatus: to }));
      expect((await t.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe(from);
      expect(await stockOf(t, p.id)).toBe(stock);
      expect(await t.prisma.orderStatusChange.count({ where: { orderId: order.id } })).toBe(historyBefore);
    });

    it('accepts only a valid status and nothing else in the body', async () => {
      const p = await createProduct(t);
      const order = await newOrder(alice, [[p.id, 1]]);
      for (const body of [{}, { status: 'lost' }, { status: 'paid', note: 'x' }, { status: 'paid', total: '0.00' }]) {
        expectProblem(await t.http.patch(`/v1/orders/${order.id}`).set(staff.auth).send(body), 400, 'validation-error');
      }
      expectProblem(await t.http.patch('/v1/orders/abc').set(staff.auth).send({ status: 'paid' }), 400, 'validation-error');
      expectProblem(await t.http.patch(`/v1/orders/${order.id}`).send({ status: 'paid' }), 401);
      const stored = await t.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
      expect([stored.status, stored.total.toFixed(2), stored.note]).toEqual(['pending', '10.00', null]);
    });
  });

  it('documents the routes in OpenAPI, with bearer auth, the Idempotency-Key header and error answers', async () => {
    const doc = (await t.http.get('/openapi.json').expect(200)).body;
    const post = doc.paths['/v1/orders'].post;
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '401', '409', '429', '500', '503', 'default']);
    expect(Object.keys(doc.paths['/v1/orders'].get.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429', '500', '503', 'default']);
    expect(Object.keys(doc.paths['/v1/orders/{id}'].get.responses).sort()).toEqual(['200', '400', '401', '404', '429', '500', '503', 'default']);
    expect(Object.keys(doc.paths['/v1/orders/{id}'].patch.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '429',
      '500',
      '503',
      'default',
    ]);
    expect(Object.keys(doc.components.schemas.OrderDto.properties)).toEqual([
      'id',
      'userId',
      'status',
      'items',
      'total',
      'note',
      'createdAt',
      'updatedAt',
      'history',
    ]);
  });
});
