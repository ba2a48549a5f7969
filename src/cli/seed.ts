import { parseArgs } from 'node:util';
import { AppConfig } from '../config/app-config.js';
import { DEFAULT_ADMIN_EMAIL, SeedService } from '../seed/seed.service.js';
import type { CliResult } from './create-admin.js';
import { cliAdminAccounts, cliConfig, withCliDatabase } from './cli-database.js';

const USAGE = `Usage: npm run db:seed [-- --force]

Adds the demo catalogue (whatever demo category or product is missing, by slug and SKU; existing
rows are never changed) and, on a database without users, the first admin (ADMIN_EMAIL /
ADMIN_PASSWORD, else ${DEFAULT_ADMIN_EMAIL} with a generated password printed once). Safe to run
again. Uses DATABASE_URL, else the embedded server. Refused with NODE_ENV=production unless --force.`;

/** npm run db:seed, as a function so that tests can run it in-process. */
export async function seed(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { force: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true }).values;
  } catch (err) {
    return { code: 2, output: `${(err as Error).message}\n\n${USAGE}` };
  }
  if (args.help) return { code: 0, output: USAGE };
  const config = cliConfig(env);
  if (!(config instanceof AppConfig)) return config;
  if (config.isProduction && !args.force) {
    return {
      code: 1,
      output:
        'NODE_ENV=production: refusing to put demo products and a demo admin into this database; nothing changed. Run with --force if you really mean it.',
    };
  }
  return withCliDatabase(config, async (prisma, used) => {
    const service = new SeedService(prisma, cliAdminAccounts(prisma), used);
    const result = await service.run({ fillMissing: true });
    const lines = [
      result.categoriesAdded + result.productsAdded === 0
        ? 'Demo catalogue: complete already; nothing added.'
        : `Demo catalogue: added ${result.categoriesAdded} categories and ${result.productsAdded} products.`,
    ];
    if (result.admin) {
      lines.push(
        result.admin.generatedPassword
          ? `Created the first admin ${result.admin.email}, password ${result.admin.generatedPassword} (shown once).`
          : `Created the first admin ${result.admin.email} with ADMIN_PASSWORD.`,
      );
    } else {
      lines.push('The database has users already: no admin created (npm run create-admin makes one).');
    }
    return { code: 0, output: lines.join('\n') };
  });
}
