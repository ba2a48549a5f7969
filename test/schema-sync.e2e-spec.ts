import { createRequire } from 'node:module';
import { createTestDatabase } from './utils/test-app.js';

const { checkSchemaSync } = createRequire(import.meta.url)('../scripts/check-schema-sync.cjs');

describe('prisma/migrations vs prisma/schema.prisma', () => {
  it('produce exactly the database the schema describes', async () => {
    const db = await createTestDatabase();
    try {
      const problems: string[] = await checkSchemaSync(db.url);
      expect(problems).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
