import type { Test } from 'supertest';
import type { TestApp } from './test-app.js';
import type { TestUser } from './fixtures.js';

let sequence = 0;

export interface ProductOptions {
  price?: string;
  stock?: number;
  active?: boolean;
  archivedAt?: Date | null;
}

/** Inserts a product (and its category, once) directly: the orders tests do not go through the catalogue API. */
export async function createProduct(t: TestApp, options: ProductOptions = {}) {
  const category = await t.prisma.category.upsert({
    where: { slug: 'orders-test' },
    create: { name: 'Orders test', slug: 'orders-test' },
    update: {},
  });
  const n = ++sequence;
  return t.prisma.product.create({
    data: { sku: `ORD-${process.pid}-${n}`, name: `Order test product ${n}`, price: '10.00', stock: 100, categoryId: category.id, ...options },
  });
}

export async function stockOf(t: TestApp, productId: number): Promise<number> {
  return (await t.prisma.product.findUniqueOrThrow({ where: { id: productId } })).stock;
}

export type Lines = Array<{ productId: number; quantity: number }>;

/** POST /v1/orders as `user`, with an Idempotency-Key when given. */
export function placeOrder(t: TestApp, user: TestUser, body: { items: Lines; note?: string | null }, key?: string): Test {
  const req = t.http.post('/v1/orders').set(user.auth);
  return key === undefined ? req.send(body) : req.set('Idempotency-Key', key).send(body);
}

export function setStatus(t: TestApp, user: TestUser, orderId: number, status: string): Test {
  return t.http.patch(`/v1/orders/${orderId}`).set(user.auth).send({ status });
}
