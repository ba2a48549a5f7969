import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type CliInput, type CliResult, createAdmin } from '../src/cli/create-admin.js';
import { SeedService } from '../src/seed/seed.service.js';
import { decodeJwt } from './utils/jwt.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

describe('Admin bootstrap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SEED_DEMO_DATA: 'true', ADMIN_EMAIL: 'Boss@Example.com', ADMIN_PASSWORD: 'boss password 1' });
  });
  afterAll(() => t.close());

  const env = (extra: Record<string, string> = {}) => ({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: t.databaseUrl,
    ADMIN_EMAIL: undefined,
    ADMIN_PASSWORD: undefined,
    ...extra,
  });
  const stdin = (text: string): CliInput => ({ readStdin: () => Promise.resolve(text) });
  /** Runs create-admin and checks that none of `secrets` shows in what it prints. */
  const run = async (argv: string[], options: { env?: Record<string, string>; input?: CliInput; secrets?: string[] } = {}): Promise<CliResult> => {
    const result = await createAdmin(argv, env(options.env), options.input);
    for (const secret of options.secrets ?? []) expect(result.output).not.toContain(secret);
    return result;
  };
  const login = (email: string, password: string) => t.http.post('/v1/auth/login').send({ email, password });
  const roleOf = async (email: string) => (await t.prisma.user.findUniqueOrThrow({ where: { email } })).role;
  const hashOf = async (email: string) => (await t.prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash;

  describe('seed', () => {
    it('creates the first admin and a demo catalogue on an empty database, once', async () => {
      await t.app.get(SeedService).run();
      await t.app.get(SeedService).run();
      const admins = await t.prisma.user.findMany({ where: { role: 'admin' } });
      expect(admins.map((a) => a.email)).toEqual(['boss@example.com']);
      expect(await t.prisma.category.count()).toBe(3);
      expect(await t.prisma.product.count()).toBeGreaterThan(0);
      await login('boss@example.com', 'boss password 1').expect(200);
    });
  });

  describe('npm run create-admin: a new account', () => {
    it('--password-stdin: reads the password from standard input, without its line break', async () => {
      const password = 'a stdin passphrase';
      const result = await run(['--email', 'Stdin.Admin@example.com', '--password-stdin'], { input: stdin(`${password}\n`), secrets: [password] });
      expect(result).toEqual({ code: 0, output: 'Created admin stdin.admin@example.com.' });
      expect(await roleOf('stdin.admin@example.com')).toBe('admin');
      const res = await login('stdin.admin@example.com', password).expect(200);
      expect(decodeJwt(res.body.accessToken)).toEqual(expect.objectContaining({ role: 'admin' }));
    });

    it.each([
      ['CRLF', 'crlf@example.com', 'windows line end\r\n', 'windows line end'],
      ['no line break', 'noeol@example.com', 'no line break here', 'no line break here'],
    ])('--password-stdin with %s', async (_case, email, text, password) => {
      expect((await run(['--email', email, '--password-stdin'], { input: stdin(text), secrets: [password] })).code).toBe(0);
      await login(email, password).expect(200);
    });

    it('--password works, with a note that --password-stdin is safer', async () => {
      const result = await run(['--email', 'New.Admin@example.com', '--password', 'a good password'], { secrets: ['a good password'] });
      expect(result.code).toBe(0);
      expect(result.output).toBe(
        'Created admin new.admin@example.com.\nNote: --password is visible in the process list and shell history; prefer --password-stdin.',
      );
      await login('new.admin@example.com', 'a good password').expect(200);
    });

    it('generates and prints a password when none is given and there is no terminal', async () => {
      const result = await run(['--email', 'generated@example.com']);
      expect(result.code).toBe(0);
      const password = /Generated password \(shown once\): (\S+)/.exec(result.output)?.[1];
      expect(password).toBeDefined();
      await login('generated@example.com', password!).expect(200);
    });

    it('asks for the password twice, hidden, in a terminal', async () => {
      const questions: string[] = [];
      const promptHidden = (question: string) => (questions.push(question), Promise.resolve('a prompted password'));
      const result = await run(['--email', 'prompted@example.com'], { input: { ...stdin(''), promptHidden }, secrets: ['a prompted password'] });
      expect(result).toEqual({ code: 0, output: 'Created admin prompted@example.com.' });
      expect(questions).toEqual(['Password for prompted@example.com (empty: generate one): ', 'Password (again): ']);
      await login('prompted@example.com', 'a prompted password').expect(200);
    });

    it('refuses two different answers at the prompt and creates nothing', async () => {
      const answers = ['first password 1', 'second password 2'];
      const promptHidden = () => Promise.resolve(answers.shift()!);
      const result = await run(['--email', 'mismatch@example.com'], {
        input: { ...stdin(''), promptHidden },
        secrets: ['first password 1', 'second password 2'],
      });
      expect(result).toEqual({ code: 1, output: 'The two passwords differ; nothing changed.' });
      expect(await t.prisma.user.count({ where: { email: 'mismatch@example.com' } })).toBe(0);
    });

    it('--promote for an address nobody has is refused, creating nothing', async () => {
      const result = await run(['--email', 'nobody@example.com', '--promote']);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/no account with e-mail nobody@example.com to promote/);
      expect(await t.prisma.user.count({ where: { email: 'nobody@example.com' } })).toBe(0);
    });

    it.each([
      [['--email', 'not-an-email', '--password', 'a good password'], /email must be a valid e-mail address/],
      [['--email', 'weak@example.com', '--password', 'short'], /password must be at least 8 characters/],
      [['--password', 'a good password'], /email must be a valid e-mail address/],
      [['--emial', 'typo@example.com'], /Unknown option '--emial'/],
      [['--email', 'both@example.com', '--password', 'a good password', '--password-stdin'], /--password and --password-stdin cannot be used together/],
      [['--email', 'ad\u200ba@example.com', '--password', 'a good password'], /email must not contain invisible or control characters/],
    ])('refuses %j with a clear message and changes nothing', async (argv, message) => {
      const before = await t.prisma.user.count();
      const result = await run(argv, { secrets: ['a good password'] });
      expect(result.code).toBe(2);
      expect(result.output).toMatch(message);
      expect(result.output).toContain('Usage: npm run create-admin');
      expect(await t.prisma.user.count()).toBe(before);
    });

    it.each([
      ['empty standard input', ''],
      ['a short password', 'short\n'],
      ['more than one line', 'first line pw\nsecond line pw\n'],
    ])('--password-stdin with %s is refused', async (_case, text) => {
      const result = await run(['--email', 'badstdin@example.com', '--password-stdin'], { input: stdin(text), secrets: ['first line pw', 'second line pw'] });
      expect(result.code).toBe(2);
      expect(result.output).toMatch(/password must be at least 8 characters|--password-stdin reads one line/);
      expect(await t.prisma.user.count({ where: { email: 'badstdin@example.com' } })).toBe(0);
    });
  });

  describe('the built command (dist/cli/create-admin.main.js)', () => {
    /** Runs it as a real process, `stdinText` piped to its standard input. */
    const spawnCli = async (argv: string[], stdinText: string) => {
      const child = spawn(process.execPath, ['dist/cli/create-admin.main.js', ...argv], {
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdin.end(stdinText);
      const [code] = await once(child, 'exit');
      return { code, stdout, stderr };
    };

    it('reads --password-stdin from a pipe, printing nothing of it', async () => {
      const password = 'a piped passphrase';
      const result = await spawnCli(['--email', 'piped@example.com', '--password-stdin'], `${password}\n`);
      expect(result).toEqual({ code: 0, stdout: 'Created admin piped@example.com.\n', stderr: '' });
      await login('piped@example.com', password).expect(200);
    });

    it('exits 1 with the refusal on stderr for an existing account', async () => {
      await t.http.post('/v1/auth/register').send({ email: 'piped.customer@example.com', password: 'customer pw 1', name: 'C' }).expect(201);
      const result = await spawnCli(['--email', 'piped.customer@example.com', '--password-stdin'], 'operator pw 1\n');
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^An account with e-mail piped.customer@example.com already exists; create-admin never sets the password/);
      expect(result.stderr).not.toContain('operator pw 1');
      expect(await roleOf('piped.customer@example.com')).toBe('customer');
    });
  });

  describe('npm run create-admin: an account someone registered first', () => {
    const email = 'ceo@example.com';
    const attackerPassword = 'attacker password 1';
    const operatorPassword = 'operator password 1';
    let userId: number;
    let hashBefore: string;
    beforeAll(async () => {
      userId = (await t.http.post('/v1/auth/register').send({ email, password: attackerPassword, name: 'Not the CEO' }).expect(201)).body.id;
      hashBefore = await hashOf(email);
    });

    const expectUntouched = async () => {
      expect(await roleOf(email)).toBe('customer');
      expect(await hashOf(email)).toBe(hashBefore);
      await login(email, operatorPassword).expect(401);
    };

    it('without --promote: exit 1, explains --promote, and the account stays a customer', async () => {
      for (const address of [email, 'CEO@Example.com', '\uff43\uff45\uff4f@example.com']) {
        const result = await run(['--email', address]);
        expect(result.code).toBe(1);
        expect(result.output).toContain(`An account with e-mail ${email} already exists (role customer). Nothing changed.`);
        expect(result.output).toMatch(/--promote/);
        expect(result.output).toMatch(/whoever registered ceo@example.com\) can then sign in as an admin/);
      }
      await expectUntouched();
    });

    it.each([
      ['--password', ['--password', operatorPassword], {}, undefined],
      ['--password-stdin', ['--password-stdin'], {}, `${operatorPassword}\n`],
      ['ADMIN_PASSWORD', [], { ADMIN_PASSWORD: operatorPassword }, undefined],
      ['--password with --promote', ['--password', operatorPassword, '--promote'], {}, undefined],
    ])('with %s: exit 1, role and password unchanged', async (source, extraArgs, extraEnv, text) => {
      const result = await run(['--email', email, ...extraArgs], { env: extraEnv, input: stdin(text ?? ''), secrets: [operatorPassword] });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`An account with e-mail ${email} already exists; create-admin never sets the password of an existing account`);
      expect(result.output).toContain(`(given with ${source.split(' ')[0]})`);
      await expectUntouched();
      await login(email, attackerPassword).expect(200);
    });

    it('with --promote: exit 0, says the password was kept and who can now sign in as admin', async () => {
      const result = await run(['--email', email, '--promote']);
      expect(result).toEqual({
        code: 0,
        output:
          `Promoted ${email} (user ${userId}) from customer to admin. Its password was NOT changed: ` +
          `whoever set it (whoever registered ${email}) can now sign in as an admin.\n` +
          `If that is not you, demote it at once: PATCH /v1/users/${userId} {"role":"customer"}.`,
      });
      expect(await roleOf(email)).toBe('admin');
      expect(await hashOf(email)).toBe(hashBefore);
      const res = await login(email, attackerPassword).expect(200);
      expect(decodeJwt(res.body.accessToken)).toEqual(expect.objectContaining({ sub: String(userId), role: 'admin' }));
    });

    it('an admin already: exit 0, nothing changed', async () => {
      for (const argv of [
        ['--email', email],
        ['--email', email, '--promote'],
      ]) {
        expect(await run(argv)).toEqual({ code: 0, output: `${email} is already an admin; nothing changed.` });
      }
      expect(await hashOf(email)).toBe(hashBefore);
    });

    it('an admin already, with a password: exit 1, password unchanged', async () => {
      const result = await run(['--email', email, '--password', operatorPassword], { secrets: [operatorPassword] });
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/never sets the password of an existing account \(given with --password\)\. Nothing changed\.\nIt is an admin already\.$/);
      expect(await hashOf(email)).toBe(hashBefore);
    });
  });
});
