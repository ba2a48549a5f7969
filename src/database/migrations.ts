import { createRequire } from 'node:module';
import { Logger } from '@nestjs/common';

// scripts/migrate.cjs is plain JavaScript so that it also runs without a build (npm run db:migrate,
// the container's migrate step); the app and the tests call the same runner.
const runner = createRequire(import.meta.url)('../../scripts/migrate.cjs') as {
  up(url: string, options: { log: (line: string) => void }): Promise<string[]>;
};

/** Applies pending migrations from prisma/migrations (like `prisma migrate deploy`), logging through Nest: the outcome at info, each step at debug. */
export function applyMigrations(url: string): Promise<string[]> {
  const logger = new Logger('Migrations');
  return runner.up(url, { log: (line) => (/^(Applying |No pending)/.test(line) ? logger.debug(line) : logger.log(line)) });
}
