import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative, resolve } from 'node:path';
import { MIGRATIONS_DIR } from '../database/migrator.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Prisma's native schema engine, when this machine has one: PRISMA_SCHEMA_ENGINE_BINARY naming a
 * real engine (not our stand-in, scripts/prisma-no-schema-engine.sh), or the one @prisma/engines
 * downloads at install where its host is reachable. Without it every `prisma migrate` command
 * tries to download it (and hangs or fails offline), so it is never run then.
 */
export function schemaEngine(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (given) return basename(given) === 'prisma-no-schema-engine.sh' || !existsSync(given) ? undefined : given;
  const dir = join(ROOT, 'node_modules', '@prisma', 'engines');
  const found = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith('schema-engine')) : undefined;
  return found && join(dir, found);
}

/** `prisma migrate diff` from the committed migrations to schema.prisma: the SQL of the change, or an error. */
function draftWithPrisma(engine: string): { sql: string } | { error: string } {
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const run = spawnSync(
    process.execPath,
    [prismaCli, 'migrate', 'diff', '--from-migrations', MIGRATIONS_DIR, '--to-schema', 'prisma/schema.prisma', '--script'],
    { cwd: ROOT, env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: engine }, encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status === 0) return { sql: run.stdout };
  return { error: (run.stderr || run.stdout || run.error?.message || `exit code ${run.status}`).trim() };
}

const handWritten = (name: string, why: string) => `-- ${name}
-- ${why}
-- Write the SQL that makes the migrated database match prisma/schema.prisma, the way Prisma writes it:
-- quoted identifiers, TIMESTAMP(3), names <Table>_pkey, <Table>_<cols>_key (unique), <Table>_<cols>_idx,
-- <Table>_<cols>_fkey ... ON DELETE RESTRICT ON UPDATE CASCADE (SET NULL for optional relations).
-- Then: npm run db:migrate (or restart the service) and npm run db:check, which names every difference left.
`;

/**
 * `npm run db:new -- <name>`: creates prisma/migrations/<UTC ts>_<name>/migration.sql, drafted by
 * `prisma migrate diff` when the schema engine is available, else with a comment saying what to write.
 */
export function newMigration(
  name: string | undefined,
  {
    migrationsDir = MIGRATIONS_DIR,
    env = process.env,
    log = console.log,
  }: { migrationsDir?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): { file: string; drafted: boolean } {
  if (!name || !/^[a-z0-9_]+$/i.test(name)) throw new Error('Give the migration a name of letters, digits and _: npm run db:new -- add_product_colour');
  const ts = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14); // UTC YYYYMMDDHHMMSS, as Prisma
  const dir = join(migrationsDir, `${ts}_${name}`);
  const file = join(dir, 'migration.sql');
  const engine = schemaEngine(env);
  let sql: string;
  let drafted = false;
  if (!engine) {
    sql = handWritten(
      name,
      "Not drafted: Prisma's schema engine is not installed here (@prisma/engines downloads it at install time, from a host this machine could not reach), so `prisma migrate diff` cannot run.",
    );
  } else {
    const draft = draftWithPrisma(engine);
    if ('sql' in draft && draft.sql.trim() === '')
      throw new Error('prisma/schema.prisma and the migrations already agree: nothing to migrate, no file written.');
    drafted = 'sql' in draft;
    sql =
      'sql' in draft
        ? `-- ${name}: drafted by \`prisma migrate diff\` from the migrations to prisma/schema.prisma. Read it before applying;\n-- CHECK constraints and data changes are not in schema.prisma and must be written by hand.\n${draft.sql}`
        : handWritten(name, `Not drafted: \`prisma migrate diff\` failed: ${draft.error.split('\n').join(' ')}`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, sql);
  const where = relative(process.cwd(), file);
  log(
    drafted
      ? `Created ${where}, drafted from the difference to prisma/schema.prisma: review it, then npm run db:migrate.`
      : `Created ${where} with instructions: write the SQL (${engine ? 'prisma migrate diff failed, see the file' : "Prisma's schema engine is not installed here"}).`,
  );
  return { file, drafted };
}
