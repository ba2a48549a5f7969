import { Client } from 'pg';

/** Environment variables test/setup/global-setup.mjs hands to the test workers. */
export const TEST_ENV = {
  serverUrl: 'SHOP_TEST_SERVER_URL',
  templateDb: 'SHOP_TEST_TEMPLATE_DB',
} as const;

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs statements on the server's maintenance database ("postgres"). */
export async function adminQuery(serverUrl: string, ...statements: string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
