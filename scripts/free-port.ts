/**
 * A free TCP port for a server about to be started by a test or the benchmark (the app, the embedded
 * database, a proxy). Shared by test/helpers/processes.ts and scripts/bench/run.ts.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

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
