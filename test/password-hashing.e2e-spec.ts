import { randomUUID } from 'node:crypto';
import { PasswordHashingSlots } from '../src/accounts/password-hashing-slots.js';
import { createUser, PASSWORD, type TestUser } from './utils/fixtures.js';
import { createProduct } from './utils/order-fixtures.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/** Takes a hashing slot from inside the app and keeps it until `release`: no timing involved. */
function holdSlot(slots: PasswordHashingSlots) {
  let release!: () => void;
  const done = slots.run(() => new Promise<void>((resolve) => (release = resolve)));
  return { release: () => (release(), done) };
}

describe('Password hashing is capped (PASSWORD_HASH_CONCURRENCY, PASSWORD_HASH_QUEUE)', () => {
  let t: TestApp;
  let user: TestUser;
  let productId: number;
  beforeAll(async () => {
    t = await createTestApp({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });
    user = await createUser(t);
    productId = (await createProduct(t)).id;
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After when every slot and queue place is taken, while other requests are served', async () => {
    const slots = t.app.get(PasswordHashingSlots);
    const running = holdSlot(slots);
    const queued = holdSlot(slots);
    try {
      const newcomer = `newcomer-${randomUUID()}@example.com`;
      const refused = [
        await t.http.post('/v1/auth/login').send({ email: user.email, password: PASSWORD }), // a real verification
        await t.http.post('/v1/auth/login').send({ email: `nobody-${randomUUID()}@example.com`, password: PASSWORD }), // the dummy one
        await t.http.post('/v1/auth/register').send({ email: newcomer, name: 'New', password: 'long enough password' }),
      ];
      for (const res of refused) {
        expectProblem(res, 503, 'service-unavailable');
        expect(res.headers['retry-after']).toBe('1');
      }
      expect(await t.prisma.user.count({ where: { email: newcomer } })).toBe(0);
      expect(await t.prisma.refreshToken.count({ where: { userId: user.id } })).toBe(1); // createUser's login only

      const product = await t.http.get(`/v1/products/${productId}`);
      expect(product.status).toBe(200);
      expect(product.body.id).toBe(productId);
    } finally {
      await running.release();
      await queued.release();
    }
    // Freed: sign-ins work again.
    await t.http.post('/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
  });
});
