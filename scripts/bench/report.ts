import type { ProfileSummary } from './profile';
/** The goals of issue #15 and the report of `npm run bench` (docs/benchmarks.md). */
import { LARGE_TABLE_ROWS, type SeqScan } from './explain';
import type { LoadResult } from './types';

export const GOALS = {
  /** P2V's throughput as a share of the baseline's, at least. */
  baselineRatio: 0.4,
  /** National p95 latency as a multiple of the 1 %-scale p95, at most. */
  growth: 1.5,
  memoryMb: 400,
} as const;

export interface ScenarioResult {
  scenario: string;
  title: string;
  connections: number;
  database: string;
  p2v: LoadResult;
  baseline: LoadResult | null;
  memoryMb: number;
  checks: Record<string, number>;
}

export interface BenchReport {
  at: string;
  machine: string;
  goals: typeof GOALS;
  results: ScenarioResult[];
  smallResults: ScenarioResult[];
  /** Sequential scans of large tables in the plans of the captured SQL (national dataset). */
  seqScans: SeqScan[];
  /** The same scenarios on one instance, then two, behind a round-robin proxy (national dataset). */
  scaleOut?: ScaleOut;
  /** Where each scenario's time goes (`--profile`). */
  profiles?: { scenario: string; title: string; summary: ProfileSummary }[];
}

export interface ScaleOut {
  /**
   * Each instance's CPU budget in cores (a cgroup, as a container's limit), the same with one instance
   * and with two; null when the machine gives none (then `one` is the main run, without the proxy).
   */
  cpuPerInstance: number | null;
  one: ScenarioResult[];
  two: ScenarioResult[];
}

export function ratio(r: ScenarioResult): number | null {
  return r.baseline && r.baseline.throughput > 0 ? r.p2v.throughput / r.baseline.throughput : null;
}

export function growth(report: BenchReport, r: ScenarioResult): number | null {
  const small = report.smallResults.find((s) => s.scenario === r.scenario);
  return small && small.p2v.p95 > 0 ? r.p2v.p95 / small.p2v.p95 : null;
}

/** Throughput on two instances over throughput on one (each with the same CPU budget). */
export function scaleOutGain(report: BenchReport, r: ScenarioResult): number | null {
  const one = report.scaleOut?.one.find((s) => s.scenario === r.scenario);
  const two = report.scaleOut?.two.find((s) => s.scenario === r.scenario);
  return one && two && one.p2v.throughput > 0 ? two.p2v.throughput / one.p2v.throughput : null;
}

export function goalsMissed(report: BenchReport): string[] {
  const missed: string[] = [];
  for (const r of report.results) {
    const q = ratio(r);
    if (q !== null && q < GOALS.baselineRatio)
      missed.push(`${r.scenario}: ${pct(q)} of the baseline's throughput (goal ${pct(GOALS.baselineRatio)})`);
    const g = growth(report, r);
    if (g !== null && g > GOALS.growth) missed.push(`${r.scenario}: national p95 ${g.toFixed(2)} × the 1 % p95 (goal ≤ ${GOALS.growth})`);
    if (r.p2v.errors > 0) missed.push(`${r.scenario}: ${r.p2v.errors} errors`);
    // A baseline that fails does less than P2V: its throughput is no measure to compare with.
    if (r.baseline && r.baseline.errors > 0) missed.push(`${r.scenario}: the baseline answered ${r.baseline.errors} errors`);
    if (r.memoryMb > GOALS.memoryMb) missed.push(`${r.scenario}: ${r.memoryMb} MB (goal < ${GOALS.memoryMb})`);
    for (const [name, value] of Object.entries(r.checks)) if (value !== 0) missed.push(`${r.scenario}: ${name} = ${value}`);
    const gain = scaleOutGain(report, r);
    if (gain !== null && gain <= 1) missed.push(`${r.scenario}: two instances serve ${gain.toFixed(2)} × what one does (goal: more)`);
  }
  const scaled = report.scaleOut;
  for (const [runs, where] of [
    [scaled?.cpuPerInstance ? scaled.one : [], 'on one instance with a CPU budget'],
    [scaled?.two ?? [], 'on two instances'],
  ] as const) {
    for (const r of runs) {
      if (r.p2v.errors > 0) missed.push(`${r.scenario} ${where}: ${r.p2v.errors} errors`);
      for (const [name, value] of Object.entries(r.checks)) if (value !== 0) missed.push(`${r.scenario} ${where}: ${name} = ${value}`);
    }
  }
  for (const s of report.seqScans)
    missed.push(`${s.scenario}: sequential scan of ${s.table} (${n0(s.rows)} rows) in ${s.sql.slice(0, 120)}…`);
  return missed;
}

