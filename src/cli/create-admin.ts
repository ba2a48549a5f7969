import { parseArgs } from 'node:util';
import pg from 'pg';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AdminAccountsService } from '../auth/admin-accounts.service.js';
import { RegisterDto } from '../auth/dto/register.dto.js';
import { PasswordService } from '../auth/password.service.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigValidationError } from '../config/environment.js';
import { embeddedDatabaseUrl, embeddedPassword } from '../database/embedded-postgres.js';
import { prepareDatabase } from '../database/prepare-database.js';
import { PrismaService } from '../database/prisma.service.js';

const USAGE = `Usage: npm run create-admin -- --email <email> [--password <password>] [--name <name>]

Creates an admin account, or promotes an existing account to admin (like Django's createsuperuser).
Without --password a new account gets a generated password, printed once. ADMIN_EMAIL and
ADMIN_PASSWORD are used when the flags are absent. Uses DATABASE_URL, else the embedded server.`;

export interface CliResult {
  code: number;
  output: string;
}

/** The create-admin command, as a function so that tests can run it in-process. */
export async function createAdmin(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (err) {
    return { code: 2, output: `${(err as Error).message}\n\n${USAGE}` };
  }
  if (args.help) return { code: 0, output: USAGE };

  const input = plainToInstance(RegisterDto, {
    email: args.email ?? env.ADMIN_EMAIL,
    // Only checked when given: an existing account keeps its password, a new one gets a generated one.
    password: args.password ?? env.ADMIN_PASSWORD ?? 'placeholder-not-used',
    name: args.name ?? 'Administrator',
  });
  const errors = await validate(input);
  if (errors.length > 0) {
    const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    return { code: 2, output: `Invalid input:\n${messages.map((m) => `  - ${m}`).join('\n')}\n\n${USAGE}` };
  }

  let config: AppConfig;
  try {
    config = AppConfig.fromEnv(env);
  } catch (err) {
    if (err instanceof ConfigValidationError) return { code: 2, output: err.message };
    throw err;
  }
  if (!config.database.url) {
    // The service may be running on the embedded server already: use it rather than start a second one.
    const password = embeddedPassword(config.database.embeddedDir);
    const url = password && embeddedDatabaseUrl(config.database.embeddedPort, password);
    if (url && (await canConnect(url))) config = config.withDatabaseUrl(url);
  }
  const database = await prepareDatabase(config);
  const prisma = new PrismaService(database.config);
  try {
    const result = await new AdminAccountsService(prisma, new PasswordService()).createOrPromote({
      email: input.email,
      password: args.password ?? env.ADMIN_PASSWORD,
      name: input.name,
    });
    const lines = {
      created: `Created admin ${result.email}.`,
      promoted: `Promoted ${result.email} to admin (password unchanged).`,
      unchanged: `${result.email} is already an admin; nothing changed.`,
    };
    let output = lines[result.outcome];
    if (result.generatedPassword) output += `\nGenerated password (shown once): ${result.generatedPassword}`;
    return { code: 0, output };
  } finally {
    await prisma.$disconnect();
    await prisma.pool.end();
    await database.stop();
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
