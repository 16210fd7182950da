import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCpuCgroup, limitCpu, quotaFiles } from './cpu-quota';

/** A cgroup file system laid out as the kernel mounts it, in a temporary directory. */
function fakeCgroups(layout: 'v1' | 'v2' | 'v2-without-cpu' | 'none'): string {
  const base = mkdtempSync(join(tmpdir(), 'p2v-cgroup-'));
  if (layout === 'v1') {
    mkdirSync(join(base, 'cpu'));
    writeFileSync(join(base, 'cpu', 'cpu.cfs_quota_us'), '-1\n');
  }
  if (layout.startsWith('v2'))
    writeFileSync(join(base, 'cgroup.subtree_control'), layout === 'v2' ? 'cpuset cpu io memory pids\n' : 'memory pids\n');
  return base;
}

describe('the benchmark’s CPU budget per instance (a cgroup, as a container’s CPU limit)', () => {
  it('writes the quota as cgroup v2 and v1 expect it, per 100 ms period', () => {
    expect(quotaFiles('v2', 0.4)).toEqual([['cpu.max', '40000 100000']]);
    expect(quotaFiles('v1', 1.5)).toEqual([
      ['cpu.cfs_period_us', '100000'],
      ['cpu.cfs_quota_us', '150000'],
    ]);
    expect(() => quotaFiles('v2', 0)).toThrow('between 0 and 64 cores');
    expect(() => quotaFiles('v1', Number.NaN)).toThrow('between 0 and 64 cores');
  });

  it('finds the CPU controller: v2 when it offers cpu, else v1, else none', () => {
    const v2 = fakeCgroups('v2');
    expect(findCpuCgroup(v2)).toEqual({ kind: 'v2', root: v2 });
    const v1 = fakeCgroups('v1');
    expect(findCpuCgroup(v1)).toEqual({ kind: 'v1', root: join(v1, 'cpu') });
    expect(findCpuCgroup(fakeCgroups('v2-without-cpu'))).toBeNull();
    expect(findCpuCgroup(fakeCgroups('none'))).toBeNull();
  });

  it('puts the process in a cgroup of its own with the quota', () => {
    const base = fakeCgroups('v1');
    const fs = findCpuCgroup(base)!;
    const release = limitCpu(fs, 4242, 0.4);
    const dir = join(base, 'cpu', 'p2v-bench-4242');
    expect(readFileSync(join(dir, 'cpu.cfs_quota_us'), 'utf8')).toBe('40000');
    expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8')).toBe('4242');
    // A real cgroup's files vanish with it; a directory that cannot be removed is left, without failing the run.
    expect(() => release()).not.toThrow();
    expect(existsSync(dir)).toBe(true);
  });
});
