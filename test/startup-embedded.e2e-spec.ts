import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { page } from './helpers/html';
import { freePort, spawnNode, waitFor } from './helpers/processes';

/** The demo command's path: no DATABASE_URL, a new data folder (initdb), migrations, demo data. Embedded pass only. */
describe('start-up on the embedded database (no DATABASE_URL)', () => {
  let dir: string;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('creates its data folder, migrates, seeds and serves the sign-in redirect', async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2v-embedded-'));
    const port = await freePort();
    const proc = spawnNode('dist/src/main.js', [], { PATH: process.env.PATH, PORT: String(port), P2V_DATA_DIR: dir, LOG_LEVEL: 'info' });
    try {
      const url = `http://localhost:${port}`;
      await waitFor('embedded start', async () => ((await request(url).get('/health')).status === 200 ? true : undefined), 120000, proc);
      expect(proc.output()).toContain('"database":"embedded"');
      const signIn = await request(url).get('/connexion').expect(302);
      expect(signIn.headers.location).toContain(`${url}/demo-idp/auth?`);
      const res = await request(url).get('/').expect(200);
      expect(page(res).text('demo-notice')).toMatch(/^Démonstration : les données sont fictives/);
    } finally {
      await proc.stop();
    }
  });
});
