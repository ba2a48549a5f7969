import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { decodeJwt, signJwt } from './utils/jwt.js';
import { ARTIFACTS_DIR, browserAvailable, launchChromium, type LaunchedBrowser } from './utils/browser.js';
import { eventually } from './utils/eventually.js';
import { createUser, PASSWORD, type TestUser } from './utils/fixtures.js';
import { placeOrder, stockOf } from './utils/order-fixtures.js';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './utils/test-app.js';

/**
 * The staff console in a real browser (Debian's Chromium through playwright-core) against the
 * real app and database: it is a client of the public API, so every rule holds as for any client.
 * Steps build on each other (one catalogue, one admin). Screenshots go to test-artifacts/.
 */
const describeInBrowser = browserAvailable() ? describe : describe.skip;
const UI_TIMEOUT = 30_000;
/** Per step: a busy 2-core machine runs Chromium, the service and PostgreSQL at once. */
const STEP = 180_000;

describeInBrowser('Staff console in a browser', () => {
  let t: TestApp;
  let chromium: LaunchedBrowser;
  let baseUrl: string;
  let admin: TestUser;
  let page: Page;
  const foreignRequests: string[] = [];
  const refreshCalls: string[] = [];
  const unauthorized: string[] = [];
  const pageErrors: string[] = [];

  async function newConsolePage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await chromium.browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    const page = await context.newPage();
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(baseUrl) && !url.startsWith('data:')) foreignRequests.push(url);
      if (url.includes('/v1/auth/refresh')) refreshCalls.push(url);
    });
    page.on('response', (response) => void (response.status() === 401 && unauthorized.push(response.url())));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page };
  }

  async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
    await page.goto('/admin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.mouse.move(1, 790); // no hover tooltip in the picture
    await page.screenshot({ path: join(ARTIFACTS_DIR, `console-${name}.png`), fullPage: true });
  }
  const api = () => t.http;
  /** The console's session in the page's localStorage (admin/src/api/session.ts); evaluated as text, this file has no DOM types. */
  type StoredSession = { accessToken: string; refreshToken: string; accessExpiresAt: number };
  const SESSION_KEY = JSON.stringify('shop-console.session');
  const storedSession = async (page: Page): Promise<StoredSession | undefined> => {
    const raw = await page.evaluate<string | null>(`localStorage.getItem(${SESSION_KEY})`);
    return raw === null ? undefined : (JSON.parse(raw) as StoredSession);
  };
  const storeSession = (page: Page, session: StoredSession) =>
    page.evaluate(`localStorage.setItem(${SESSION_KEY}, ${JSON.stringify(JSON.stringify(session))})`);
  const row = (page: Page, text: string) => page.locator('tbody tr', { hasText: text });
  /** MUI selects are comboboxes: open, then pick the option. */
  async function choose(page: Page, label: RegExp, option: string): Promise<void> {
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    chromium = await launchChromium();
    admin = await createUser(t, 'admin');
    ({ page } = await newConsolePage());
  }, STEP);

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  }, STEP);

  it(
    'refuses a customer at sign-in with a sentence saying why, and lets staff in without the users screen',
    async () => {
      const customer = await createUser(t, 'customer');
      const { context, page } = await newConsolePage();
      await signIn(page, customer.email);
      const refusal = page.getByTestId('login-error');
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/customer account.*staff console is for staff and administrators/i);
      expect(await storedSession(page)).toBeUndefined();
      // A wrong password is refused too, in words.
      await signIn(page, admin.email, 'not the password');
      await page.getByTestId('login-error').getByText('E-mail or password is incorrect').waitFor(); // the API's own words

      // Staff get in, without the users screen (admins only).
      const staff = await createUser(t, 'staff');
      await signIn(page, staff.email);
      await page.getByRole('menuitem', { name: 'Orders' }).waitFor();
      expect(await page.getByRole('menuitem', { name: 'Users' }).count()).toBe(0);
      await context.close();
    },
    STEP,
  );

  it(
    'signs an admin in, creates a category and a product (field errors from the API shown on the field), finds it by search and ordering',
    async () => {
      await signIn(page, admin.email);
      await page.getByText('Orders by status').waitFor();
      await page.getByRole('menuitem', { name: 'Users' }).waitFor(); // admins see users

      await page.goto('/admin#/categories/create');
      await page.getByLabel(/^Name/).fill('Brewing gear');
      await page.getByLabel(/^Slug/).fill('brewing-gear');
      await page.getByRole('button', { name: 'Save' }).click();
      await row(page, 'brewing-gear').waitFor();
      const category = await t.prisma.category.findUniqueOrThrow({ where: { slug: 'brewing-gear' } });

      await page.goto('/admin#/products/create');
      await page.getByLabel(/^SKU/).fill('CONSOLE-KETTLE');
      await page.getByLabel(/^Name/).fill('Console kettle');
      await page.getByLabel(/^Price/).fill('0');
      await page.getByLabel(/^Stock/).fill('3');
      await choose(page, /^Category/, 'Brewing gear');
      await page.getByRole('button', { name: 'Save' }).click();
      // The API's 400 names the field: its message is shown under the price, and what was typed stays.
      await page.locator('p.Mui-error', { hasText: /price/i }).waitFor();
      expect(await page.getByLabel(/^SKU/).inputValue()).toBe('CONSOLE-KETTLE');
      expect(await t.prisma.product.count({ where: { sku: 'CONSOLE-KETTLE' } })).toBe(0);

      await page.getByLabel(/^Price/).fill('12.5');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/admin#\/products\/\d+$/);
      const created = await t.prisma.product.findUniqueOrThrow({ where: { sku: 'CONSOLE-KETTLE' } });
      expect(created).toMatchObject({ name: 'Console kettle', stock: 3, categoryId: category.id, active: true });
      expect(created.price.toFixed(2)).toBe('12.50');

      // Two more products through the API, to search among and order.
      for (const [sku, name, price] of [
        ['CONSOLE-CUP', 'Console cup', '3.20'],
        ['CONSOLE-GRINDER', 'Console grinder', '89.00'],
      ]) {
        await api().post('/v1/products').set(admin.auth).send({ sku, name, price, stock: 50, categoryId: category.id }).expect(201);
      }
      await page.goto('/admin#/products');
      await page.getByPlaceholder(/Search/).fill('kettle');
      await eventually(async () => expect(await page.locator('tbody tr').count()).toBe(1));
      await row(page, 'CONSOLE-KETTLE').waitFor();

      await page.getByPlaceholder(/Search/).fill('console');
      await eventually(async () => expect(await page.locator('tbody tr').count()).toBe(3));
      await page.getByRole('button', { name: 'Price' }).click(); // ascending
      await eventually(async () => expect(await page.locator('tbody tr').first().textContent()).toContain('CONSOLE-CUP'));
      await page.getByRole('button', { name: 'Price' }).click(); // descending
      await eventually(async () => expect(await page.locator('tbody tr').first().textContent()).toContain('CONSOLE-GRINDER'));
      expect(page.url()).toMatch(/sort=price/);
      await page.reload(); // the sorted, filtered list is in the URL; and no tooltip or toast in the picture
      await eventually(async () => expect(await page.locator('tbody tr').first().textContent()).toContain('CONSOLE-GRINDER'));
      await screenshot(page, 'products');
    },
    STEP,
  );

  it(
    'gives the second of two concurrent edits the 412 message and reloads the current version',
    async () => {
      const product = await t.prisma.product.findUniqueOrThrow({ where: { sku: 'CONSOLE-CUP' } });
      const second = await newConsolePage();
      await signIn(second.page, admin.email);
      await second.page.getByText('Orders by status').waitFor();
      for (const p of [page, second.page]) {
        await p.goto(`/admin#/products/${product.id}`);
        await p.getByLabel(/^Name/).waitFor();
        await eventually(async () => expect(await p.getByLabel(/^Name/).inputValue()).toBe('Console cup'));
      }

      await page.getByLabel(/^Name/).fill('Console cup (first edit)');
      await page.getByRole('button', { name: 'Save' }).click();
      await eventually(async () => expect((await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).name).toBe('Console cup (first edit)'));

      await second.page.getByLabel(/^Stock/).fill('7');
      await second.page.getByRole('button', { name: 'Save' }).click();
      const stale = second.page.getByTestId('stale-record');
      await stale.waitFor();
      expect(await stale.textContent()).toMatch(/changed by someone else/);
      expect(await second.page.getByLabel(/^Stock/).inputValue()).toBe('7'); // what was typed is kept until the user reloads
      expect((await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(50);
      await screenshot(second.page, 'stale-edit');

      await stale.getByRole('button', { name: 'Reload' }).click();
      await eventually(async () => expect(await second.page.getByLabel(/^Name/).inputValue()).toBe('Console cup (first edit)'));
      await stale.waitFor({ state: 'detached' });
      await second.page.getByLabel(/^Stock/).fill('7');
      await second.page.getByRole('button', { name: 'Save' }).click();
      await eventually(async () =>
        expect(await t.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ name: 'Console cup (first edit)', stock: 7 }),
      );
      await second.context.close();
    },
    STEP,
  );

  it(
    'moves an order placed through the API pending → paid → shipped, and the history shows it',
    async () => {
      const customer = await createUser(t, 'customer');
      const kettle = await t.prisma.product.findUniqueOrThrow({ where: { sku: 'CONSOLE-GRINDER' } });
      const order = (await placeOrder(t, customer, { items: [{ productId: kettle.id, quantity: 2 }], note: 'Leave at the door' }).expect(201)).body;

      await page.goto('/admin#/orders');
      await row(page, 'pending').first().waitFor();
      await page.goto(`/admin#/orders/${order.id}/show`);
      await page.getByText('Leave at the door').waitFor();
      expect(await page.getByTestId('order-total').textContent()).toBe('178.00');
      // Exactly the moves the workflow allows from pending.
      await page.getByRole('button', { name: 'Mark paid' }).waitFor();
      expect(await page.getByRole('button', { name: /^(Mark|Cancel)/ }).allTextContents()).toEqual(['Mark paid', 'Cancel order']);

      await page.getByRole('button', { name: 'Mark paid' }).click();
      await page.getByRole('button', { name: 'Mark shipped' }).waitFor();
      expect(await page.getByRole('button', { name: /^(Mark|Cancel)/ }).allTextContents()).toEqual(['Mark shipped', 'Cancel order']);
      await page.getByRole('button', { name: 'Mark shipped' }).click();
      await page.getByRole('button', { name: 'Mark delivered' }).waitFor();
      expect(await page.getByRole('button', { name: /^(Mark|Cancel)/ }).allTextContents()).toEqual(['Mark delivered']);

      const history = page.getByTestId('order-history');
      await history.getByText('paid → shipped').waitFor();
      expect(await history.locator('tbody tr td:first-child').allTextContents()).toEqual(['placed (pending)', 'pending → paid', 'paid → shipped']);
      expect((await api().get(`/v1/orders/${order.id}`).set(admin.auth).expect(200)).body.status).toBe('shipped');
      await screenshot(page, 'order');
    },
    STEP,
  );

  it(
    'cancels an order after saying the stock goes back, and the stock is back',
    async () => {
      const customer = await createUser(t, 'customer');
      const kettle = await t.prisma.product.findUniqueOrThrow({ where: { sku: 'CONSOLE-KETTLE' } });
      const before = await stockOf(t, kettle.id);
      const order = (await placeOrder(t, customer, { items: [{ productId: kettle.id, quantity: 2 }] }).expect(201)).body;
      expect(await stockOf(t, kettle.id)).toBe(before - 2);

      await page.goto(`/admin#/orders/${order.id}/show`);
      await page.getByRole('button', { name: 'Cancel order' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Cancelling puts the stock back').waitFor();
      expect(await dialog.textContent()).toContain('2 × Console kettle (CONSOLE-KETTLE) return to stock');
      await dialog.getByRole('button', { name: 'Cancel order and restock' }).click();
      await page.getByText('No further status changes: this order is cancelled.').waitFor();
      expect(await stockOf(t, kettle.id)).toBe(before);
    },
    STEP,
  );

  it(
    'archives a product after a confirmation: gone from the public API, still shown to staff with its archive date',
    async () => {
      const kettle = await t.prisma.product.findUniqueOrThrow({ where: { sku: 'CONSOLE-KETTLE' } });
      await api().get(`/v1/products/${kettle.id}`).expect(200);
      await page.goto(`/admin#/products/${kettle.id}`);
      await page.getByRole('button', { name: 'Archive' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Archive this product?').waitFor();
      await dialog.getByRole('button', { name: /confirm/i }).click();
      await eventually(async () => expect((await t.prisma.product.findUniqueOrThrow({ where: { id: kettle.id } })).archivedAt).not.toBeNull());
      await api().get(`/v1/products/${kettle.id}`).expect(404);
      const publicList = await api().get('/v1/products?search=kettle').expect(200);
      expect(publicList.body.count).toBe(0);

      await page.goto('/admin#/products');
      await row(page, 'CONSOLE-CUP').waitFor();
      expect(await row(page, 'CONSOLE-KETTLE').count()).toBe(0);
      await choose(page, /^Archived/, 'Shown');
      const archivedRow = row(page, 'CONSOLE-KETTLE');
      await archivedRow.getByText('archived').waitFor();
    },
    STEP,
  );

  it(
    'refuses to delete a category that products use, in words, and deletes an unused one',
    async () => {
      const used = await t.prisma.category.findUniqueOrThrow({ where: { slug: 'brewing-gear' } });
      await page.goto(`/admin#/categories/${used.id}`);
      await page.getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /confirm/i })
        .click();
      await page.getByText(/Not deleted: .*still has products/).waitFor();
      expect(await t.prisma.category.count({ where: { id: used.id } })).toBe(1);

      const unused = (await api().post('/v1/categories').set(admin.auth).send({ name: 'Empty shelf', slug: 'empty-shelf' }).expect(201)).body;
      await page.goto(`/admin#/categories/${unused.id}`);
      await page.getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /confirm/i })
        .click();
      await eventually(async () => expect(await t.prisma.category.count({ where: { id: unused.id } })).toBe(0));
    },
    STEP,
  );

  it(
    'lets an admin change roles and shows the API refusing to demote the last admin',
    async () => {
      const customer = await createUser(t, 'customer');
      await page.goto('/admin#/users');
      await row(page, admin.email).waitFor();
      await choose(page, /^Role$/, 'Customer');
      await row(page, admin.email).waitFor({ state: 'detached' });
      const customers = await t.prisma.user.count({ where: { role: 'customer' } });
      await eventually(async () => expect(await page.locator('tbody tr').count()).toBe(customers));
      await choose(page, new RegExp(`Role of ${customer.email}`), 'Staff');
      await eventually(async () => expect((await t.prisma.user.findUniqueOrThrow({ where: { id: customer.id } })).role).toBe('staff'));
      await page.getByText(`${customer.email} is now staff`).waitFor();

      await choose(page, /^Role$/, 'Admin');
      await choose(page, new RegExp(`Role of ${admin.email}`), 'Customer');
      await page.getByText('The last admin cannot be demoted; promote another admin first').waitFor();
      await eventually(async () => expect(await page.getByRole('combobox', { name: new RegExp(`Role of ${admin.email}`) }).textContent()).toBe('Admin'));
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe('admin');
    },
    STEP,
  );

  it(
    'refreshes an expired access token without the user noticing',
    async () => {
      await page.goto('/admin#/products');
      await row(page, 'CONSOLE-CUP').waitFor();
      const session = (await storedSession(page))!;
      const claims = decodeJwt(session.accessToken);
      // The stored token expired a minute ago (a real one, signed by the service's key).
      const expired = signJwt({ ...claims, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET);
      await storeSession(page, { ...session, accessToken: expired, accessExpiresAt: Date.now() - 60_000 });
      const refreshesBefore = refreshCalls.length;
      const refusalsBefore = unauthorized.length;
      const listLoaded = page.waitForResponse((r) => r.url().includes('/v1/products?') && r.url().includes('ordering=-stock') && r.status() === 200);
      await page.goto('/admin#/products?sort=stock&order=DESC');
      await listLoaded;
      await row(page, 'CONSOLE-CUP').waitFor();
      expect(refreshCalls.length).toBe(refreshesBefore + 1);
      expect(unauthorized.slice(refusalsBefore)).toEqual([]); // refreshed before the request, not after a 401
      const after = (await storedSession(page))!;
      expect(after.refreshToken).not.toBe(session.refreshToken);
      expect(after.accessToken).not.toBe(expired);

      // A token the clock still trusts but the service refuses (401): refreshed once, the request retried.
      await storeSession(page, { ...after, accessToken: expired, accessExpiresAt: Date.now() + 600_000 });
      const categoriesLoaded = page.waitForResponse((r) => r.url().includes('/v1/categories?') && r.status() === 200);
      await page.goto('/admin#/categories');
      await categoriesLoaded;
      await row(page, 'brewing-gear').waitFor();
      expect(refreshCalls.length).toBe(refreshesBefore + 2);
      expect(unauthorized.slice(refusalsBefore)).toEqual([expect.stringContaining('/v1/categories?')]);
      expect(page.url()).not.toContain('/login');
    },
    STEP,
  );

  it(
    'shows the dashboard with links to the filtered lists',
    async () => {
      await page.goto('/admin');
      const shipped = page.getByTestId('status-count-shipped');
      await eventually(async () => expect(await shipped.textContent()).toBe('shipped: 1'));
      await eventually(async () => expect(await page.getByTestId('today-orders').textContent()).toMatch(/^2 orders.*Revenue 178\.00/));
      await page.getByText('Console grinder (CONSOLE-GRINDER): 48').waitFor({ state: 'detached' }); // 48 left: not low
      await screenshot(page, 'dashboard');
      await shipped.click();
      await page.waitForURL(/\/admin#\/orders\?.*filter=/);
      await eventually(async () => expect(await page.locator('tbody tr').count()).toBe(1));
    },
    STEP,
  );

  it(
    'loaded nothing from any other host and threw no page errors',
    () => {
      expect(foreignRequests).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    STEP,
  );
});
