import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export { freePort } from '../../scripts/free-port';

export interface Spawned {
  child: ChildProcess;
  /** Where a detached process writes its output. */
  logFile?: string;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts a Node script of the project. `detached`: the process outlives the test file that starts
 * it (the worker's shared app): its output goes to a log file in the temporary folder, not to a pipe
 * of the file.
 */
export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv, opts: { detached?: boolean } = {}): Spawned {
  if (opts.detached) {
    const log = join(tmpdir(), `p2v-${basename(script, '.js')}-${process.pid}-${Date.now()}.log`);
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    child.unref();
    return { ...handle(child, () => (existsSync(log) ? readFileSync(log, 'utf8') : '')), logFile: log };
  }
  const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return handle(child, () => out);
}

function handle(child: ChildProcess, output: () => string): Spawned {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Runs a node script to completion and returns its exit code and output. */
export async function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const p = spawnNode(script, args, env);
  const code = await p.exited;
  return { code, output: p.output() };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90000, proc?: Spawned): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${what}: process exited with ${proc.child.exitCode}\n${proc.output()}`);
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`${what}: timed out\n${proc?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
