import { Client } from 'pg';

/** The database the e2e tests use: DATABASE_URL, or the embedded server started by global-setup. */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL || process.env.P2V_TEST_EMBEDDED_URL;
  if (!url) throw new Error('No test database: global-setup did not run');
  return url;
}

export async function withClient<T>(fn: (c: Client) => Promise<T>, url = testDatabaseUrl()): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function query<T = Record<string, any>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(async (c) => (await c.query(sql, params)).rows as T[]);
}

/** Empties the database completely: each test file starts from nothing and the app migrates it. */
export async function resetDatabase(url = testDatabaseUrl()): Promise<void> {
  await withClient(async (c) => {
    await c.query('DROP SCHEMA IF EXISTS public CASCADE');
    await c.query('CREATE SCHEMA public');
  }, url);
}
