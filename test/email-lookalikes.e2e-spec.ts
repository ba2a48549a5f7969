import { EMAIL_LOOKALIKE_MESSAGES as M } from '../src/common/email/email-lookalikes.js';
import { decodeJwt } from './utils/jwt.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/** One address, one account: forms that only look different are the same account or refused. */
describe('E-mail lookalikes', () => {
  let t: TestApp;
  const accounts: Record<string, number> = {};
  const register = (email: string) => t.http.post('/v1/auth/register').send({ email, password: 'lookalike pw 1', name: 'L' });

  beforeAll(async () => {
    t = await createTestApp();
    for (const email of ['ada@example.com', 'ren\u00e9@example.com', 'info@example.com']) {
      accounts[email] = (await register(email).expect(201)).body.id;
    }
  });
  afterAll(() => t.close());

  it.each([
    ['fullwidth letters', '\uff41\uff44\uff41@example.com', 'ada@example.com'],
    ['fullwidth capitals, @ and full stop', '\uff21\uff24\uff21\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d', 'ada@example.com'],
    ['letter case and spaces', '  ADA@Example.COM ', 'ada@example.com'],
    ['NFD (decomposed é)', 'rene\u0301@example.com', 'ren\u00e9@example.com'],
    ['capital É, decomposed', 'RENE\u0301@EXAMPLE.COM', 'ren\u00e9@example.com'],
    ['Turkish capital dotted İ', '\u0130NFO@example.com', 'info@example.com'],
    ['i + combining dot above', 'i\u0307nfo@example.com', 'info@example.com'],
  ])('%s of a registered address: 409, no second account', async (_form, email, existing) => {
    const before = await t.prisma.user.count();
    const res = await register(email);
    expectProblem(res, 409, 'duplicate');
    expect(res.body.errors).toEqual([{ field: 'email', message: 'email is already registered' }]);
    expect(await t.prisma.user.count()).toBe(before);
    expect(await t.prisma.user.findUnique({ where: { email: existing } })).toEqual(expect.objectContaining({ id: accounts[existing] }));
  });

  it.each([
    ['a zero-width space', 'ada\u200b@example.com', M.invisible],
    ['a zero-width joiner', 'ad\u200da@example.com', M.invisible],
    ['a word joiner', 'ada\u2060@example.com', M.invisible],
    ['a soft hyphen', 'ada\u00ad@example.com', M.invisible],
    ['a byte-order mark inside', 'a\ufeffda@example.com', M.invisible],
    ['a right-to-left override', 'ada\u202e@example.com', M.invisible],
    ['a Cyrillic а among Latin letters', '\u0430da@example.com', M.mixedScripts],
    ['a Cyrillic а in the domain', 'ada@ex\u0430mple.com', M.mixedScripts],
    ['a Greek ο among Latin letters', 'ad\u03bf@example.com', M.mixedScripts],
    ['Cyrillic and Greek mixed', '\u0430\u03b4\u0430@example.com', M.mixedScripts],
    ['a Unicode hyphen', 'ada\u2010x@example.com', M.symbol],
  ])('%s: 400 on field email, no account', async (_form, email, message) => {
    const before = await t.prisma.user.count();
    const res = await register(email);
    expectProblem(res, 400, 'validation-error');
    expect(res.body.errors).toContainEqual({ field: 'email', message });
    expect(res.body.errors.every((e: { field: string }) => e.field === 'email')).toBe(true);
    expect(await t.prisma.user.count()).toBe(before);
  });

  it('accepts an address in one non-Latin script, stored normalised', async () => {
    const res = await register('\u0418\u0412\u0410\u041d@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444');
    expect(res.status).toBe(201);
    expect(res.body.email).toBe('\u0438\u0432\u0430\u043d@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444');
  });

  it.each([
    ['fullwidth', '\uff41\uff44\uff41@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com', 'ada@example.com'],
    ['NFD', 'rene\u0301@example.com', 'ren\u00e9@example.com'],
    ['dotted capital İ', '\u0130nfo@example.com', 'info@example.com'],
  ])('login with the %s form signs in to the same account', async (_form, email, registered) => {
    const res = await t.http.post('/v1/auth/login').send({ email, password: 'lookalike pw 1' }).expect(200);
    expect(decodeJwt(res.body.accessToken)).toEqual(expect.objectContaining({ sub: String(accounts[registered]), email: registered }));
  });

  it('the database refuses a second row that differs only in letter case', async () => {
    const insert = t.prisma.user.create({ data: { email: 'ADA@example.com', name: 'X', passwordHash: 'x' } });
    await expect(insert).rejects.toMatchObject({ code: 'P2002' });
    expect(await t.prisma.user.count({ where: { email: { equals: 'ada@example.com', mode: 'insensitive' } } })).toBe(1);
  });
});