const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toString());
const latency = (l: LoadResult) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}`;
const pct = (x: number) => `${Math.round(x * 100)} %`;
/** A number rounded, its thousands apart: « 12 382 ». */
export const n0 = (x: number) => Math.round(x).toLocaleString('en').replace(/,/g, ' ');

/** The results table (docs/benchmarks.md and the README's « Performance »). */
export function markdownTable(report: BenchReport): string {
  const rows = report.results.map((r) => {
    const q = ratio(r);
    const g = growth(report, r);
    return [
      `${r.scenario}: ${r.title}`,
      n0(r.p2v.throughput),
      r.baseline ? n0(r.baseline.throughput) : '—',
      q === null ? '—' : pct(q),
      latency(r.p2v),
      r.baseline ? latency(r.baseline) : '—',
      g === null ? '—' : `${g.toFixed(2)} ×`,
      (() => {
        const gain = scaleOutGain(report, r);
        return gain === null ? '—' : `${gain.toFixed(2)} ×`;
      })(),
      String(r.p2v.errors),
      String(r.memoryMb),
    ].join(' | ');
  });
  return `| scenario | P2V req/s | baseline req/s | ratio | P2V latency | baseline latency | growth | 2 instances | errors | memory |
|---|---|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r} |`).join('\n')}`;
}

function scaleOutBudget(report: BenchReport): string {
  const cores = report.scaleOut?.cpuPerInstance;
  return cores
    ? `, each instance limited to ${cores} of a core (a cgroup, as a container's CPU limit in production; the
rest of the machine runs PostgreSQL, the proxy and the load)`
    : ', without a CPU budget (the machine gave no writable cgroup): on a machine of few cores the instances share the cores PostgreSQL and the load need too';
}

/** One instance against two, scenario by scenario (the one-instance run of the table is without budget). */
function scaleOutSection(report: BenchReport): string {
  const scaled = report.scaleOut;
  if (!scaled?.two.length) return '';
  const rows = scaled.two.map((two) => {
    const one = scaled.one.find((o) => o.scenario === two.scenario);
    const gain = one && one.p2v.throughput > 0 ? `${(two.p2v.throughput / one.p2v.throughput).toFixed(2)} ×` : '—';
    return [
      two.scenario,
      one ? n0(one.p2v.throughput) : '—',
      n0(two.p2v.throughput),
      gain,
      one ? latency(one.p2v) : '—',
      latency(two.p2v),
      `${one?.p2v.errors ?? '—'} / ${two.p2v.errors}`,
      `${one?.memoryMb ?? '—'} / ${two.memoryMb}`,
    ].join(' | ');
  });
  return `
## Scale-out

${scaled.cpuPerInstance ? `Each instance limited to ${scaled.cpuPerInstance} of a core, with one instance and with two.` : 'No CPU budget: one instance is the run above.'} Memory: the larger instance's peak.

| scenario | 1 instance req/s | 2 instances req/s | gain | 1 instance latency | 2 instances latency | errors (1 / 2) | memory MB (1 / 2) |
|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r} |`).join('\n')}
`;
}

export function markdownReport(report: BenchReport): string {
  const missed = goalsMissed(report);
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench/run.ts) on ${report.at.slice(0, 10)}; the same numbers are in
docs/benchmarks.json. Machine: ${report.machine}. How to run it again: README, « Performance ».

P2V runs as the Dockerfile starts it (its Node flags, for the memory: a young generation of 16 MB a half, an old generation bounded at 2,000 MB, no pretenuring).
Each scenario goes through P2V's whole HTTP stack (sessions signed in, CSRF on forms, templates,
access logs) on the national dataset (\`npm run data:national\`, scale 1), driven by autocannon from a
process of its own, after a warm-up. The **baseline** is a bare \`node:http\` server with a \`pg\` pool
that runs, for the same request, the same SQL as P2V (recorded from P2V itself with
SQL_CAPTURE_FILE, the session read included) and answers a minimal page: the ratio is what the
framework, validation, ORM and templates cost. A booking's statements depend on what they find (the
slot full, the week's quota reached): its baseline is written by hand (scripts/bench/baseline-booking.ts),
the same statements in the same transaction, the same rows written, the same answers (303, or 409 with
the SQL of the booking page P2V shows again, recorded from P2V); the
two runs book one after the other, so the baseline finds the slots P2V filled (the statuses of each run
are in docs/benchmarks.json). **Growth** is the national p95 divided by the p95 of the
same scenario on the 1 % dataset (the same 190 establishments, the largest 2 at full size and the
others at 1 % of theirs: a list of establishments has the same rows at both scales, and the busiest
establishment-day is the same). **2 instances**: the throughput of two P2V instances on the same
database behind a round-robin proxy (each connection to the next instance, the sessions shared in
PostgreSQL), over one instance's behind the same proxy${scaleOutBudget(report)} (below, « Scale-out »).
Latencies in ms (p50 / p95 / p99); memory: P2V's peak resident memory during the run, in MB.

Goals (issue #15): throughput at least ${pct(GOALS.baselineRatio)} of the baseline's; national p95 at most
${GOALS.growth} × the 1 % p95; more throughput on two instances than on one; no errors (on one instance
or two, and none from the baseline, whose throughput would then measure less work); no overbooking; memory under ${GOALS.memoryMb} MB.

${markdownTable(report)}
${scaleOutSection(report)}
Every statement of these requests was planned (EXPLAIN) on the national dataset: ${
    report.seqScans.length === 0
      ? `no sequential scan of a table of more than ${n0(LARGE_TABLE_ROWS)} rows.`
      : `${report.seqScans.length} sequential scan(s) of a large table (below).`
  }

${missed.length ? `**Goals missed:**\n\n${missed.map((m) => `- ${m}`).join('\n')}\n` : '**Every goal is met.**\n'}`;
}
