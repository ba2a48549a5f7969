import { createRequire } from 'node:module';

// scripts/migrate.cjs is plain JavaScript so that it also runs without a build (npm run db:migrate,
// the container's migrate step); the app and the tests call the same runner.
const runner = createRequire(import.meta.url)('../../scripts/migrate.cjs') as {
  up(url: string): Promise<string[]>;
  reset(url: string): Promise<string[]>;
};

/** Applies pending migrations from prisma/migrations (like `prisma migrate deploy`). */
export const applyMigrations = (url: string): Promise<string[]> => runner.up(url);

/** Drops schema "public" and applies every migration (tests and development only). */
export const resetDatabase = (url: string): Promise<string[]> => runner.reset(url);
