import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, freePort, spawnNode, Spawned } from './processes';

declare global {
  // eslint-disable-next-line no-var
  var __P2V_EMBEDDED__: Spawned | undefined;
}

/** Without DATABASE_URL the e2e tests use one embedded PGlite server (data kept in .data/test-pglite). */
export default async function globalSetup() {
  if (process.env.DATABASE_URL) return;
  const dir = join(ROOT, '.data', 'test-pglite');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const proc = spawnNode('dist/src/database/embedded-server.js', [dir, String(port)], { ...process.env });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`embedded database did not start:\n${proc.output()}`)), 120000);
    proc.child.stdout!.on('data', () => {
      const m = /ready (\S+)/.exec(proc.output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.exited.then((code) => reject(new Error(`embedded database exited (${code}):\n${proc.output()}`)));
  });
  process.env.P2V_TEST_EMBEDDED_URL = url;
  globalThis.__P2V_EMBEDDED__ = proc;
}
