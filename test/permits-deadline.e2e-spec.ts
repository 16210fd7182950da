import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { insertPermit, insertPermitRequest, insertRequestDocument, photoJpeg } from './factories/permits';
import { query, resetDatabase, testDatabaseUrl } from './helpers/db';
import { services, testConfig } from './helpers/notifications';
import { filesIn, type DocumentsDir } from './helpers/permits';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { dataSourceOptions } = require('../dist/src/database/data-source-options') as typeof import('../src/database/data-source-options');
const { installTransactionGuard } = require('../dist/src/database/transaction-guard') as typeof import('../src/database/transaction-guard');
const { PermitInstructionService } =
  require('../dist/src/permits/permit-instruction.service') as typeof import('../src/permits/permit-instruction.service');
const { PermitRequestsService } =
  require('../dist/src/permits/permit-requests.service') as typeof import('../src/permits/permit-requests.service');
const { PermitFileStore } = require('../dist/src/permits/permit-files') as typeof import('../src/permits/permit-files');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { SignedTokens } = require('../dist/src/common/signed-tokens') as typeof import('../src/common/signed-tokens');
const { PermitMeasuresService } =
  require('../dist/src/permits/permit-measures.service') as typeof import('../src/permits/permit-measures.service');
const { DetaineesService } = require('../dist/src/detainees/detainees.service') as typeof import('../src/detainees/detainees.service');
/* eslint-enable @typescript-eslint/no-require-imports */

type Audit = InstanceType<typeof AuditService>;

/**
 * The permits' background jobs (implicit rejection, retention, the sweep of orphan files) and the
 * files of failed transactions, run in-process with a set clock on an empty migrated database (the
 * jobs look at every request, so no demo data), with the transaction guard on as in the app.
 */
let ds: DataSource;
const docs: DocumentsDir = { dir: mkdtempSync(join(tmpdir(), 'p2v-docs-')), key: randomBytes(32) };
let establishment: EstablishmentRow;
let detainee: DetaineeRow;
let family: FamilyRow;
let prevenu: DetaineeRow;
const folders: string[] = [docs.dir];

beforeAll(async () => {
  await resetDatabase();
  installTransactionGuard();
  ds = new DataSource({ ...dataSourceOptions(testDatabaseUrl()), extra: { max: 4 } });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  establishment = await insertEstablishment({ name: 'Centre de détention de Test' });
  detainee = await insertDetainee(establishment.id, { lastName: 'Roy', firstName: 'Paul' });
  family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  prevenu = await insertDetainee(establishment.id, { legalStatus: 'PREVENU', lastName: 'Haddad', firstName: 'محمد' });
});
afterAll(async () => {
  await ds?.destroy();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function instructionAt(clock: InstanceType<typeof Clock>) {
  const { notifications } = services(ds, testConfig());
  const tokens = new SignedTokens('test-secret-test-secret-test-secret-00', 'permit-qr-token', 'P2V1');
  return new PermitInstructionService(ds, new AuditService(), notifications, new PermitFileStore(docs.dir, docs.key), tokens, clock);
}

describe('implicit rejection (silence for 2 months after a complete request)', () => {
  it('happens at the deadline, not before; the family is told; it happens once', async () => {
    const request = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Nguyễn-Şahin',
      submittedAt: new Date('2026-12-31T10:00:00Z'),
    });
    const clock = new Clock();
    const instruction = instructionAt(clock);
    const status = async () => (await query(`SELECT status FROM permit_requests WHERE id = $1`, [request.id]))[0];
    // 2026-12-31 + 2 months = 2027-02-28 (month end).
    clock.set(new Date('2027-02-28T09:59:00Z'), { frozen: true });
    expect(await instruction.expireOverdue()).toBe(0);
    expect(await status()).toEqual({ status: 'SUBMITTED' });
    clock.set(new Date('2027-02-28T10:00:00Z'), { frozen: true });
    expect(await instruction.expireOverdue()).toBe(1);
    expect(await status()).toEqual({ status: 'IMPLICITLY_REJECTED' });
    clock.set(new Date('2027-03-10T10:00:00Z'), { frozen: true });
    expect(await instruction.expireOverdue()).toBe(0);
    const [mail] = await query(`SELECT template, subject, body_text FROM notifications WHERE entity_id = $1`, [request.id]);
    expect(mail.template).toBe('permit-request-implicit-rejection');
    expect(mail.subject).toBe(`Demande de permis de visite sans réponse : rejet implicite (réf. ${request.reference})`);
    expect(mail.body_text).toContain('ce silence vaut rejet implicite');
    expect(await query(`SELECT actor_type, actor_label, action FROM audit_log WHERE entity_id = $1::text`, [request.id])).toEqual([
      { actor_type: 'SYSTEM', actor_label: 'délai de 2 mois', action: 'PERMIT_REQUEST_IMPLICITLY_REJECTED' },
    ]);
    expect(await query(`SELECT kind, status, actor_type, at FROM permit_request_events WHERE request_id = $1`, [request.id])).toEqual([
      { kind: 'STATUS', status: 'IMPLICITLY_REJECTED', actor_type: 'SYSTEM', at: new Date('2027-02-28T10:00:00Z') },
    ]);
  });
});

