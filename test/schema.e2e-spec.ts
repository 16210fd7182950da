import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { resetDatabase, testDatabaseUrl, withClient } from './helpers/db';
import { schemaText } from './helpers/schema';

/* The built module, as the app runs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dataSourceOptions } = require('../dist/src/database/data-source-options') as typeof import('../src/database/data-source-options');

const SCHEMA_FILE = join(__dirname, 'schema.sql');

/**
 * The schema the migrations build, checked three ways: against test/schema.sql (every table, column,
 * constraint, index, trigger and function: a migration that changes any of them changes that file in
 * the same commit; `P2V_UPDATE_SCHEMA=1 npx jest test/schema` rewrites it), against the entities (one
 * per table, same columns), and down then up again.
 */
describe('the database schema', () => {
  let ds: DataSource;
  beforeAll(async () => {
    await resetDatabase();
    ds = new DataSource(dataSourceOptions(testDatabaseUrl()));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('is exactly test/schema.sql after the migrations', async () => {
    const actual = await withClient((c) => schemaText(c));
    if (process.env.P2V_UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, actual);
    expect(actual).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('has an entity for every table, and the entities agree with the migrations on every column', async () => {
    const tables = await withClient(async (c) =>
      (await c.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map(
        (r) => r.name,
      ),
    );
    const mapped = new Set(ds.entityMetadatas.map((m) => m.tableName));
    expect(tables.filter((t) => t !== 'migrations' && !mapped.has(t))).toEqual([]);
    // Constraint and index names are the migrations' own (TypeORM would name them otherwise): the
    // schema file above checks those; here, tables and columns.
    const { upQueries } = await ds.driver.createSchemaBuilder().log();
    const drift = upQueries
      .map((q) => q.query)
      .filter((q) => !/^ALTER TABLE "\w+" (DROP|ADD) CONSTRAINT /.test(q) && !/^(DROP|CREATE) (UNIQUE )?INDEX /.test(q));
    expect(drift).toEqual([]);
  });

  it('goes down and up again cleanly', async () => {
    const applied = ds.migrations.length;
    for (let i = 0; i < applied; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`SELECT to_regclass('public.detainees') AS t`)).toEqual([{ t: null }]);
    await ds.runMigrations({ transaction: 'each' });
    expect(await withClient((c) => schemaText(c))).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });
});
