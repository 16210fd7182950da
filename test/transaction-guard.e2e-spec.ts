import { DataSource } from 'typeorm';
import { insertEstablishment } from './factories/people';
import { freshDatabase, testDatabaseUrl } from './helpers/db';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { dataSourceOptions } = require('../dist/src/database/data-source-options') as typeof import('../src/database/data-source-options');
const { installTransactionGuard, QueryOutsideTransactionError } =
  require('../dist/src/database/transaction-guard') as typeof import('../src/database/transaction-guard');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The transaction guard, on in every test run (TX_GUARD): a query on another connection while a
 * transaction is open fails at once, naming the query, on PostgreSQL as on the embedded database.
 */
describe('the transaction guard', () => {
  let ds: DataSource;
  beforeAll(async () => {
    await freshDatabase();
    installTransactionGuard();
    ds = new DataSource({ ...dataSourceOptions(testDatabaseUrl()), extra: { max: 4 } });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  it('lets a transaction use its own EntityManager, and queries run outside any transaction', async () => {
    const establishment = await insertEstablishment();
    const n = await ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(4242)`);
      const rows: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM establishments WHERE id = $1`, [establishment.id]);
      return rows[0].n;
    });
    expect(n).toBe(1);
    expect(await ds.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('fails an injected bug at once: a write that forgets the transaction and uses the global manager', async () => {
    const audit = new AuditService();
    const establishment = await insertEstablishment();
    // The bug: the audit entry is written without the transaction's manager, so on its own connection.
    const buggy = ds.transaction(async (m) => {
      await m.query(`UPDATE establishments SET name = name WHERE id = $1`, [establishment.id]);
      await audit.record({ actor: { type: 'SYSTEM', label: 'Test' }, action: 'TEST', entityType: 'test' }, ds.manager);
    });
    await expect(buggy).rejects.toBeInstanceOf(QueryOutsideTransactionError);
    await expect(buggy).rejects.toThrow(/Query outside its transaction: "SELECT next_id AS id[\s\S]*FROM audit_log_next\(/); // the audit chain's lock and head, its first statement
    await expect(buggy).rejects.toThrow(/transaction-guard\.e2e-spec\.ts/);
    // The transaction rolled back, and nothing was written outside it either.
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'TEST'`)).toEqual([{ n: 0 }]);
  });

  it('fails a second transaction opened inside the first (it would wait for the first one’s locks)', async () => {
    const nested = ds.transaction(async () => {
      await ds.transaction(async (inner) => void (await inner.query(`SELECT 1`)));
    });
    await expect(nested).rejects.toThrow(/Query outside its transaction: "START TRANSACTION"/);
  });
});