describe('implicit rejection run by several instances at once', () => {
  it('rejects each request once, with one message and one audit entry, whichever instance gets it', async () => {
    const submittedAt = new Date('2027-01-15T10:00:00Z');
    const requests = [];
    for (const [given, family2] of [
      ['Łucja', 'Nguyễn'],
      ['Ştefan', 'Öztürk'],
      ['محمد', 'Haddad'],
      ['Ewa', 'Żak'],
    ])
      requests.push(
        await insertPermitRequest({
          familyAccountId: family.id,
          establishmentId: establishment.id,
          detaineeId: detainee.id,
          visitorGivenName: given,
          visitorFamilyName: family2,
          submittedAt,
        }),
      );
    const clock = new Clock();
    clock.set(new Date('2027-03-16T10:00:00Z'), { frozen: true });
    // Two instances of the app, each its own service, their periodic jobs firing at the same moment.
    const [first, second] = await Promise.all([instructionAt(clock).expireOverdue(), instructionAt(clock).expireOverdue()]);
    expect(first + second).toBe(requests.length);
    const ids = requests.map((r) => r.id);
    expect(await query(`SELECT count(*)::int AS n FROM notifications WHERE entity_id = ANY($1::uuid[]) GROUP BY entity_id`, [ids])).toEqual(
      ids.map(() => ({ n: 1 })),
    );
    expect(
      await query(
        `SELECT count(*)::int AS n FROM audit_log WHERE entity_id = ANY($1::text[]) AND action = 'PERMIT_REQUEST_IMPLICITLY_REJECTED' GROUP BY entity_id`,
        [ids],
      ),
    ).toEqual(ids.map(() => ({ n: 1 })));
  });
});

