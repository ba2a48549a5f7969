#!/bin/sh
# Stand-in for Prisma's native schema engine (it cannot be downloaded on these machines).
# `prisma generate` only needs *a file* at PRISMA_SCHEMA_ENGINE_BINARY and never runs it;
# anything that does run it (prisma migrate / db push) fails (Prisma prints a bare "Schema engine error").
echo "Prisma's schema engine is not available offline: use 'npm run db:migrate' (src/database/migrator.ts)." >&2
exit 1
