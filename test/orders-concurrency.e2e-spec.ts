import type { Response } from 'supertest';
import { OrdersRepository } from '../src/orders/orders.repository.js';
import { createUser, type TestUser } from './utils/fixtures.js';
import { createProduct, type Lines, placeOrder, setStatus, stockOf } from './utils/order-fixtures.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/**
 * Concurrency guarantees of orders, through HTTP against the real database: requests are fired
 * together (Promise.all) and the app's pool (10 connections) runs up to 10 transactions at once.
 */
describe('Orders under concurrency', () => {
  let t: TestApp;
  let customers: TestUser[];
  let staff: TestUser;

  beforeAll(async () => {
    // 60 orders at once queue for 10 pooled connections; on a slow, shared CI machine the wait for a
    // connection can pass the default 3 s (which would rightly answer 503), so give it room here.
    t = await createTestApp({ DB_CONNECT_TIMEOUT_MS: '20000' });
    customers = [];
    for (let i = 0; i < 8; i++) customers.push(await createUser(t));
    staff = await createUser(t, 'staff');
  });
  afterAll(() => t.close());

  const statuses = (responses: Response[]) => responses.map((r) => r.status).sort((a, b) => a - b);
  const countOf = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;

  /**
   * Counts placement attempts: every attempt locks its products exactly once (in the one statement
   * of OrdersRepository.place), so more calls than requests would mean a deadlock or serialization
   * failure was retried.
   */
  async function countingLockAttempts<T>(run: () => Promise<T>): Promise<{ result: T; attempts: number }> {
    const repository = t.app.get(OrdersRepository);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with apply(this)
    const original = repository.place;
    let attempts = 0;
    repository.place = function (...args) {
      attempts++;
      return original.apply(this, args);
    };
    try {
      return { result: await run(), attempts };
    } finally {
      repository.place = original;
    }
  }

  it('sells exactly the stock: 40 simultaneous orders from 8 users for a stock of 10', async () => {
    const p = await createProduct(t, { stock: 10, price: '3.33' });
    const ordersBefore = await t.prisma.order.count();
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => placeOrder(t, customers[i % 8], { items: [{ productId: p.id, quantity: 1 }] })));
    expect(countOf(responses, 201)).toBe(10);
    expect(countOf(responses, 409)).toBe(30);
    for (const res of responses.filter((r) => r.status === 409)) expectProblem(res, 409, 'insufficient-stock');
    expect(await stockOf(t, p.id)).toBe(0);
    expect(await t.prisma.order.count()).toBe(ordersBefore + 10);
    expect(await t.prisma.orderItem.count({ where: { productId: p.id } })).toBe(10);
    const ids = responses.filter((r) => r.status === 201).map((r) => r.body.id);
    expect(new Set(ids).size).toBe(10);
  });

  it('never deadlocks: 30 pairs of two-line orders over the same products in opposite line order', async () => {
    const a = await createProduct(t, { stock: 1000 });
    const b = await createProduct(t, { stock: 1000 });
    const c = await createProduct(t, { stock: 1000 });
    const forward: Lines = [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 2 },
      { productId: c.id, quantity: 1 },
    ];
    const backward: Lines = [...forward].reverse();

    const { result: responses, attempts } = await countingLockAttempts(() =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) => [
          placeOrder(t, customers[i % 8], { items: forward }),
          placeOrder(t, customers[(i + 4) % 8], { items: backward }),
        ]).flat(),
      ),
    );
    expect(statuses(responses)).toEqual(Array(60).fill(201));
    expect(attempts).toBe(60); // not one retry
    expect([await stockOf(t, a.id), await stockOf(t, b.id), await stockOf(t, c.id)]).toEqual([940, 880, 940]);
  });

  it('never deadlocks when cancellations and new orders touch the same products together', async () => {
    const a = await createProduct(t, { stock: 500 });
    const b = await createProduct(t, { stock: 500 });
    const toCancel: number[] = [];
    for (let i = 0; i < 15; i++) {
      const items =
        i % 2
          ? [
              { productId: a.id, quantity: 1 },
              { productId: b.id, quantity: 1 },
            ]
          : [
              { productId: b.id, quantity: 1 },
              { productId: a.id, quantity: 1 },
            ];
      toCancel.push((await placeOrder(t, customers[i % 8], { items }).expect(201)).body.id);
    }
    expect([await stockOf(t, a.id), await stockOf(t, b.id)]).toEqual([485, 485]);

    const { result: responses, attempts } = await countingLockAttempts(() =>
      Promise.all([
        ...toCancel.map((id) => setStatus(t, staff, id, 'cancelled')),
        ...Array.from({ length: 15 }, (_, i) =>
          placeOrder(t, customers[i % 8], {
            items: [
              { productId: i % 2 ? b.id : a.id, quantity: 2 },
              { productId: i % 2 ? a.id : b.id, quantity: 2 },
            ],
          }),
        ),
      ]),
    );
    expect(responses.map((r) => r.status)).toEqual([...Array(15).fill(200), ...Array(15).fill(201)]);
    expect(attempts).toBe(15);
    // 500 − 15 placed + 15 restored − 15 × 2 placed
    expect([await stockOf(t, a.id), await stockOf(t, b.id)]).toEqual([470, 470]);
  });

  it('creates one order for concurrent requests with the same Idempotency-Key', async () => {
    const p = await createProduct(t, { stock: 100 });
    const q = await createProduct(t, { stock: 100 });
    const [user] = customers;
    const body = {
      items: [
        { productId: p.id, quantity: 3 },
        { productId: q.id, quantity: 1 },
      ],
    };
    const ordersBefore = await t.prisma.order.count();

    const responses = await Promise.all(Array.from({ length: 6 }, () => placeOrder(t, user, body, 'same-key-concurrent')));
    expect(statuses(responses)).toEqual(Array(6).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    for (const res of responses) expect(res.body).toEqual(responses[0].body);
    expect(await t.prisma.order.count()).toBe(ordersBefore + 1);
    expect([await stockOf(t, p.id), await stockOf(t, q.id)]).toEqual([97, 99]);
    expect(await t.prisma.idempotencyKey.count({ where: { userId: user.id, key: 'same-key-concurrent' } })).toBe(1);
  });

  it('lets only one of two concurrent, different requests with the same key through', async () => {
    const p = await createProduct(t, { stock: 100 });
    const user = customers[1];
    const ordersBefore = await t.prisma.order.count();
    const responses = await Promise.all([
      placeOrder(t, user, { items: [{ productId: p.id, quantity: 1 }] }, 'contested-key'),
      placeOrder(t, user, { items: [{ productId: p.id, quantity: 5 }] }, 'contested-key'),
    ]);
    expect(statuses(responses)).toEqual([201, 409]);
    expectProblem(
      responses.find((r) => r.status === 409)!,
      409,
      'idempotency-key-reused',
    );
    const placed = responses.find((r) => r.status === 201)!;
    expect(await stockOf(t, p.id)).toBe(100 - placed.body.items[0].quantity);
    expect(await t.prisma.order.count()).toBe(ordersBefore + 1);
  });

  it('restores stock exactly once when the same order is cancelled twice at the same time', async () => {
    const p = await createProduct(t, { stock: 100 });
    const q = await createProduct(t, { stock: 100 });
    const orders: Array<{ id: number; owner: TestUser }> = [];
    for (let i = 0; i < 10; i++) {
      const owner = customers[i % 8];
      const res = await placeOrder(t, owner, {
        items: [
          { productId: p.id, quantity: 2 },
          { productId: q.id, quantity: 1 },
        ],
      }).expect(201);
      orders.push({ id: res.body.id, owner });
    }
    expect([await stockOf(t, p.id), await stockOf(t, q.id)]).toEqual([80, 90]);

    // Each order: cancelled by its owner twice, or by its owner and a staff member, at once.
    const responses = await Promise.all(
      orders.map(({ id, owner }, i) => Promise.all([setStatus(t, owner, id, 'cancelled'), setStatus(t, i % 2 ? staff : owner, id, 'cancelled')])),
    );
    for (const pair of responses) {
      expect(statuses(pair)).toEqual([200, 409]);
      const loser = pair.find((r) => r.status === 409)!;
      expect(['invalid-status-transition', 'conflict'].map((s) => `https://shop-api.dev/problems/${s}`)).toContain(loser.body.type);
      expect(loser.body).toEqual(expect.objectContaining({ currentStatus: 'cancelled', requestedStatus: 'cancelled' }));
    }
    expect([await stockOf(t, p.id), await stockOf(t, q.id)]).toEqual([100, 100]);
    for (const { id } of orders) {
      expect(await t.prisma.orderStatusChange.count({ where: { orderId: id, toStatus: 'cancelled' } })).toBe(1);
    }
  });

  it('lets only one of a concurrent owner cancel and staff payment succeed', async () => {
    const p = await createProduct(t, { stock: 100 });
    const orders: Array<{ id: number; owner: TestUser }> = [];
    for (let i = 0; i < 10; i++) {
      const owner = customers[i % 8];
      orders.push({ id: (await placeOrder(t, owner, { items: [{ productId: p.id, quantity: 1 }] }).expect(201)).body.id, owner });
    }
    const pairs = await Promise.all(orders.map(({ id, owner }) => Promise.all([setStatus(t, owner, id, 'cancelled'), setStatus(t, staff, id, 'paid')])));
    let cancelled = 0;
    for (const [i, [cancel, pay]] of pairs.entries()) {
      expect([cancel.status, pay.status].sort()).toEqual([200, 409]);
      const final = await t.prisma.order.findUniqueOrThrow({ where: { id: orders[i].id } });
      expect(final.status).toBe(cancel.status === 200 ? 'cancelled' : 'paid');
      if (final.status === 'cancelled') cancelled++;
      expect(await t.prisma.orderStatusChange.count({ where: { orderId: final.id } })).toBe(2);
    }
    expect(await stockOf(t, p.id)).toBe(90 + cancelled);
  });
});
