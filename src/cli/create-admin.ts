import { parseArgs } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { AdminAccountsService } from '../accounts/admin-accounts.service.js';
import { RegisterDto } from '../accounts/dto/register.dto.js';
import { AppConfig } from '../config/app-config.js';
import type { User } from '../generated/prisma/client.js';
import { cliAdminAccounts, cliConfig, withCliDatabase } from './cli-database.js';

const USAGE = `Usage: npm run create-admin -- --email <email> [--password-stdin | --password <password>] [--name <name>]
       npm run create-admin -- --email <email> --promote

Creates an admin account (like Django's createsuperuser). Its password is read from standard input
with --password-stdin (one line), else taken from --password or ADMIN_PASSWORD, else asked for when
run in a terminal, else generated and printed once. Prefer --password-stdin:
  printf '%s\\n' "$PW" | npm run create-admin -- --email boss@example.com --password-stdin
--password is visible to other users in the process list and stays in the shell history.

An existing account is never changed unless you say so: --promote makes it an admin and KEEPS ITS
PASSWORD, so whoever set that password (whoever registered the address) can then sign in as an
admin. Only promote an account you know is yours. Setting a password for an existing account is
refused. ADMIN_EMAIL is used when --email is absent. Uses DATABASE_URL, else the embedded server.`;

export interface CliResult {
  code: number;
  output: string;
}

/** Where create-admin reads a password from, injectable so that tests can run it in-process. */
export interface CliInput {
  /** All of standard input; read only for --password-stdin. */
  readStdin(): Promise<string>;
  /** Asks for a line without echoing it; absent when standard input is not a terminal. */
  promptHidden?: (question: string) => Promise<string>;
}

const NO_INPUT: CliInput = { readStdin: () => Promise.resolve('') };

interface Request {
  email: string;
  name: string;
  promote: boolean;
  password?: string;
  /** How the password was given, for messages; undefined when it was not. */
  passwordSource?: string;
}

/** The create-admin command, as a function so that tests can run it in-process. */
export async function createAdmin(argv: string[], env: NodeJS.ProcessEnv = process.env, input: CliInput = NO_INPUT): Promise<CliResult> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        promote: { type: 'boolean' },
        name: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (args.help) return { code: 0, output: USAGE };
  if (args.password !== undefined && args['password-stdin']) return usageError('--password and --password-stdin cannot be used together');

  let password = args.password ?? env.ADMIN_PASSWORD;
  let passwordSource = args.password !== undefined ? '--password' : env.ADMIN_PASSWORD !== undefined ? 'ADMIN_PASSWORD' : undefined;
  if (args['password-stdin']) {
    password = (await input.readStdin()).replace(/\r?\n$/, '');
    passwordSource = '--password-stdin';
    if (/[\r\n]/.test(password)) return usageError('--password-stdin reads one line: the password');
  }
  const dto = plainToInstance(RegisterDto, {
    email: args.email ?? env.ADMIN_EMAIL,
    // Only checked when given: a new account without one gets a prompted or generated password.
    password: password ?? 'placeholder-not-used',
    name: args.name ?? 'Administrator',
  });
  const errors = await validate(dto);
  if (errors.length > 0) return invalidInput(errors);

  const config = cliConfig(env);
  if (!(config instanceof AppConfig)) return config;
  return withCliDatabase(config, (prisma) => {
    const accounts = cliAdminAccounts(prisma);
    const request = { email: dto.email, name: dto.name, promote: args.promote ?? false, password, passwordSource };
    return createOrPromote(accounts, request, input);
  });
}

async function createOrPromote(accounts: AdminAccountsService, request: Request, input: CliInput): Promise<CliResult> {
  const existing = await accounts.findByEmail(request.email);
  return existing ? changeExisting(accounts, existing, request) : createNew(accounts, request, input);
}

/** Never a password, and a promotion only when asked for with --promote. */
async function changeExisting(accounts: AdminAccountsService, existing: User, request: Request): Promise<CliResult> {
  const { email } = request;
  const alreadyAdmin: CliResult = { code: 0, output: `${email} is already an admin; nothing changed.` };
  if (request.passwordSource) {
    return refused(
      `An account with e-mail ${email} already exists; create-admin never sets the password of an existing account ` +
        `(given with ${request.passwordSource}). Nothing changed.\n` +
        (existing.role === 'admin'
          ? 'It is an admin already.'
          : 'To make that account an admin with the password it has now, run again with --promote and no password, ' +
            'but only if you know who set that password: they will be able to sign in as an admin.'),
    );
  }
  if (existing.role === 'admin') return alreadyAdmin;
  if (!request.promote) {
    return refused(
      `An account with e-mail ${email} already exists (role ${existing.role}). Nothing changed.\n` +
        `Run again with --promote to make it an admin. It keeps its password, so whoever set that password ` +
        `(whoever registered ${email}) can then sign in as an admin: only promote an account you know is yours.`,
    );
  }
  const outcome = await accounts.promote(existing.id);
  if (outcome === 'already-admin') return alreadyAdmin;
  if (outcome === 'not-found') return refused(`The account ${email} was deleted meanwhile; nothing changed.`);
  return {
    code: 0,
    output:
      `Promoted ${email} (user ${existing.id}) from ${existing.role} to admin. Its password was NOT changed: ` +
      `whoever set it (whoever registered ${email}) can now sign in as an admin.\n` +
      `If that is not you, demote it at once: PATCH /v1/users/${existing.id} {"role":"${existing.role}"}.`,
  };
}

async function createNew(accounts: AdminAccountsService, request: Request, input: CliInput): Promise<CliResult> {
  const { email } = request;
  if (request.promote) return refused(`There is no account with e-mail ${email} to promote; nothing changed. Leave out --promote to create one.`);
  let password = request.password;
  if (password === undefined && input.promptHidden) {
    const prompted = await promptPassword(input.promptHidden, email);
    if ('refused' in prompted) return prompted.refused;
    password = prompted.password;
  }
  const result = await accounts.create({ email, name: request.name, password });
  if (result.outcome === 'exists') return refused(`An account with e-mail ${email} was created meanwhile; nothing changed. Run again to decide about it.`);
  let output = `Created admin ${email}.`;
  if (result.generatedPassword) output += `\nGenerated password (shown once): ${result.generatedPassword}`;
  if (request.passwordSource === '--password') output += '\nNote: --password is visible in the process list and shell history; prefer --password-stdin.';
  return { code: 0, output };
}

/** Asks twice with echo off; an empty answer means "generate one". */
async function promptPassword(promptHidden: (question: string) => Promise<string>, email: string): Promise<{ password?: string } | { refused: CliResult }> {
  const password = await promptHidden(`Password for ${email} (empty: generate one): `);
  if (password === '') return {};
  const errors = await validate(plainToInstance(RegisterDto, { email, password, name: 'x' }));
  const passwordErrors = errors.filter((e) => e.property === 'password');
  if (passwordErrors.length > 0) return { refused: invalidInput(passwordErrors) };
  if ((await promptHidden('Password (again): ')) !== password) return { refused: refused('The two passwords differ; nothing changed.') };
  return { password };
}

const usageError = (message: string): CliResult => ({ code: 2, output: `${message}\n\n${USAGE}` });
const invalidInput = (errors: ValidationError[]) =>
  usageError(
    `Invalid input:\n${errors
      .flatMap((e) => Object.values(e.constraints ?? {}))
      .map((m) => `  - ${m}`)
      .join('\n')}`,
  );
const refused = (message: string): CliResult => ({ code: 1, output: message });
