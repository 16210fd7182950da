import { auditGrowthTable, type AuditStep } from './audit-growth';
import { percentile } from './types';

describe('the audit log growth benchmark (npm run bench:audit)', () => {
  it('takes percentiles of sorted samples by nearest rank', () => {
    const samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([], 95)).toBe(0);
  });

  it('writes one row a step, with a column for every index any step has', () => {
    const step = (years: number, indexesMb: Record<string, number>): AuditStep => ({
      years,
      entries: years * 8_000_000,
      tableMb: years * 3_100,
      indexesMb,
      append: { p50: 0.84, p95: 1.6 },
      connections: { p50: 0.21, p95: 12.5 },
      connectionsPerFamily: 31.6,
      verifyPerSecond: 41_234.6,
    });
    const table = auditGrowthTable([step(1, { audit_log_pkey: 171 }), step(3, { audit_log_pkey: 514, audit_log_hash_key: 2_410 })]);
    expect(table.split('\n')).toEqual([
      '| years | entries | table MB | audit_log_hash_key MB | audit_log_pkey MB | entry written p50 / p95 ms | a family’s connections p50 / p95 ms (entries) | verified entries / s |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      '| 1 | 8 000 000 | 3 100 | 0 | 171 | 0.84 / 1.60 | 0.21 / 13 (32) | 41 235 |',
      '| 3 | 24 000 000 | 9 300 | 2 410 | 514 | 0.84 / 1.60 | 0.21 / 13 (32) | 41 235 |',
    ]);
  });
});