describe('the end of a suspension enacted until a date', () => {
  it('makes the permit active again the day after its last day, not before; the family is told; audited once', async () => {
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      visitorGivenName: 'Ştefan',
      visitorFamilyName: 'Łukasiewicz',
      status: 'SUSPENDED',
      statusReason: 'Incident au parloir du 3 novembre.',
    });
    const agent = await query<{ id: string }>(
      `INSERT INTO agents (email, first_name, last_name) VALUES ($1, 'Zofia', 'Nowak') RETURNING id`,
      [`chef-${permit.id}@justice.fr`],
    );
    await query(
      `INSERT INTO permit_measures (permit_id, establishment_id, kind, status, grounds, suspended_until, proposed_by, decided_by, decided_at)
       VALUES ($1, $2, 'SUSPENSION', 'ENACTED', 'Incident au parloir du 3 novembre.', '2026-12-15', $3, $3, '2026-11-20T10:00:00Z')`,
      [permit.id, establishment.id, agent[0].id],
    );
    const measuresAt = (iso: string) => {
      const clock = new Clock();
      clock.set(new Date(iso), { frozen: true });
      const { notifications } = services(ds, testConfig());
      const audit = new AuditService();
      return new PermitMeasuresService(ds, audit, notifications, clock, new DetaineesService(ds, audit, clock, testConfig()));
    };
    // 15 December, 23:30 in Paris: still the last day of the suspension.
    expect(await measuresAt('2026-12-15T22:30:00Z').endSuspensions()).toBe(0);
    expect((await query(`SELECT status FROM permits WHERE id = $1`, [permit.id]))[0]).toEqual({ status: 'SUSPENDED' });
    // 16 December in Paris: over.
    expect(await measuresAt('2026-12-15T23:30:00Z').endSuspensions()).toBe(1);
    expect((await query(`SELECT status, status_reason FROM permits WHERE id = $1`, [permit.id]))[0]).toEqual({
      status: 'ACTIVE',
      status_reason: null,
    });
    expect(await measuresAt('2026-12-16T10:00:00Z').endSuspensions()).toBe(0);
    expect(await query(`SELECT action, actor_type FROM audit_log WHERE entity_id = $1`, [permit.id])).toEqual([
      { action: 'PERMIT_SUSPENSION_ENDED', actor_type: 'SYSTEM' },
    ]);
    const mails = await query<{ template: string; data: { status: string; visitor: string } }>(
      `SELECT template, data FROM notifications WHERE entity_id = $1`,
      [permit.id],
    );
    expect(mails.map((n) => [n.template, n.data.status, n.data.visitor])).toEqual([
      ['permit-status-changed', 'ACTIVE', 'Ştefan Łukasiewicz'],
    ]);
  });
});

describe('retention of documents after the final decision', () => {
  it('deletes the files and marks the records after the retention period, keeping a permit’s photo', async () => {
    const request = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'IMPLICITLY_REJECTED',
      submittedAt: new Date('2026-12-31T10:00:00Z'),
      decidedAt: new Date('2027-02-28T10:00:00Z'),
    });
    const photo = await insertRequestDocument(docs, request.id, 'PHOTO');
    const idDoc = await insertRequestDocument(docs, request.id, 'ID_DOCUMENT');
    await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      photoDocumentId: photo.id,
    });
    const clock = new Clock();
    const instruction = instructionAt(clock);
    // Decided on 2027-02-28: nothing deleted before 90 days.
    clock.set(new Date('2027-05-28T09:00:00Z'), { frozen: true });
    expect(await instruction.purgeDocuments(90)).toBe(0);
    clock.set(new Date('2027-05-29T11:00:00Z'), { frozen: true });
    expect(await instruction.purgeDocuments(90)).toBe(1);
    expect(existsSync(idDoc.path)).toBe(false);
    expect(existsSync(photo.path)).toBe(true);
    const rows = await query(`SELECT kind, deleted_at IS NOT NULL AS deleted FROM permit_documents WHERE request_id = $1 ORDER BY kind`, [
      request.id,
    ]);
    expect(rows).toEqual([
      { kind: 'ID_DOCUMENT', deleted: true },
      { kind: 'PHOTO', deleted: false },
    ]);
    expect(
      await query(`SELECT actor_type, actor_label FROM audit_log WHERE action = 'PERMIT_DOCUMENT_DELETED' AND entity_id = $1`, [idDoc.id]),
    ).toEqual([{ actor_type: 'SYSTEM', actor_label: 'conservation 90 jours' }]);
    clock.set(new Date('2027-06-30T00:00:00Z'), { frozen: true });
    expect(await instruction.purgeDocuments(90)).toBe(0);
  });
});

function documentsDir(): DocumentsDir {
  const dir = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
  folders.push(dir);
  return { dir, key: randomBytes(32) };
}

/** An audit log that refuses to write: the transaction around it fails after the file is written. */
const failingAudit = { record: () => Promise.reject(new Error('audit log unavailable')) } as unknown as Audit;

