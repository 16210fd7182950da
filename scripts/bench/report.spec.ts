import { type BenchReport, GOALS, goalsMissed, type ScenarioResult } from './report';
import type { LoadResult } from './types';

const load = (throughput: number, statuses: Record<string, number>, errors = 0): LoadResult => ({
  requests: throughput * 10,
  seconds: 10,
  throughput,
  p50: 10,
  p95: 20,
  p99: 30,
  statuses,
  errors,
});

const result = (scenario: string, p2v: LoadResult, baseline: LoadResult): ScenarioResult => ({
  scenario,
  title: scenario,
  connections: 10,
  database: 'national',
  p2v,
  baseline,
  memoryMb: 250,
  checks: {},
});

const report = (results: ScenarioResult[]): BenchReport => ({
  at: '2026-11-25T07:00:00Z',
  machine: '2 cores',
  goals: GOALS,
  results,
  smallResults: [],
  seqScans: [],
});

describe('the benchmark’s goals (docs/benchmarks.md)', () => {
  it('are missed when the baseline answers errors, however fast it was: it did less than P2V', () => {
    const failing = result('check-in', load(124, { 303: 1240 }), load(212, { 500: 2120 }, 2120));
    const fine = result('family-requests', load(620, { 200: 6200 }), load(1231, { 200: 12310 }));
    expect(goalsMissed(report([failing, fine]))).toEqual(['check-in: the baseline answered 2120 errors']);
  });

  it('are missed below 40 % of the baseline’s throughput, and met from it', () => {
    expect(goalsMissed(report([result('family-requests', load(350, { 200: 3500 }), load(1000, { 200: 10000 }))]))).toEqual([
      "family-requests: 35 % of the baseline's throughput (goal 40 %)",
    ]);
    expect(goalsMissed(report([result('family-requests', load(400, { 200: 4000 }), load(1000, { 200: 10000 }))]))).toEqual([]);
  });
});
