import { MONEY_MAX } from '../../src/common/money/is-money.decorator.js';
import { createUser } from '../utils/fixtures.js';
import { decodeJwt, signJwt } from '../utils/jwt.js';
import { TEST_JWT_SECRET, type TestApp } from '../utils/test-app.js';
import type { Caller } from './cases.js';
import type { Operation } from './openapi.js';
import { World } from './world.js';

/**
 * The catalogue the fuzzer starts from, in pool order: 12 products at the highest price with
 * plenty of stock (so an order of the first 50 products × 1000 passes the stock check and
 * reaches the total's limit), 38 ordinary ones, 2 spare ones that staff writes may change
 * (the others keep their price and stay orderable), and 3 almost sold out.
 */
const CATALOGUE = [
  ...Array.from({ length: 12 }, () => ({ price: MONEY_MAX, stock: 1_000_000, spare: false })),
  ...Array.from({ length: 38 }, (_, i) => ({ price: ['0.01', '1.00', '19.99', '250.00', '99999.99'][i % 5], stock: 100_000, spare: false })),
  ...Array.from({ length: 2 }, () => ({ price: '5.00', stock: 10, spare: true })),
  ...Array.from({ length: 3 }, () => ({ price: '3.50', stock: 2, spare: false })),
];

/** Users of every role (and forged tokens), the catalogue, and the world that knows them. */
export async function seedWorld(t: TestApp, operations: Operation[]): Promise<World> {
  const customer = await createUser(t, 'customer');
  const otherCustomer = await createUser(t, 'customer');
  const staff = await createUser(t, 'staff');
  const admin = await createUser(t, 'admin');

  const claims = decodeJwt(admin.token);
  const hour = Math.floor(Date.now() / 1000) + 3600;
  const authorization: Record<Caller, string | undefined> = {
    anonymous: undefined,
    customer: customer.auth.Authorization,
    otherCustomer: otherCustomer.auth.Authorization,
    staff: staff.auth.Authorization,
    admin: admin.auth.Authorization,
    'forged:garbage': 'Bearer not-a-jwt',
    'forged:wrong-secret': `Bearer ${signJwt({ ...claims, exp: hour }, 'not-the-secret-0123456789abcdefghijklmnopqrstuv')}`,
    'forged:alg-none': `Bearer ${signJwt({ ...claims, exp: hour }, '', { alg: 'none', typ: 'JWT' })}`,
    'forged:expired': `Bearer ${signJwt({ ...claims, iat: hour - 7300, exp: hour - 7200 }, TEST_JWT_SECRET)}`,
    'forged:unknown-role': `Bearer ${signJwt({ ...claims, role: 'root', exp: hour }, TEST_JWT_SECRET)}`,
    'forged:basic-scheme': 'Basic YWRtaW46YWRtaW4=',
    'forged:empty-bearer': 'Bearer ',
  };
  const world = new World(new Map(operations.map((op) => [op.key, op])), authorization);

  const users = [customer, otherCustomer, staff, admin];
  world.add('users', ...users.map((u) => u.id));
  world.add('emails', ...users.map((u) => u.email));
  world.add('refreshTokens', ...users.map((u) => u.refreshToken));

  const main = await t.prisma.category.create({ data: { name: 'Fuzz main', slug: 'fuzz-main' } });
  const spare = await t.prisma.category.create({ data: { name: 'Fuzz spare', slug: 'fuzz-spare' } });
  world.add('categories', main.id, spare.id);
  world.add('products:writable');
  for (const [i, item] of CATALOGUE.entries()) {
    const product = await t.prisma.product.create({
      data: { sku: `FUZZ-${i}`, name: `Fuzz product ${i}`, price: item.price, stock: item.stock, categoryId: item.spare ? spare.id : main.id },
    });
    world.add('products', product.id);
    if (item.spare) world.add('products:writable', product.id);
    world.stockLevels.set(product.id, item.stock);
  }
  world.add('orders');
  return world;
}