function permitServices(folder: DocumentsDir, o: { audit?: Audit; clock?: InstanceType<typeof Clock> } = {}) {
  const { notifications } = services(ds, testConfig());
  const store = new PermitFileStore(folder.dir, folder.key);
  const audit = o.audit ?? new AuditService();
  const clock = o.clock ?? new Clock();
  const tokens = new SignedTokens('test-secret-test-secret-test-secret-00', 'permit-qr-token', 'P2V1');
  return {
    store,
    instruction: new PermitInstructionService(ds, audit, notifications, store, tokens, clock),
    requests: new PermitRequestsService(ds, audit, notifications, store, clock),
  };
}

const greffe = { type: 'AGENT' as const, id: '00000000-0000-4000-8000-000000000001', label: 'Ștefan Popescu' };

describe('no file without its record', () => {
  it('a recorded permit whose transaction fails leaves no file in DOCUMENTS_DIR', async () => {
    const folder = documentsDir();
    const { instruction } = permitServices(folder, { audit: failingAudit });
    const record = instruction.recordPermit(
      greffe,
      establishment.id,
      {
        ecrou: prevenu.ecrouNumber,
        givenName: 'Gül',
        familyName: 'Şahin-Transaction',
        birthdate: '1988-04-03',
        relationship: 'SIBLING',
        origin: 'MAGISTRATE',
        validFrom: '2026-12-01',
        validTo: null,
      },
      { buffer: await photoJpeg(), originalname: 'photo.jpg' },
    );
    await expect(record).rejects.toThrow('audit log unavailable');
    expect(filesIn(folder.dir)).toEqual([]);
    expect(await query(`SELECT count(*)::int AS n FROM permits WHERE visitor_family_name = 'Şahin-Transaction'`)).toEqual([{ n: 0 }]);
  });

  it('a family’s upload whose transaction fails leaves no file either', async () => {
    const folder = documentsDir();
    const { requests } = permitServices(folder, { audit: failingAudit });
    const draft = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: prevenu.id,
      status: 'DRAFT',
      step: 5,
    });
    const actor = { type: 'FAMILY' as const, id: family.id, label: 'Łucja Nguyễn-Şahin' };
    await expect(requests.upload(actor, draft.id, 'PHOTO', { buffer: await photoJpeg(), originalname: 'photo.jpg' }, 6)).rejects.toThrow(
      'audit log unavailable',
    );
    expect(filesIn(folder.dir)).toEqual([]);
    expect(await query(`SELECT count(*)::int AS n FROM permit_documents WHERE request_id = $1`, [draft.id])).toEqual([{ n: 0 }]);
  });
});

describe('the sweep of orphan files (a process killed between the file and its record)', () => {
  it('deletes a file no document record uses once it is an hour old, and keeps the others', async () => {
    const folder = documentsDir();
    const clock = new Clock();
    const { instruction, store } = permitServices(folder, { clock });
    const orphan = await store.put(Buffer.from('écrit, puis le processus a été tué'));
    const kept = await insertRequestDocument(folder, null, 'PHOTO');
    const deleted = await insertRequestDocument(folder, null, 'PHOTO');
    await query(`UPDATE permit_documents SET deleted_at = now() WHERE id = $1`, [deleted.id]);
    // Young files are left alone: their transaction may still be running.
    expect(await instruction.sweepOrphanFiles()).toBe(0);
    expect(existsSync(store.filePath(orphan.storageKey))).toBe(true);
    clock.set(new Date(Date.now() + 61 * 60_000), { frozen: true });
    expect(await instruction.sweepOrphanFiles()).toBe(2);
    expect(existsSync(store.filePath(orphan.storageKey))).toBe(false);
    expect(existsSync(deleted.path)).toBe(false);
    expect(existsSync(kept.path)).toBe(true);
    expect(filesIn(folder.dir)).toEqual([kept.path]);
  });
});
