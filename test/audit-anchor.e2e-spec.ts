import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { EntityManager } from 'typeorm';
import { insertAgent, insertDetainee, insertEstablishment, insertFamily, unique } from './factories/people';
import { insertPermit, insertRequestDocument } from './factories/permits';
import { databaseCopy, query, queryOne, withClient } from './helpers/db';
import { page } from './helpers/html';
import { binary, permitsApp } from './helpers/permits';
import { runNode } from './helpers/processes';
import { type Agent, follow, pathOf, signInAgent, signInFamilyThroughProvider } from './helpers/sign-in';

/* The built module, as the app runs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');

const suite = permitsApp();

const verify = (url: string, env: Record<string, string> = {}) =>
  runNode('dist/scripts/audit-verify.js', [], { PATH: process.env.PATH, DATABASE_URL: url, ...env });

interface Entry {
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  establishmentId: string | null;
  occurredAt: Date;
  after: Record<string, unknown> | null;
}
const ENTRY = `SELECT actor_type AS "actorType", actor_id AS "actorId", actor_label AS "actorLabel", action, entity_type AS "entityType",
  entity_id AS "entityId", establishment_id AS "establishmentId", occurred_at AS "occurredAt", after FROM audit_log`;

/** The newest entry of this action (the test's own: each test waits for its request to end). */
const latest = (action: string) => queryOne<Entry>(`${ENTRY} WHERE action = $1 ORDER BY id DESC LIMIT 1`, [action]);

/** Someone with direct database access: statements run with the append-only trigger disabled. */
async function asDatabaseOwner(url: string, sql: string) {
  await withClient(async (c) => {
    await c.query('BEGIN');
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await c.query(sql);
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    await c.query('COMMIT');
  }, url);
}

/**
 * Recomputes the chain as plain SHA-256 in SQL from entry `from` on (up to the entry before `upTo`,
 * which is then only relinked), as a database owner without the key could.
 */
const recomputePlainChainFrom = (from: string, upTo?: string) => `DO $$
  DECLARE r record; prev text;
  BEGIN
    SELECT hash INTO prev FROM audit_log WHERE id < ${BigInt(from)} ORDER BY id DESC LIMIT 1;
    prev := coalesce(prev, repeat('0', 64));
    FOR r IN SELECT id FROM audit_log WHERE id >= ${BigInt(from)} AND id < ${upTo ? BigInt(upTo) : 'id + 1'} ORDER BY id LOOP
      UPDATE audit_log SET prev_hash = prev WHERE id = r.id;
      UPDATE audit_log a SET hash = audit_log_row_hash(a) WHERE id = r.id RETURNING hash INTO prev;
    END LOOP;
    ${upTo ? `UPDATE audit_log SET prev_hash = prev WHERE id = ${BigInt(upTo)};` : ''}
  END $$`;

/** A sign-in through the demo provider as a typed identity, however it ends. */
async function typedSignIn(path: '/connexion' | '/agents/connexion', fields: Record<string, string>) {
  const http = request.agent(suite.app.url);
  const start = await http.get(path).expect(302);
  const { res: loginPage } = await follow(http, start.headers.location);
  const action = page(loginPage).$('form[data-testid="custom-identity"]').attr('action')!;
  const posted = await http
    .post(action)
    .type('form')
    .send({ custom: '1', ...fields });
  return (await follow(http, posted.headers.location)).res;
}

/** Signs out as a person would: the link, and the confirmation form if the app shows one. */
async function signOut(http: Agent) {
  const res = await http.get('/deconnexion');
  if (res.status !== 200) return res;
  const form = page(res).$('form[action="/deconnexion"]');
  return http
    .post('/deconnexion')
    .type('form')
    .send(page(res).formFields(form.attr('action')));
}

