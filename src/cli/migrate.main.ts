import '../config/load-env-file.js';
import { migrateUp, migrationStatus, resetDatabase } from '../database/migrator.js';
import { newMigration } from './new-migration.js';

// npm run db:migrate | db:status | db:reset | db:new -- <name>; the image's and the Kubernetes Job's
// migration step (`node dist/cli/migrate.main.js up`).
const USAGE = 'usage: node dist/cli/migrate.main.js up|status|reset|new <name>';

async function run([command, argument]: string[]): Promise<void> {
  if (command === 'new') {
    newMigration(argument);
    return;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set (in the environment or .env): name the PostgreSQL to work on. ' +
        'The embedded development database needs no command: npm start and npm run dev migrate it at start-up.',
    );
  }
  if (command === 'up' || command === 'deploy') await migrateUp(url);
  else if (command === 'status') await migrationStatus(url);
  else if (command === 'reset') await resetDatabase(url);
  else throw new Error(USAGE);
}

run(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
