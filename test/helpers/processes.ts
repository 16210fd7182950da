import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Listens on `port` (0: any) and closes again; the port it got, or null when it is taken. */
function tryPort(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve(null) : reject(e)));
    s.listen(port, '127.0.0.1', () => {
      const got = (s.address() as { port: number }).port;
      s.close(() => resolve(got));
    });
  });
}

/** The lowest port the kernel hands out to `listen(0)` and to outgoing connections (Linux: ip_local_port_range). */
function ephemeralFloor(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

/**
 * A free port for a server a test starts (the app, the embedded database, a proxy), chosen below the
 * ephemeral range. A port from `listen(0)` is closed again before the server takes it, and meanwhile the
 * kernel may hand it to anything binding port 0 or connecting out: once the app's own demo SMTP server got
 * the HTTP port chosen for it (EADDRINUSE). Ports below the range are never handed out that way.
 */
export async function freePort(): Promise<number> {
  const low = 10_000;
  const high = ephemeralFloor();
  for (let i = 0; high > low && i < 50; i++) {
    const port = await tryPort(low + Math.floor(Math.random() * (high - low)));
    if (port !== null) return port;
  }
  const any = await tryPort(0);
  if (any === null) throw new Error('No free port');
  return any;
}

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