describe('staff reads are audited (issue #14)', () => {
  it('a staff read of a permit’s photo and of its PDF leaves an entry each: who, what, where, when', async () => {
    const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
    const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu' });
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const photo = await insertRequestDocument(suite.docs, null, 'PHOTO');
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Nguyễn-Şahin',
      photoDocumentId: photo.id,
    });
    const parloirRow = await insertAgent([{ establishmentId: establishment.id, role: 'PARLOIR_AGENT' }], {
      givenName: 'Thị Lan',
      usualName: 'Nguyễn',
    });
    const parloir = await signInAgent(suite.app.url, parloirRow);
    // The greffe prints the permit (the visiting room checks it on screen).
    const greffeRow = await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], {
      givenName: 'Ștefan',
      usualName: 'Popescu',
    });
    const greffe = await signInAgent(suite.app.url, greffeRow);
    const permits = `/etablissements/${establishment.code}/permis`;

    const before = new Date();
    await parloir.get(`${permits}/documents/${photo.id}`).expect(200).expect('Content-Type', 'image/jpeg');
    await greffe.get(`${permits}/${permit.id}/permis.pdf`).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
    const after = new Date();

    const reads = await query<Entry>(`${ENTRY} WHERE entity_id IN ($1, $2) AND action LIKE '%_READ' ORDER BY id`, [photo.id, permit.id]);
    expect(reads).toMatchObject([
      {
        actorType: 'AGENT',
        actorId: parloirRow.id,
        actorLabel: 'Thị Lan Nguyễn',
        action: 'PHOTO_READ',
        entityType: 'permit_document',
        entityId: photo.id,
        establishmentId: establishment.id,
        after: { kind: 'PHOTO' },
      },
      {
        actorType: 'AGENT',
        actorId: greffeRow.id,
        actorLabel: 'Ștefan Popescu',
        action: 'PERMIT_PDF_READ',
        entityType: 'permit',
        entityId: permit.id,
        establishmentId: establishment.id,
      },
    ]);
    for (const r of reads) {
      expect(r.occurredAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(r.occurredAt.getTime()).toBeLessThanOrEqual(after.getTime() + 1000);
    }

    // A document that is not there is not read: nothing recorded.
    const missing = randomUUID();
    await parloir.get(`${permits}/documents/${missing}`).expect(404);
    expect(await query(`SELECT 1 FROM audit_log WHERE entity_id = $1`, [missing])).toHaveLength(0);
  });
});

describe('sign-ins refused and sign-outs are audited (issue #14)', () => {
  it('a sign-in refused below eidas1, one by an unknown agent and one whose state does not match each leave an entry', async () => {
    const email = `${unique('faible-').toLowerCase()}@example.fr`;
    const weak = await typedSignIn('/connexion', {
      given_name: 'Łucja',
      family_name: 'Nguyễn-Şahin',
      birthdate: '1991-07-23',
      email,
      acr: 'eidas0',
    });
    expect(weak.status).toBe(401);
    expect(await latest('SIGN_IN_REFUSED')).toMatchObject({
      actorType: 'FAMILY',
      actorId: null,
      actorLabel: 'Łucja Nguyễn-Şahin',
      entityType: 'family_account',
      after: { provider: 'FranceConnect', reason: 'ACR_TOO_LOW', acr: 'eidas0' },
    });

    const stranger = `${unique('inconnu-').toLowerCase()}@justice.gouv.fr`;
    const unknown = await typedSignIn('/agents/connexion', { given_name: 'Ştefan', usual_name: 'Nguyễn', email: stranger });
    expect(unknown.status).toBe(403);
    expect(await latest('SIGN_IN_REFUSED')).toMatchObject({
      actorType: 'AGENT',
      actorId: null,
      actorLabel: stranger,
      entityType: 'agent',
      after: { provider: 'ProConnect', reason: 'UNKNOWN_AGENT', email: stranger },
    });

    // The provider answers, but the state in the callback is not the one the app sent.
    const http = request.agent(suite.app.url);
    const start = await http.get('/connexion').expect(302);
    const { res: loginPage } = await follow(http, start.headers.location);
    let res = await http.post(page(loginPage).$('form[data-testid="custom-identity"]').attr('action')!).type('form').send({
      custom: '1',
      given_name: 'Łucja',
      family_name: 'Nguyễn-Şahin',
      birthdate: '1991-07-23',
      email,
      acr: 'eidas1',
    });
    while ([302, 303].includes(res.status) && !res.headers.location.includes('/connexion/callback'))
      res = await http.get(pathOf(res.headers.location));
    const callback = new URL(res.headers.location);
    callback.searchParams.set('state', 'x'.repeat(43));
    expect((await http.get(callback.pathname + callback.search)).status).toBe(401);
    const mismatch = await latest('SIGN_IN_REFUSED');
    expect(mismatch).toMatchObject({ actorType: 'FAMILY', actorId: null, after: { provider: 'FranceConnect' } });
    expect(mismatch.after?.reason).toBe('OIDC_CHECK_FAILED');
    expect(String(mismatch.after?.error)).toMatch(/state/);
  });

  it('a sign-out leaves an entry naming who signed out', async () => {
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const http = await signInFamilyThroughProvider(suite.app.url, family);
    const out = await signOut(http);
    expect(out.status).toBe(303);
    await http.get('/mon-espace').expect(401);
    expect(await queryOne<Entry>(`${ENTRY} WHERE action = 'FAMILY_SIGNED_OUT' AND entity_id = $1`, [family.id])).toMatchObject({
      actorType: 'FAMILY',
      actorId: family.id,
      actorLabel: 'Łucja Nguyễn-Şahin',
      entityType: 'family_account',
      after: { provider: 'franceconnect' },
    });
  });
});

