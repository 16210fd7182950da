/**
 * A CPU budget for one process, as a container's CPU limit gives each instance in production: a cgroup
 * of its own with a CFS quota (cgroup v2 `cpu.max`, or v1 `cpu.cfs_quota_us`). The benchmark's
 * scale-out run gives each P2V instance the same budget, with one instance and with two: on a machine
 * of few cores, two instances without a budget only share the cores PostgreSQL and the load generator
 * need too, which measures the machine rather than whether P2V scales out.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The CFS period used, in microseconds (the kernel's default). */
const PERIOD_US = 100_000;

export interface CpuCgroupFs {
  kind: 'v1' | 'v2';
  /** The directory in which the budgets' cgroups are made. */
  root: string;
}

/**
 * Where a writable CPU controller is mounted under `base` (`/sys/fs/cgroup`): v2 when the unified
 * hierarchy offers `cpu` to its children, else v1's `cpu` hierarchy; null when neither can be used
 * (not root, or a container without them).
 */
export function findCpuCgroup(base = '/sys/fs/cgroup'): CpuCgroupFs | null {
  for (const unified of [base, join(base, 'unified')]) {
    const controllers = join(unified, 'cgroup.subtree_control');
    if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) return { kind: 'v2', root: unified };
  }
  if (existsSync(join(base, 'cpu', 'cpu.cfs_quota_us'))) return { kind: 'v1', root: join(base, 'cpu') };
  return null;
}

/** The files to write, in order, to limit a cgroup to `cores` (0.5: half of one core's time). */
export function quotaFiles(kind: CpuCgroupFs['kind'], cores: number): [string, string][] {
  if (!(cores > 0 && cores <= 64)) throw new Error(`A CPU budget is between 0 and 64 cores (got ${cores})`);
  const quota = String(Math.round(cores * PERIOD_US));
  return kind === 'v2'
    ? [['cpu.max', `${quota} ${PERIOD_US}`]]
    : [
        ['cpu.cfs_period_us', String(PERIOD_US)],
        ['cpu.cfs_quota_us', quota],
      ];
}

/**
 * Puts process `pid` (all its threads) in a new cgroup limited to `cores`; the returned function
 * removes the cgroup once the process has exited.
 */
export function limitCpu(fs: CpuCgroupFs, pid: number, cores: number): () => void {
  const dir = join(fs.root, `p2v-bench-${pid}`);
  mkdirSync(dir);
  for (const [file, value] of quotaFiles(fs.kind, cores)) writeFileSync(join(dir, file), value);
  writeFileSync(join(dir, 'cgroup.procs'), String(pid));
  return () => {
    try {
      rmdirSync(dir);
    } catch {
      /* still has a process, or already gone: the kernel frees an empty cgroup's directory on reboot */
    }
  };
}
