import { defineConfig } from 'prisma/config';

// Prisma CLI config (Prisma 7). Only `prisma generate` / `validate` / `format` are used here:
// `prisma migrate *` and `prisma db *` need Prisma's native schema engine, which cannot be
// downloaded on our build machines; migrations are applied by src/database/migrator.ts instead.
// process.env (not env()) so that `prisma generate` works without a database URL.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
