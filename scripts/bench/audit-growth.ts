/**
 * `npm run bench:audit`: the audit log at the sizes years of use give it (docs/growth.md, decision 4), on a
 * database of its own, since its audit_log is filled with entries nobody wrote:
 *
 *   createdb p2v_audit && DATABASE_URL=postgres://…/p2v_audit npm run bench:audit -- --years=1,3,10
 *
 * DATABASE_URL must name a new, empty database: the entries written there can never be deleted (the
 * triggers refuse it) and their chain does not verify. It is migrated, then audit_log grows to each step,
 * 8 million entries a year (docs/growth.md: 2 per booking, 1 per visitor checked in, 1 per decision or
 * change), written by INSERT … SELECT in batches, each in a transaction that turns the triggers off and on
 * again around it (the entries are not chained: what is measured is sizes and speeds, not the chain). Each
 * step ends with a VACUUM ANALYZE (autovacuum's work on a real database), then measures:
 * - the table's and its indexes' sizes;
 * - an entry written as AuditService.record writes it in the transaction of a change (the chain's lock,
 *   audit_log_next, its HMAC, the INSERT and its trigger), p50 / p95 over 300;
 * - a family's connections (« Mes données », connectionsOf), p50 / p95 over 300 families;
 * - audit:verify's work per entry (its batch read and one HMAC), in entries a second over 200,000 entries.
 * Prints a Markdown table. The database is left as it is: drop it after.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { AuditService, auditHmac, auditKey, VERIFY_BATCH_SQL } from '../../src/common/audit.service';
import { connectionsOf } from '../../src/my-data/my-data.queries';
import { withDataSource } from '../cli-data-source';
import { n0 } from './report';
import { percentile } from './types';

/** Entries a year: docs/growth.md. */
export const ENTRIES_PER_YEAR = 8_000_000;
/** Families whose sign-ins and exports the log holds (the national dataset's visitors with an account). */
const FAMILIES = 250_000;
const BATCH = 500_000;

export interface AuditStep {
  years: number;
  entries: number;
  tableMb: number;
  indexesMb: Record<string, number>;
  append: { p50: number; p95: number };
  connections: { p50: number; p95: number };
  /** How many entries a family's connections read found, on average. */
  connectionsPerFamily: number;
  verifyPerSecond: number;
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));

