import { DataSource } from 'typeorm';
import { resetDatabase, testDatabaseUrl } from './helpers/db';

/**
 * The entities and the hand-written migrations must describe the same tables and columns.
 * (Constraints and indexes live in the migrations only: TypeORM's names for them differ, so
 * statements about constraints and indexes are left out of the comparison.)
 */
describe('entities and migrations', () => {
  it('agree on every table and column', async () => {
    await resetDatabase();
    // The built module, as the app runs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dataSourceOptions } = require('../dist/src/database/data-source-options');
    const ds = new DataSource(dataSourceOptions(testDatabaseUrl()));
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      const { upQueries } = await ds.driver.createSchemaBuilder().log();
      const drift = upQueries
        .map((q) => q.query)
        .filter((q) => !/^ALTER TABLE "\w+" (DROP|ADD) CONSTRAINT /.test(q) && !/^(DROP|CREATE) (UNIQUE )?INDEX /.test(q));
      expect(drift).toEqual([]);
      // And the migrations go down and up again cleanly.
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await ds.query(`SELECT to_regclass('public.detainees') AS t`)).toEqual([{ t: null }]);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
  });
});
