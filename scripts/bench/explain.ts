/**
 * Every statement P2V ran for the benchmark's requests (the captured SQL), planned by PostgreSQL
 * (EXPLAIN, never run) on the dataset measured: a sequential scan of a table of more than
 * `LARGE_TABLE_ROWS` rows is reported (and fails the benchmark's goals): the index that avoids it
 * belongs in a migration.
 */
import type { Client } from 'pg';
import type { CapturedRequest } from './types';

export const LARGE_TABLE_ROWS = 10_000;

export interface SeqScan {
  scenario: string;
  table: string;
  rows: number;
  sql: string;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, out: string[]): string[] {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) out.push(node['Relation Name']);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

export async function explainCaptured(db: Client, captures: CapturedRequest[]): Promise<SeqScan[]> {
  const sizes = new Map(
    (
      await db.query<{ name: string; rows: number }>(
        `SELECT relname AS name, reltuples::bigint AS rows FROM pg_class WHERE relkind IN ('r', 'p')`,
      )
    ).rows.map((r) => [r.name, Number(r.rows)]),
  );
  const found = new Map<string, SeqScan>();
  for (const c of captures) {
    for (const s of c.statements) {
      if (!/^\s*(SELECT|WITH|UPDATE|DELETE|INSERT)\b/i.test(s.sql) || /pg_advisory_xact_lock/.test(s.sql)) continue;
      const plan = (await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${s.sql}`, s.params)).rows[0][
        'QUERY PLAN'
      ][0].Plan;
      for (const table of seqScans(plan, [])) {
        const rows = sizes.get(table) ?? 0;
        const sql = s.sql.replace(/\s+/g, ' ').trim();
        if (rows > LARGE_TABLE_ROWS) found.set(`${table}|${sql}`, { scenario: c.scenario, table, rows, sql });
      }
    }
  }
  return [...found.values()];
}
