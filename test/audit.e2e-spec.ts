import { query, testDatabaseUrl, withClient } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { runNode } from './helpers/processes';
import { FAMILY, signIn } from './helpers/sign-in';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await signIn(app.url, FAMILY.lea); // one more audited change after the demo data
});
afterAll(async () => {
  await app?.stop();
});

const verify = () => runNode('dist/scripts/audit-verify.js', [], { PATH: process.env.PATH, DATABASE_URL: testDatabaseUrl() });

describe('audit log', () => {
  it('records who, what, which entity, with a hash chain from the first row', async () => {
    const rows = await query(`SELECT id, actor_type, action, entity_type, prev_hash, hash FROM audit_log ORDER BY id`);
    expect(rows.length).toBeGreaterThan(50);
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(rows.slice(-2)).toMatchObject([
      { actor_type: 'FAMILY', action: 'FAMILY_ACCOUNT_CREATED', entity_type: 'family_account' },
      { actor_type: 'FAMILY', action: 'FAMILY_SIGNED_IN', entity_type: 'family_account' },
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(query(`UPDATE audit_log SET action = 'X' WHERE id = (SELECT min(id) FROM audit_log)`)).rejects.toThrow(/append-only/);
    await expect(query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('`npm run audit:verify` passes on an intact chain and fails, naming the row, on a tampered one', async () => {
    const ok = await verify();
    expect(ok.output).toMatch(/Audit chain intact: \d+ entries/);
    expect(ok.code).toBe(0);

    // Someone with direct database access disables the protection and rewrites history.
    const [target] = await query(`SELECT id FROM audit_log ORDER BY id OFFSET 10 LIMIT 1`);
    await withClient(async (c) => {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await c.query(`UPDATE audit_log SET after = '{"tampered": true}' WHERE id = $1`, [target.id]);
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
      await c.query('COMMIT');
    });
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(`Audit chain BROKEN at entry ${target.id}: content does not match its hash (row modified)`);
  });

  it('detects a deleted row too', async () => {
    // Restore a clean chain by checking from the tampered row on is not possible: use a fresh copy.
    const [{ id }] = await query(`SELECT max(id) - 2 AS id FROM audit_log`);
    await withClient(async (c) => {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      await c.query(`DELETE FROM audit_log WHERE id <= $1 AND id > 12`, [id]);
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
      await c.query('COMMIT');
    });
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/BROKEN at entry \d+/);
  });
});
