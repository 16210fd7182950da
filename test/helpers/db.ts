import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { freePort, spawnNode, waitFor } from './processes';

/**
 * The test databases. On a PostgreSQL server (DATABASE_URL, as in CI) the global set-up migrates and
 * seeds one template database; each test file gets its own copy of it (CREATE DATABASE … TEMPLATE,
 * about 0.1 s), named after its Jest worker, so two workers never share data. On the embedded
 * database (no DATABASE_URL) there is one database: each file empties it, and the app migrates and
 * seeds it again unless the file asks for it empty (a few seconds more per file).
 */
/** Databases of this run are named with this prefix (P2V_TEST_DB_PREFIX: two runs at once on one server each take their own). */
const PREFIX = (process.env.P2V_TEST_DB_PREFIX ?? 'p2v_test').replace(/[^a-z0-9_]/g, '');
export const TEMPLATE_DB = `${PREFIX}_template`;

export function runPrefix(): string {
  return PREFIX;
}

/** The PostgreSQL server of the run (its `test` database serves to create and drop the others). */
export function serverUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl()!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database of the running test file. */
export function testDatabaseUrl(): string {
  const url = process.env.P2V_TEST_DB_URL || process.env.DATABASE_URL || process.env.P2V_TEST_EMBEDDED_URL;
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

/** The test file's connections, reused (a new connection per query would cost more than the query). */
const pools = new Map<string, Pool>();

function pool(url: string): Pool {
  let p = pools.get(url);
  if (!p) {
    p = new Pool({ connectionString: url, max: 3 });
    p.on('error', () => undefined); // a database dropped under an idle connection
    pools.set(url, p);
  }
  return p;
}

/** Closes the file's connections (test/helpers/jest-setup.ts, after each file; before a database is dropped). */
export async function closePools(url?: string): Promise<void> {
  for (const [key, p] of [...pools]) {
    if (url && !key.startsWith(url)) continue;
    pools.delete(key);
    await p.end();
  }
}

/** Rows of a query on the test file's database; T says what the test expects them to hold. */
export async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool(testDatabaseUrl()).query(sql, params)).rows as T[];
}

/** The one row a query must return. */
export async function queryOne<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const rows = await query<T>(sql, params);
  if (rows.length !== 1) throw new Error(`Expected one row, got ${rows.length}: ${sql}`);
  return rows[0];
}

/**
 * Waits until a statement of the test database matching `like` (a LIKE pattern on its text) waits for a
 * lock: the moment a test holding that lock on another connection lets it go, to prove who goes first.
 */
export function waitingOnLock(like: string, timeoutMs = 10_000): Promise<true> {
  return waitFor(
    `a statement like "${like}" waiting for a lock`,
    async () => {
      const rows = await query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [like],
      );
      return rows.length ? true : undefined;
    },
    timeoutMs,
  );
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** (Re)creates a database on the server, as a copy of `template` or empty; returns its URL. */
export async function createDatabase(name: string, template?: string): Promise<string> {
  await closePools(databaseUrl(name));
  await withClient(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoted(name)}${template ? ` TEMPLATE ${quoted(template)}` : ''}`);
  }, serverUrl());
  return databaseUrl(name);
}

/** This Jest worker's database name (workers run test files one after another). */
function workerDatabase(): string {
  return `${PREFIX}_w${process.env.JEST_WORKER_ID ?? '1'}`;
}

/**
 * Gives the test file a database of its own: on PostgreSQL a copy of the migrated and seeded
 * template (or an empty one with `empty`); on the embedded database the one database, emptied
 * (the app then migrates and seeds it). Returns its URL, also given by testDatabaseUrl().
 */
export async function freshDatabase(opts: { empty?: boolean } = {}): Promise<string> {
  if (serverUrl()) {
    process.env.P2V_TEST_DB_URL = await createDatabase(workerDatabase(), opts.empty ? undefined : TEMPLATE_DB);
    return process.env.P2V_TEST_DB_URL;
  }
  await closePools(testDatabaseUrl());
  await withClient(async (c) => {
    await c.query('DROP SCHEMA IF EXISTS public CASCADE');
    await c.query('CREATE SCHEMA public');
  });
  // What a copy of the template holds on a server: the schema and the demo data (one start of the app).
  if (!opts.empty) await seedDatabase(testDatabaseUrl());
  return testDatabaseUrl();
}

/** Empties the test file's database completely (migrations then start from nothing). */
export async function resetDatabase(): Promise<void> {
  await freshDatabase({ empty: true });
}

/**
 * A database the test may take away: on the server a copy of the template (dropped, connections
 * and all); on the embedded database a server of its own, migrated and seeded as the template is (stopped).
 */
export async function databaseCopy(suffix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${PREFIX}_${suffix}`;
  if (serverUrl()) {
    const url = await createDatabase(name, TEMPLATE_DB);
    return {
      url,
      drop: () => withClient(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`)), serverUrl()),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'p2v-db-'));
  const db = spawnNode('dist/src/database/embedded-server.js', [dir, String(await freePort())], { PATH: process.env.PATH });
  const url = await waitFor('embedded database', async () => /ready (\S+)/.exec(db.output())?.[1], 60000, db);
  // A copy holds what the template holds: the schema and the demo data, written by the app as on a server.
  try {
    await seedDatabase(url);
  } catch (e) {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    async drop() {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Migrates and seeds a database as the demo does, by one start of the built app on it (the template; an embedded copy). */
export async function seedDatabase(url: string): Promise<void> {
  const port = await freePort();
  const app = spawnNode('dist/src/main.js', [], {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: url,
    DEMO_IDP: 'true',
    SEED_DEMO_DATA: 'true',
    DEMO_MESSAGING: 'true',
    NOTIFICATIONS_WORKER: 'false',
    LOG_LEVEL: 'warn',
  });
  try {
    await waitFor('seeded database', async () => ((await fetch(`http://localhost:${port}/health`)).ok ? true : undefined), 120000, app);
  } finally {
    await app.stop();
  }
}

/** Drops every database of this run (global-teardown): a run leaves nothing behind on the server. */
export async function dropRunDatabases(): Promise<void> {
  if (!serverUrl()) return;
  await withClient(async (c) => {
    const { rows } = await c.query<{ name: string }>(`SELECT datname AS name FROM pg_database WHERE datname LIKE $1`, [`${PREFIX}\\_%`]);
    for (const { name } of rows) await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
  }, serverUrl());
}
