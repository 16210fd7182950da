import { unique } from './factories/people';
import { databaseCopy, query, testDatabaseUrl, withClient } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { runNode } from './helpers/processes';
import { signInFamily } from './helpers/sign-in';

let app: TestApp;
const family = {
  givenName: 'Łucja',
  familyName: 'Nguyễn-Şahin',
  birthdate: '1991-07-23',
  email: `${unique('audit-').toLowerCase()}@example.fr`,
};
beforeAll(async () => {
  app = await startTestApp();
  await signInFamily(app.url, family); // one more audited change after the demo data: a new account
});
afterAll(async () => {
  await app?.stop();
});

const verify = (url: string) => runNode('dist/scripts/audit-verify.js', [], { PATH: process.env.PATH, DATABASE_URL: url });

/** Someone with direct database access disables the protection and rewrites history. */
async function tamper(url: string, sql: string, params: unknown[]) {
  await withClient(async (c) => {
    await c.query('BEGIN');
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await c.query(sql, params);
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    await c.query('COMMIT');
  }, url);
}

interface AuditRow {
  id: string;
  actorType: string;
  actorLabel: string | null;
  action: string;
  entityType: string;
  prevHash: string;
  hash: string;
}

describe('audit log', () => {
  it('records who, what, which entity, with a hash chain from the first row', async () => {
    const rows = await query<AuditRow>(
      `SELECT id, actor_type AS "actorType", actor_label AS "actorLabel", action, entity_type AS "entityType", prev_hash AS "prevHash", hash
         FROM audit_log ORDER BY id`,
    );
    expect(rows.length).toBeGreaterThan(50);
    expect(rows[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(rows.slice(-2)).toMatchObject([
      { actorType: 'FAMILY', actorLabel: 'Łucja Nguyễn-Şahin', action: 'FAMILY_ACCOUNT_CREATED', entityType: 'family_account' },
      { actorType: 'FAMILY', actorLabel: 'Łucja Nguyễn-Şahin', action: 'FAMILY_SIGNED_IN', entityType: 'family_account' },
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(query(`UPDATE audit_log SET action = 'X' WHERE id = (SELECT min(id) FROM audit_log)`)).rejects.toThrow(/append-only/);
    await expect(query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('refuses an entry the application did not sign, or one that does not extend the chain head', async () => {
    await expect(query(`INSERT INTO audit_log (actor_type, action, entity_type) VALUES ('SYSTEM', 'FORGED', 'test')`)).rejects.toThrow(
      /signed by the application/,
    );
    const [head] = await query<{ id: string; hash: string }>(`SELECT id::text AS id, hash FROM audit_log ORDER BY id DESC LIMIT 1`);
    await expect(
      query(
        `INSERT INTO audit_log (id, occurred_at, actor_type, action, entity_type, prev_hash, hash)
         VALUES ($1, now(), 'SYSTEM', 'FORGED', 'test', $2, $3)`,
        [head.id, '0'.repeat(64), 'f'.repeat(64)],
      ),
    ).rejects.toThrow(/does not extend the chain head/);
  });

  it('keeps one unbroken chain when many requests write entries at the same time', async () => {
    const [{ head }] = await query<{ head: string }>(`SELECT max(id)::text AS head FROM audit_log`);
    // From the head before: the first entry written must extend it.
    // Twelve families signing in at once: an account created and a sign-in each, every entry under the chain's lock.
    const names = ['Łukasz', 'Şükrü', 'Nguyễn', 'عائشة', 'Zoë', 'Ørjan', 'Ilkay', 'Małgorzata', 'Thảo', 'Yağmur', 'Jürgen', 'محمد'];
    await Promise.all(
      names.map((givenName, i) =>
        signInFamily(app.url, {
          givenName,
          familyName: 'Kowalczyk-Đặng',
          birthdate: `1980-01-${String(i + 10)}`,
          email: `${unique('audit-burst-').toLowerCase()}@example.fr`,
        }),
      ),
    );
    const rows = await query<AuditRow>(
      `SELECT id, action, actor_label AS "actorLabel", prev_hash AS "prevHash", hash FROM audit_log WHERE id >= $1 ORDER BY id`,
      [head],
    );
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    const written = rows.filter((r) => BigInt(r.id) > BigInt(head));
    const created = written.filter((r) => r.action === 'FAMILY_ACCOUNT_CREATED').map((r) => r.actorLabel);
    expect(created.sort()).toEqual(names.map((n) => `${n} Kowalczyk-Đặng`).sort());
    expect(written.filter((r) => r.action === 'FAMILY_SIGNED_IN')).toHaveLength(names.length);
    const ok = await verify(testDatabaseUrl());
    expect(ok.code).toBe(0);
  });

  it('`npm run audit:verify` passes on an intact chain and fails, naming the row, on a tampered one', async () => {
    // The app's own database: the demo data and what the app wrote since it started.
    const ok = await verify(testDatabaseUrl());
    expect(ok.output).toMatch(/Audit chain intact: \d+ entries/);
    expect(ok.code).toBe(0);

    const [target] = await query<{ id: string }>(`SELECT id FROM audit_log ORDER BY id OFFSET 10 LIMIT 1`);
    await tamper(testDatabaseUrl(), `UPDATE audit_log SET after = '{"tampered": true}' WHERE id = $1`, [target.id]);
    const broken = await verify(testDatabaseUrl());
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(
      `Audit chain BROKEN at entry ${target.id}: its HMAC does not match (row modified, or the chain recomputed without the key)`,
    );
  });

  it('detects a deleted row too', async () => {
    // An intact chain of its own (a copy of the seeded database), so that only the deletion breaks it.
    const copy = await databaseCopy('audit_deleted');
    try {
      const [{ first, last }] = await withClient(
        async (c) =>
          (
            await c.query<{ first: string; last: string }>(
              `SELECT (min(id) + 12)::text AS first, (max(id) - 2)::text AS last FROM audit_log`,
            )
          ).rows,
        copy.url,
      );
      await tamper(copy.url, `DELETE FROM audit_log WHERE id <= $1 AND id > $2`, [last, first]);
      const broken = await verify(copy.url);
      expect(broken.code).toBe(1);
      expect(broken.output).toMatch(/BROKEN at entry \d+: prev_hash does not match the previous row \(row removed or inserted\)/);
    } finally {
      await copy.drop();
    }
  });
});
