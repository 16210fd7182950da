import { databaseCopy, freshDatabase, withClient } from './helpers/db';
import { runNode } from './helpers/processes';

const bench = (url: string, args: string[]) =>
  runNode('dist/scripts/bench/audit-growth.js', args, { PATH: process.env.PATH, DATABASE_URL: url, NODE_ENV: 'test' });

describe('npm run bench:audit (scripts/bench/audit-growth.ts)', () => {
  it('grows a new database’s audit log step by step, measures it, and leaves it with its triggers on and entries that extend it', async () => {
    const url = await freshDatabase({ empty: true });
    const run = await bench(url, ['--years=1,2', '--per-year=3000', '--runs=10']);
    expect(run.code).toBe(0);
    const table = run.output.split('\n').filter((l) => l.startsWith('| '));
    expect(table).toHaveLength(4);
    // 3,000 then 6,000 entries filled, each step then writes 20 the usual way (10 timed, 10 to warm up).
    const cells = (row: string) => row.split('|').map((c) => c.trim());
    expect(cells(table[2]).slice(1, 3)).toEqual(['1', '3 000']);
    expect(cells(table[3]).slice(1, 3)).toEqual(['2', '6 000']);
    // The families measured have connections to read: the read is not of an empty index.
    const connections = cells(table[3])[cells(table[0]).indexOf('a family’s connections p50 / p95 ms (entries)')];
    expect(Number(/\((\d+)\)/.exec(connections)?.[1])).toBeGreaterThan(0);

    await withClient(async (c) => {
      const triggers = await c.query<{ name: string; enabled: string }>(
        `SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal ORDER BY tgname`,
      );
      expect(triggers.rows).toEqual([
        { name: 'audit_log_chain', enabled: 'O' },
        { name: 'audit_log_no_truncate', enabled: 'O' },
        { name: 'audit_log_no_update', enabled: 'O' },
      ]);
      await expect(c.query(`DELETE FROM audit_log WHERE id = 1`)).rejects.toThrow();
      // The entries written after the fill, through audit_log_next and the chain's trigger: each names the one before.
      const { rows } = await c.query<{ id: string; prev_hash: string; hash: string }>(
        `SELECT id::text, prev_hash, hash FROM audit_log WHERE id > 6000 ORDER BY id`,
      );
      expect(rows).toHaveLength(20);
      for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
      expect(rows[0].id).toBe('6001');
    }, url);
  });

  it('refuses a database that holds data: the entries it writes could never be removed', async () => {
    const copy = await databaseCopy('audit_bench');
    try {
      const run = await bench(copy.url, ['--years=1', '--per-year=100', '--runs=1']);
      expect(run.code).toBe(1);
      expect(run.output).toContain('This database holds data');
      const [{ n }] = (
        await withClient(
          (c) => c.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE actor_label = 'P2V' AND action = 'VISIT_BOOKED'`),
          copy.url,
        )
      ).rows;
      expect(n).toBe('0');
    } finally {
      await copy.drop();
    }
  });
});