describe('the audit chain is keyed with AUDIT_KEY (issue #14)', () => {
  it('`audit:verify` passes on the untouched chain and names the entry where a plain SHA-256 chain was recomputed over a rewrite', async () => {
    const copy = await databaseCopy('audit_anchor');
    try {
      const ok = await verify(copy.url);
      expect(ok.output).toMatch(/Audit chain intact: \d+ entries; signed \(HMAC-SHA256\) from entry \d+ on; head [0-9a-f]{64}/);
      expect(ok.code).toBe(0);

      const [target] = await withClient(
        async (c) => (await c.query<{ id: string }>(`SELECT id FROM audit_log ORDER BY id OFFSET 5 LIMIT 1`)).rows,
        copy.url,
      );
      await asDatabaseOwner(copy.url, `UPDATE audit_log SET after = '{"tampered": true}' WHERE id = ${BigInt(target.id)}`);
      await asDatabaseOwner(copy.url, recomputePlainChainFrom(target.id));
      // Every link holds and every plain hash matches: only the key tells.
      const links = await withClient(
        async (c) =>
          (
            await c.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM audit_log a WHERE a.hash <> audit_log_row_hash(a) AND a.id >= $1`,
              [target.id],
            )
          ).rows[0].n,
        copy.url,
      );
      expect(links).toBe(0);
      const broken = await verify(copy.url);
      expect(broken.code).toBe(1);
      expect(broken.output).toContain(
        `Audit chain BROKEN at entry ${target.id}: its HMAC does not match (row modified, or the chain recomputed without the key)`,
      );

      // The whole chain recomputed without the key: no entry is signed any more.
      await asDatabaseOwner(copy.url, recomputePlainChainFrom('1'));
      const unsigned = await verify(copy.url);
      expect(unsigned.code).toBe(1);
      expect(unsigned.output).toMatch(/BROKEN at entry \d+: no entry is signed with AUDIT_KEY/);

      // Another key does not verify the chain either.
      const wrongKey = await verify(copy.url, { AUDIT_KEY: randomBytes(32).toString('base64') });
      expect(wrongKey.code).toBe(1);
    } finally {
      await copy.drop();
    }
  }, 120_000);

  it('a chain written before the key is anchored by the AUDIT_CHAIN_KEYED entry, which a rewrite before it breaks', async () => {
    const copy = await databaseCopy('audit_legacy');
    try {
      // As before the migration: every entry a plain SHA-256.
      await asDatabaseOwner(copy.url, recomputePlainChainFrom('1'));
      expect((await verify(copy.url)).code).toBe(1);

      const anchor = await withClient(async (c) => {
        const manager = {
          query: async (sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as unknown[],
        } as unknown as EntityManager;
        await c.query('BEGIN');
        const done = await new AuditService().anchorLegacyChain(manager);
        await c.query('COMMIT');
        const [marker] = (await c.query<{ id: string; action: string }>(`SELECT id, action FROM audit_log ORDER BY id DESC LIMIT 1`)).rows;
        return { done, marker };
      }, copy.url);
      expect(anchor.done).toBe('ANCHORED');
      expect(anchor.marker.action).toBe('AUDIT_CHAIN_KEYED');
      const ok = await verify(copy.url);
      expect(ok.output).toContain(`signed (HMAC-SHA256) from entry ${anchor.marker.id} on`);
      expect(ok.code).toBe(0);

      // An old plain entry rewritten, the plain chain recomputed and relinked up to the marker: the marker's HMAC no longer matches.
      const [old] = await withClient(
        async (c) => (await c.query<{ id: string }>(`SELECT id FROM audit_log ORDER BY id OFFSET 3 LIMIT 1`)).rows,
        copy.url,
      );
      await asDatabaseOwner(copy.url, `UPDATE audit_log SET after = '{"tampered": true}' WHERE id = ${BigInt(old.id)}`);
      await asDatabaseOwner(copy.url, recomputePlainChainFrom(old.id, anchor.marker.id));
      const broken = await verify(copy.url);
      expect(broken.code).toBe(1);
      expect(broken.output).toContain(`Audit chain BROKEN at entry ${anchor.marker.id}: content does not match its hash or HMAC`);
    } finally {
      await copy.drop();
    }
  }, 120_000);
});
