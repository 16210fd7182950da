import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, seedDatabase, serverUrl, TEMPLATE_DB } from './db';
import { ROOT, freePort, spawnNode, Spawned, waitFor } from './processes';
import { stopSharedApps } from './shared-apps';

declare global {
  var __P2V_EMBEDDED__: Spawned | undefined;
}

/**
 * On a PostgreSQL server: the template database every test file copies, migrated and seeded by the
 * app itself (one start). Without one: one embedded PGlite server for the run (data kept in
 * .data/test-pglite: its first start, initdb, takes seconds).
 */
export default async function globalSetup() {
  stopSharedApps();
  if (serverUrl()) {
    await seedDatabase(await createDatabase(TEMPLATE_DB));
    return;
  }
  const dir = join(ROOT, '.data', 'test-pglite');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const proc = spawnNode('dist/src/database/embedded-server.js', [dir, String(port)], { ...process.env });
  const url = await waitFor('embedded database', async () => /ready (\S+)/.exec(proc.output())?.[1], 120000, proc);
  process.env.P2V_TEST_EMBEDDED_URL = url;
  globalThis.__P2V_EMBEDDED__ = proc;
}
