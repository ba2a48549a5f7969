import { createAdmin } from '../src/cli/create-admin.js';
import { SeedService } from '../src/seed/seed.service.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

describe('Admin bootstrap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SEED_DEMO_DATA: 'true', ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'boss password 1' });
  });
  afterAll(() => t.close());

  const env = () => ({ ...process.env, NODE_ENV: 'test', DATABASE_URL: t.databaseUrl, ADMIN_EMAIL: undefined, ADMIN_PASSWORD: undefined });

  describe('seed', () => {
    it('creates the first admin and a demo catalogue on an empty database, once', async () => {
      await t.app.get(SeedService).run();
      await t.app.get(SeedService).run();
      const admins = await t.prisma.user.findMany({ where: { role: 'admin' } });
      expect(admins.map((a) => a.email)).toEqual(['boss@example.com']);
      expect(await t.prisma.category.count()).toBe(3);
      expect(await t.prisma.product.count()).toBeGreaterThan(0);
      await t.http.post('/v1/auth/login').send({ email: 'boss@example.com', password: 'boss password 1' }).expect(200);
    });
  });

  describe('npm run create-admin', () => {
    it('creates an admin that can log in', async () => {
      const result = await createAdmin(['--email', 'New.Admin@example.com', '--password', 'a good password'], env());
      expect(result).toEqual({ code: 0, output: 'Created admin new.admin@example.com.' });
      const row = await t.prisma.user.findUniqueOrThrow({ where: { email: 'new.admin@example.com' } });
      expect(row.role).toBe('admin');
      await t.http.post('/v1/auth/login').send({ email: 'new.admin@example.com', password: 'a good password' }).expect(200);
    });

    it('generates and prints a password when none is given', async () => {
      const result = await createAdmin(['--email', 'generated@example.com'], env());
      expect(result.code).toBe(0);
      const password = /Generated password \(shown once\): (\S+)/.exec(result.output)?.[1];
      expect(password).toBeDefined();
      await t.http.post('/v1/auth/login').send({ email: 'generated@example.com', password }).expect(200);
    });

    it('promotes an existing account and keeps its password', async () => {
      await t.http.post('/v1/auth/register').send({ email: 'promote-me@example.com', password: 'customer pw 1', name: 'P' }).expect(201);
      const result = await createAdmin(['--email', 'promote-me@example.com'], env());
      expect(result).toEqual({ code: 0, output: 'Promoted promote-me@example.com to admin (password unchanged).' });
      expect((await t.prisma.user.findUniqueOrThrow({ where: { email: 'promote-me@example.com' } })).role).toBe('admin');
      await t.http.post('/v1/auth/login').send({ email: 'promote-me@example.com', password: 'customer pw 1' }).expect(200);
    });

    it.each([
      [['--email', 'not-an-email', '--password', 'a good password'], /email must be a valid e-mail address/],
      [['--email', 'weak@example.com', '--password', 'short'], /password must be at least 8 characters/],
      [['--password', 'a good password'], /email must be a valid e-mail address/],
      [['--emial', 'typo@example.com'], /Unknown option '--emial'/],
    ])('refuses %j with a clear message and changes nothing', async (argv, message) => {
      const before = await t.prisma.user.count();
      const result = await createAdmin(argv, env());
      expect(result.code).toBe(2);
      expect(result.output).toMatch(message);
      expect(result.output).toContain('Usage: npm run create-admin');
      expect(await t.prisma.user.count()).toBe(before);
    });
  });
});