/** The steps as a Markdown table, one row a step. */
export function auditGrowthTable(steps: AuditStep[]): string {
  const indexes = [...new Set(steps.flatMap((s) => Object.keys(s.indexesMb)))].sort();
  const head = [
    'years',
    'entries',
    'table MB',
    ...indexes.map((i) => `${i} MB`),
    'entry written p50 / p95 ms',
    'a family’s connections p50 / p95 ms (entries)',
    'verified entries / s',
  ];
  const rows = steps.map((s) => [
    String(s.years),
    n0(s.entries),
    n0(s.tableMb),
    ...indexes.map((i) => n0(s.indexesMb[i] ?? 0)),
    `${ms(s.append.p50)} / ${ms(s.append.p95)}`,
    `${ms(s.connections.p50)} / ${ms(s.connections.p95)} (${Math.round(s.connectionsPerFamily)})`,
    n0(s.verifyPerSecond),
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/**
 * Entries `from + 1` to `to` of a log that started on `start`: one in five a family's sign-in or sign-out
 * (actor and entity the family's account; the families in turn, each signing in then out), the others an
 * agent's or the system's changes to visits (three entries a visit), across the 190 establishments.
 */
const FILL = `
  INSERT INTO audit_log (id, occurred_at, actor_type, actor_id, actor_label, action, entity_type, entity_id,
                         establishment_id, before, after, prev_hash, hash)
  SELECT g, $3::timestamptz + (g - 1) * $4::float8 * interval '1 second',
         CASE g % 5 WHEN 0 THEN 'FAMILY' WHEN 1 THEN 'SYSTEM' ELSE 'AGENT' END,
         CASE g % 5 WHEN 0 THEN md5('family' || g / 5 % ${FAMILIES})::uuid WHEN 1 THEN NULL ELSE md5('agent' || g % 20000)::uuid END,
         CASE g % 5 WHEN 0 THEN 'Famille ' || g / 5 % ${FAMILIES} WHEN 1 THEN 'P2V' ELSE 'Agent ' || g % 20000 END,
         CASE g % 5 WHEN 0 THEN (ARRAY['FAMILY_SIGNED_IN', 'FAMILY_SIGNED_OUT'])[1 + g / ${5 * FAMILIES} % 2]
                    ELSE (ARRAY['VISIT_BOOKED', 'VISITOR_CHECKED_IN', 'VISIT_CANCELLED', 'PERMIT_DECIDED'])[1 + g % 4] END,
         CASE g % 5 WHEN 0 THEN 'family_account' ELSE 'visit' END,
         CASE g % 5 WHEN 0 THEN md5('family' || g / 5 % ${FAMILIES})::uuid::text ELSE md5('visit' || g / 3)::uuid::text END,
         md5('establishment' || g % 190)::uuid,
         CASE WHEN g % 5 <> 0 AND g % 2 = 0 THEN '{"status": "BOOKED"}'::jsonb END,
         CASE WHEN g % 5 <> 0 THEN '{"status": "CHECKED_IN", "room": "Parloir 3", "visitors": 2}'::jsonb END,
         encode(sha256(int8send(g - 1)), 'hex'), encode(sha256(int8send(g)), 'hex')
    FROM generate_series($1::bigint + 1, $2::bigint) g`;

/** Fills audit_log from entry `from + 1` to `to`, `perYear` entries a year since `start`. */
export async function fill(ds: DataSource, from: number, to: number, start: Date, perYear: number): Promise<void> {
  for (let at = from; at < to; at += BATCH) {
    const end = Math.min(to, at + BATCH);
    // The triggers off for this batch only: a run stopped in the middle leaves them on (DDL is transactional).
    await ds.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
      await m.query(FILL, [at, end, start.toISOString(), (365.25 * 86400) / perYear]);
      await m.query(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
      // The next entry written the usual way (audit_log_next) follows the last one filled.
      await m.query(`SELECT setval('audit_log_id_seq', $1)`, [end]);
    });
    process.stderr.write(`\raudit_log: ${n0(end)} entries`);
  }
  process.stderr.write('\n');
  await ds.query(`VACUUM ANALYZE audit_log`);
}

async function timed(runs: number, run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(20, runs); i++) await run(runs + i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** The sizes and speeds of the audit log as it is (`runs` timed calls of each kind). */
export async function measure(ds: DataSource, years: number, runs: number): Promise<AuditStep> {
  const audit = new AuditService(ds);
  const [{ entries, tableMb }] = await ds.query<{ entries: string; tableMb: string }[]>(
    `SELECT (SELECT count(*) FROM audit_log) AS entries, pg_relation_size('audit_log') / 1048576 AS "tableMb"`,
  );
  const indexRows = await ds.query<{ name: string; mb: string }[]>(
    `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) / 1048576 AS mb FROM pg_index WHERE indrelid = 'audit_log'::regclass`,
  );
  // A visitor checked in: one entry in its change's transaction, the way every decision writes its own.
  const append = await timed(runs, (i) =>
    ds.transaction((m) =>
      audit.record(
        {
          actor: { type: 'AGENT', id: '00000000-0000-4000-8000-000000000001', label: 'Agent du parloir' },
          action: 'VISITOR_CHECKED_IN',
          entityType: 'visit',
          entityId: `bench-${years}-${i}`,
          establishmentId: '00000000-0000-4000-8000-000000000002',
          before: { status: 'BOOKED' },
          after: { status: 'CHECKED_IN' },
        },
        m,
      ),
    ),
  );
  const families = await ds.query<{ id: string }[]>(
    `SELECT md5('family' || n)::uuid::text AS id FROM generate_series(1, 320) n ORDER BY md5(n::text)`,
  );
  let found = 0;
  const connections = await timed(runs, async (i) => {
    const rows = await connectionsOf(ds.manager, families[i % families.length].id);
    if (i < runs) found += rows.length; // the timed calls, not the warm-up
  });
  // audit:verify's batch query and one HMAC an entry (verifyAuditChain), from a place in the middle of the log.
  const key = auditKey();
  const t = performance.now();
  let verified = 0;
  let lastId = String(Math.floor(Number(entries) / 2));
  while (verified < 200_000) {
    const rows = await ds.query<{ id: string; message: string }[]>(VERIFY_BATCH_SQL, [lastId, 5000]);
    if (rows.length === 0) break;
    for (const row of rows) auditHmac(key, row.message);
    verified += rows.length;
    lastId = rows[rows.length - 1].id;
  }
  const verifyPerSecond = verified / ((performance.now() - t) / 1000);
  return {
    years,
    entries: Number(entries),
    tableMb: Number(tableMb),
    indexesMb: Object.fromEntries(indexRows.map((r) => [r.name, Number(r.mb)])),
    append,
    connections,
    connectionsPerFamily: found / runs,
    verifyPerSecond,
  };
}

function option(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

if (require.main === module) {
  const steps = option('years', '1,3,10')
    .split(',')
    .map(Number)
    .filter((y) => y > 0)
    .sort((a, b) => a - b);
  // A smaller log for a quick look (and the test): --per-year=5000 --runs=20.
  const perYear = Number(option('per-year', String(ENTRIES_PER_YEAR)));
  const runs = Number(option('runs', '300'));
  // Never the embedded database withDataSource would otherwise open: the developer's own.
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL: a new, empty database of its own (createdb p2v_audit)');
  withDataSource(async (ds) => {
    await ds.runMigrations({ transaction: 'each' });
    const [{ head, used }] = await ds.query<{ head: string | null; used: boolean }[]>(
      `SELECT (SELECT max(id)::text FROM audit_log) AS head,
              EXISTS (SELECT 1 FROM establishments) OR EXISTS (SELECT 1 FROM family_accounts) AS used`,
    );
    if (used || Number(head ?? 0) > 1000)
      throw new Error('This database holds data: give the benchmark one of its own (createdb p2v_audit)');
    const start = new Date(Date.UTC(new Date().getUTCFullYear() - Math.max(...steps), 0, 1));
    const results: AuditStep[] = [];
    let written = Number(head ?? 0);
    for (const years of steps) {
      const target = years * perYear;
      await fill(ds, written, target, start, perYear);
      const step = await measure(ds, years, runs);
      results.push(step);
      written = Number((await ds.query<{ head: string }[]>(`SELECT max(id)::text AS head FROM audit_log`))[0].head);
      process.stderr.write(`${years} year(s): ${JSON.stringify(step)}\n`);
    }
    console.log(auditGrowthTable(results));
  });
}
