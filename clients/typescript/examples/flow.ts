/**
 * The typed client end to end, as a new integrator would use it: register, sign in, list products
 * with ordering and filters, create a product as admin and edit it with If-Match, place an order
 * with an Idempotency-Key (and retry it), read it back, cancel it.
 *
 *   SHOP_URL=http://localhost:3000 ADMIN_EMAIL=… ADMIN_PASSWORD=… node clients/typescript/dist/examples/flow.js
 *
 * Exits non-zero at the first answer that is not the expected one.
 */
import { randomUUID } from 'node:crypto';
import { createShopClient, type OrderDto, type ProblemDocument, type ProductDto, type ProductPage, type TokenPairDto } from '../src/index.js';

const baseUrl = process.env.SHOP_URL ?? 'http://localhost:3000';
const admin = { email: process.env.ADMIN_EMAIL ?? 'admin@shop.local', password: process.env.ADMIN_PASSWORD ?? '' };

/** The body of a successful answer, or a thrown error naming the step and the problem document. */
function expectOk<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined || !result.response.ok) {
    const problem = result.error as ProblemDocument | undefined;
    throw new Error(`${step}: HTTP ${result.response.status} ${problem?.type ?? ''} ${problem?.detail ?? ''}`);
  }
  console.log(`ok  ${step} (${result.response.status})`);
  return result.data;
}

async function signIn(email: string, password: string): Promise<TokenPairDto> {
  const client = createShopClient(baseUrl);
  return expectOk(`sign in as ${email}`, await client.POST('/v1/auth/login', { body: { email, password } }));
}

async function main(): Promise<void> {
  const anonymous = createShopClient(baseUrl);
  const email = `flow-${randomUUID()}@example.com`;
  const password = 'correct horse battery staple';
  expectOk('register a customer', await anonymous.POST('/v1/auth/register', { body: { email, password, name: 'Flow Example' } }));
  const customerTokens = await signIn(email, password);
  const customer = createShopClient(baseUrl, () => customerTokens.accessToken);
  const me = expectOk('who am I', await customer.GET('/v1/users/me'));
  if (me.role !== 'customer') throw new Error(`expected a customer, got ${me.role}`);

  const page: ProductPage = expectOk(
    'list products in stock, priciest first',
    await anonymous.GET('/v1/products', { params: { query: { ordering: '-price,name', inStock: true, minPrice: '0.01', pageSize: 5 } } }),
  );
  const prices = page.results.map((product) => Number(product.price));
  if (prices.some((price, i) => i > 0 && price > prices[i - 1]!)) throw new Error(`not ordered by -price: ${prices.join(', ')}`);

  const adminTokens = await signIn(admin.email, admin.password);
  const staff = createShopClient(baseUrl, () => adminTokens.accessToken);
  const categories = expectOk('list categories', await staff.GET('/v1/categories', { params: { query: { ordering: 'name' } } }));
  const category = categories.results[0];
  if (!category) throw new Error('no category to put the product in');
  const sku = `FLOW-${randomUUID().slice(0, 8)}`;
  const created = await staff.POST('/v1/products', { body: { sku, name: 'Flow kettle', price: '24.50', stock: 10, categoryId: category.id } });
  const product: ProductDto = expectOk('create a product (admin)', created);
  const location = created.response.headers.get('location');
  if (location !== `/v1/products/${product.id}`) throw new Error(`unexpected Location ${location}`);

  const read = await staff.GET('/v1/products/{id}', { params: { path: { id: product.id } } });
  expectOk('read it with its ETag', read);
  const etag = read.response.headers.get('etag') ?? '';
  const edited = expectOk(
    'edit it with If-Match',
    await staff.PATCH('/v1/products/{id}', { params: { path: { id: product.id }, header: { 'If-Match': etag } }, body: { price: '22.00' } }),
  );
  if (edited.price !== '22.00') throw new Error(`price not changed: ${edited.price}`);
  const stale = await staff.PATCH('/v1/products/{id}', { params: { path: { id: product.id }, header: { 'If-Match': etag } }, body: { price: '21.00' } });
  if (stale.response.status !== 412 || stale.error?.type !== 'https://shop-api.dev/problems/precondition-failed') {
    throw new Error(`a stale If-Match answered ${stale.response.status}`);
  }
  console.log('ok  a stale If-Match is refused (412 precondition-failed)');

  const key = randomUUID();
  const body = { items: [{ productId: product.id, quantity: 2 }], note: 'Please ring twice' };
  const order: OrderDto = expectOk(
    'place an order with an Idempotency-Key',
    await customer.POST('/v1/orders', { params: { header: { 'Idempotency-Key': key } }, body }),
  );
  const retried = await customer.POST('/v1/orders', { params: { header: { 'Idempotency-Key': key } }, body });
  if (expectOk('retry it with the same key', retried).id !== order.id || retried.response.headers.get('idempotent-replayed') !== 'true') {
    throw new Error('the retry placed a second order');
  }
  const again = expectOk('read the order back', await customer.GET('/v1/orders/{id}', { params: { path: { id: order.id } } }));
  if (again.total !== '44.00' || again.note !== 'Please ring twice') throw new Error(`unexpected order ${JSON.stringify(again)}`);
  const cancelled = expectOk('cancel it', await customer.PATCH('/v1/orders/{id}', { params: { path: { id: order.id } }, body: { status: 'cancelled' } }));
  if (cancelled.status !== 'cancelled') throw new Error(`status is ${cancelled.status}`);
  console.log(`Flow done: order ${order.id} placed once and cancelled; product ${product.id} (${sku}) at ${edited.price}`);
}

main().catch((err: unknown) => {
  console.error(`FAILED ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
