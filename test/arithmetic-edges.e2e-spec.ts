import { createUser, type TestUser } from './utils/fixtures.js';
import { placeOrder, setStatus, stockOf } from './utils/order-fixtures.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/** The documented limits (README, "Limits of numbers"). */
const MAX_STOCK = 1_000_000_000;
const MAX_PRICE = '99999999.99';
const MAX_QUANTITY = 1000;
const MAX_ORDER_TOTAL = '999999999999.99';

/**
 * Every number at its edge, through the real API: the largest accepted value works end to end,
 * the next one is a 4xx problem that changes nothing, and no arithmetic reaches a column's limit
 * (which PostgreSQL would answer with an error, i.e. a 500).
 */
describe('Arithmetic at the edges', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let categoryId: number;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    categoryId = (await t.prisma.category.create({ data: { name: 'Edges', slug: 'edges' } })).id;
  });
  afterAll(() => t.close());

  const productBody = (overrides: Record<string, unknown> = {}) => {
    seq += 1;
    return { sku: `EDGE-${seq}`, name: `Edge ${seq}`, description: '', price: '10.00', stock: 10, categoryId, active: true, ...overrides };
  };
  /** A product created through the catalogue API, as staff would. */
  const newProduct = async (overrides: Record<string, unknown> = {}): Promise<{ id: number; sku: string }> =>
    (await t.http.post('/v1/products').set(staff.auth).send(productBody(overrides)).expect(201)).body;
  const snapshot = () => t.prisma.product.findMany({ orderBy: { id: 'asc' } });
  const counts = async () => ({
    orders: await t.prisma.order.count(),
    items: await t.prisma.orderItem.count(),
    history: await t.prisma.orderStatusChange.count(),
  });
  const fields = (body: { errors: Array<{ field: string }> }) => body.errors.map((e) => e.field);

  describe('stock', () => {
    it(`accepts ${MAX_STOCK} on POST, PUT and PATCH`, async () => {
      const created = await newProduct({ stock: MAX_STOCK });
      expect(await stockOf(t, created.id)).toBe(MAX_STOCK);
      await t.http.patch(`/v1/products/${created.id}`).set(staff.auth).send({ stock: 0 }).expect(200);
      await t.http.patch(`/v1/products/${created.id}`).set(staff.auth).send({ stock: MAX_STOCK }).expect(200);
      await t.http
        .put(`/v1/products/${created.id}`)
        .set(staff.auth)
        .send(productBody({ stock: MAX_STOCK }))
        .expect(200);
      expect(await stockOf(t, created.id)).toBe(MAX_STOCK);
    });

    it.each([MAX_STOCK + 1, 2_147_483_647, 2_147_483_648])(
      'refuses stock %d on POST, PUT and PATCH with a 400 naming stock, changing nothing',
      async (stock) => {
        const existing = await newProduct();
        const before = await snapshot();
        const answers = [
          await t.http.post('/v1/products').set(staff.auth).send(productBody({ stock })),
          await t.http.put(`/v1/products/${existing.id}`).set(staff.auth).send(productBody({ stock })),
          await t.http.patch(`/v1/products/${existing.id}`).set(staff.auth).send({ stock }),
        ];
        for (const res of answers) {
          expectProblem(res, 400, 'validation-error');
          expect(res.body.errors).toEqual([{ field: 'stock', message: `stock must not be greater than ${MAX_STOCK}` }]);
        }
        expect(await snapshot()).toEqual(before);
      },
    );
  });

  describe('price', () => {
    it(`accepts ${MAX_PRICE} and refuses 100000000.00 with a 400 naming price`, async () => {
      const created = await newProduct({ price: MAX_PRICE });
      const [{ price }] = await t.prisma.$queryRaw<Array<{ price: string }>>`SELECT price::text AS price FROM "Product" WHERE id = ${created.id}`;
      expect(price).toBe(MAX_PRICE);
      const before = await snapshot();
      for (const tooDear of ['100000000.00', 100_000_000]) {
        const res = await t.http
          .post('/v1/products')
          .set(staff.auth)
          .send(productBody({ price: tooDear }));
        expectProblem(res, 400, 'validation-error');
        expect(fields(res.body)).toEqual(['price']);
        expectProblem(await t.http.patch(`/v1/products/${created.id}`).set(staff.auth).send({ price: tooDear }), 400, 'validation-error');
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('quantity and order totals', () => {
    it(`takes a line of ${MAX_QUANTITY} at the highest price: the stock goes to 0 and the line total is exact`, async () => {
      const p = await newProduct({ price: MAX_PRICE, stock: MAX_QUANTITY });
      const res = await placeOrder(t, customer, { items: [{ productId: p.id, quantity: MAX_QUANTITY }] }).expect(201);
      expect(res.body.items).toEqual([expect.objectContaining({ unitPrice: MAX_PRICE, quantity: MAX_QUANTITY, lineTotal: '99999999990.00' })]);
      expect(res.body.total).toBe('99999999990.00');
      expect(await stockOf(t, p.id)).toBe(0);
      const [stored] = await t.prisma.$queryRaw<Array<{ total: string; lineTotal: string }>>`
        SELECT o.total::text AS total, i."lineTotal"::text AS "lineTotal" FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o.id WHERE o.id = ${res.body.id}`;
      expect(stored).toEqual({ total: '99999999990.00', lineTotal: '99999999990.00' });
    });

    it(`takes ${MAX_QUANTITY} from a stock of ${MAX_STOCK}`, async () => {
      const p = await newProduct({ stock: MAX_STOCK });
      await placeOrder(t, customer, { items: [{ productId: p.id, quantity: MAX_QUANTITY }] }).expect(201);
      expect(await stockOf(t, p.id)).toBe(MAX_STOCK - MAX_QUANTITY);
    });

    it(`refuses quantity ${MAX_QUANTITY + 1} with a 400 naming the line, changing nothing`, async () => {
      const p = await newProduct({ stock: 5000 });
      const before = await counts();
      const res = await placeOrder(t, customer, { items: [{ productId: p.id, quantity: MAX_QUANTITY + 1 }] });
      expectProblem(res, 400, 'validation-error');
      expect(fields(res.body)).toEqual(['items.0.quantity']);
      expect(await stockOf(t, p.id)).toBe(5000);
      expect(await counts()).toEqual(before);
    });

    // 10 lines of 1000 at the highest price make 999,999,999,900.00, which NUMERIC(14,2) holds;
    // an 11th line makes 1,099,999,999,890.00, which it does not.
    it('places the largest order the total column holds: 10 lines of 1000 at the highest price', async () => {
      const products = [];
      for (let i = 0; i < 10; i++) products.push(await newProduct({ price: MAX_PRICE, stock: MAX_QUANTITY }));
      const res = await placeOrder(t, customer, { items: products.map((p) => ({ productId: p.id, quantity: MAX_QUANTITY })) }).expect(201);
      expect(res.body.total).toBe('999999999900.00');
      const stored = await t.prisma.order.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(stored.total.toFixed(2)).toBe('999999999900.00');
    });

    it.each([11, 50])(`refuses %d lines of ${MAX_QUANTITY} at the highest price with a 400 naming items: no order, no stock taken`, async (lineCount) => {
      const products = [];
      for (let i = 0; i < lineCount; i++) products.push(await newProduct({ price: MAX_PRICE, stock: MAX_QUANTITY }));
      const before = await counts();
      const res = await placeOrder(t, customer, { items: products.map((p) => ({ productId: p.id, quantity: MAX_QUANTITY })) });
      expectProblem(res, 400, 'validation-error');
      expect(res.body.errors).toEqual([{ field: 'items', message: `the order total must not exceed ${MAX_ORDER_TOTAL}` }]);
      expect(await counts()).toEqual(before);
      const stocks = await t.prisma.product.findMany({ where: { id: { in: products.map((p) => p.id) } }, select: { stock: true } });
      expect(stocks.every((s) => s.stock === MAX_QUANTITY)).toBe(true);
    });
  });

  describe('cancelling at the stock maximum', () => {
    /** A product whose stock of `quantity` went into a pending order of the customer's, then restocked to `stockAfter`. */
    const orderThenRestock = async (quantity: number, stockAfter: number) => {
      const p = await newProduct({ stock: quantity });
      const order = (await placeOrder(t, customer, { items: [{ productId: p.id, quantity }] }).expect(201)).body;
      await t.http.patch(`/v1/products/${p.id}`).set(staff.auth).send({ stock: stockAfter }).expect(200);
      return { p, order };
    };
    const orderState = async (orderId: number) => {
      const order = await t.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
      return { status: order.status, version: order.version, history: await t.prisma.orderStatusChange.count({ where: { orderId } }) };
    };

    it(`restores stock up to exactly ${MAX_STOCK}`, async () => {
      const { p, order } = await orderThenRestock(MAX_QUANTITY, MAX_STOCK - MAX_QUANTITY);
      const res = await setStatus(t, customer, order.id, 'cancelled').expect(200);
      expect(res.body.status).toBe('cancelled');
      expect(await stockOf(t, p.id)).toBe(MAX_STOCK);
    });

    it(`answers 409 stock-limit when the restock would pass ${MAX_STOCK}: the order stays pending, no stock changes`, async () => {
      const { p, order } = await orderThenRestock(MAX_QUANTITY, MAX_STOCK - 1);
      const before = await orderState(order.id);
      const productBefore = await t.prisma.product.findUniqueOrThrow({ where: { id: p.id } });

      const res = await setStatus(t, customer, order.id, 'cancelled');
      expectProblem(res, 409, 'stock-limit');
      expect(res.body).toEqual(
        expect.objectContaining({
          detail: `Order ${order.id} cannot be cancelled: putting its stock back would raise a product above the maximum stock of ${MAX_STOCK}; lower that product's stock first`,
          currentStatus: 'pending',
          requestedStatus: 'cancelled',
          maxStock: MAX_STOCK,
          errors: [{ field: 'items.0.quantity', message: `product ${p.id} (${p.sku}): ${MAX_QUANTITY} to put back, ${MAX_STOCK - 1} in stock` }],
        }),
      );
      expect(await orderState(order.id)).toEqual(before);
      expect(await t.prisma.product.findUniqueOrThrow({ where: { id: p.id } })).toEqual(productBefore);

      // Once staff make room, the same cancellation goes through.
      await t.http
        .patch(`/v1/products/${p.id}`)
        .set(staff.auth)
        .send({ stock: MAX_STOCK - MAX_QUANTITY })
        .expect(200);
      await setStatus(t, customer, order.id, 'cancelled').expect(200);
      expect(await stockOf(t, p.id)).toBe(MAX_STOCK);
    });

    it("refuses a paid order's cancellation by staff alike, restoring no line of a multi-line order", async () => {
      const roomy = await newProduct({ stock: 5 });
      const full = await newProduct({ stock: 5 });
      const order = (
        await placeOrder(t, customer, {
          items: [
            { productId: full.id, quantity: 2 },
            { productId: roomy.id, quantity: 3 },
          ],
        }).expect(201)
      ).body;
      await setStatus(t, staff, order.id, 'paid').expect(200);
      await t.http.patch(`/v1/products/${full.id}`).set(staff.auth).send({ stock: MAX_STOCK }).expect(200);
      const before = await orderState(order.id);

      const res = await setStatus(t, staff, order.id, 'cancelled');
      expectProblem(res, 409, 'stock-limit');
      const fullIndex = order.items.findIndex((i: { productId: number }) => i.productId === full.id);
      expect(res.body.errors).toEqual([
        { field: `items.${fullIndex}.quantity`, message: `product ${full.id} (${full.sku}): 2 to put back, ${MAX_STOCK} in stock` },
      ]);
      expect(res.body.currentStatus).toBe('paid');
      expect(await orderState(order.id)).toEqual(before);
      expect([await stockOf(t, roomy.id), await stockOf(t, full.id)]).toEqual([2, MAX_STOCK]);
    });
  });

  it('documents the stock maximum and the 409 of a cancellation in OpenAPI', async () => {
    const doc = (await t.http.get('/openapi.json').expect(200)).body;
    for (const schema of ['CreateProductDto', 'ReplaceProductDto', 'UpdateProductDto']) {
      expect(doc.components.schemas[schema].properties.stock).toEqual(expect.objectContaining({ type: 'integer', minimum: 0, maximum: MAX_STOCK }));
    }
    expect(doc.paths['/v1/orders/{id}'].patch.responses['409'].description).toContain('stock-limit');
  });
});
