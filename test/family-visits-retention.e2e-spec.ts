import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  insertDetaineeRequest,
  insertFamilyVisitCase,
  insertFamilyVisitDocument,
  insertVisitorRequest,
} from './factories/family-visits-instruction';
import { insertUnit } from './factories/family-visits-units';
import { insertDetainee, insertEstablishment, type DetaineeRow, type EstablishmentRow } from './factories/people';
import { startTestApp } from './helpers/app';
import { query, queryOne, resetDatabase, testDatabaseUrl } from './helpers/db';
import { testConfig } from './helpers/notifications';
import type { DocumentsDir } from './helpers/permits';
import { waitFor } from './helpers/processes';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { dataSourceOptions } = require('../dist/src/database/data-source-options') as typeof import('../src/database/data-source-options');
const { installTransactionGuard } = require('../dist/src/database/transaction-guard') as typeof import('../src/database/transaction-guard');
const { FamilyVisitRetentionService } =
  require('../dist/src/family-visits/retention.service') as typeof import('../src/family-visits/retention.service');
const { PermitFileStore } = require('../dist/src/permits/permit-files') as typeof import('../src/permits/permit-files');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The retention of UVF / PF documents (docs/retention.md) and the sweep of the family visits' orphan
 * files, run in-process with a set clock on an empty migrated database (the job looks at every
 * request), with the transaction guard on as in the app; then the app's own FamilyVisitHousekeeping.
 */
let ds: DataSource;
const docs: DocumentsDir = { dir: mkdtempSync(join(tmpdir(), 'p2v-docs-')), key: randomBytes(32) };
/** Where the app keeps UVF / PF documents: the `family-visits` sub-folder of the documents folder. */
const familyStore = () => new PermitFileStore(join(docs.dir, 'family-visits'), docs.key);
let establishment: EstablishmentRow;
let detainee: DetaineeRow;
const DAY = 86_400_000;

beforeAll(async () => {
  await resetDatabase();
  installTransactionGuard();
  ds = new DataSource({ ...dataSourceOptions(testDatabaseUrl()), extra: { max: 4 } });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-sur-Loire' });
  detainee = await insertDetainee(establishment.id, { firstName: 'يوسف', lastName: 'Ben Ałi' });
});
afterAll(async () => {
  await ds?.destroy();
  rmSync(docs.dir, { recursive: true, force: true });
});

function retentionAt(clock: InstanceType<typeof Clock>) {
  return new FamilyVisitRetentionService(ds, new AuditService(), clock, testConfig(), familyStore());
}

function clockAt(at: Date) {
  const clock = new Clock();
  clock.set(at, { frozen: true });
  return clock;
}

type FinalStatus = 'GRANTED' | 'REFUSED' | 'IMPLICITLY_REJECTED' | 'WITHDRAWN' | 'RECEIVED' | 'REFERRED';

/** A visitor's request of a new case with its signed rules stored, then set to `status` at `at` (decided, or withdrawn). */
async function requestWithDocument(status: FinalStatus, at: Date) {
  const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: detainee.id });
  await insertDetaineeRequest(c.id);
  const r = await insertVisitorRequest(
    { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
    { visitorGivenName: 'Łucja', visitorFamilyName: 'Nguyễn-Şahin' },
  );
  const doc = await insertFamilyVisitDocument(docs, r.id);
  const decided = ['GRANTED', 'REFUSED', 'IMPLICITLY_REJECTED'].includes(status);
  await query(
    `UPDATE family_visit_requests SET status = $2, decided_at = $3, updated_at = $4, granted_hours = $5, decision_motivation = $6 WHERE id = $1`,
    [
      r.id,
      status,
      decided ? at : null,
      at,
      status === 'GRANTED' ? 24 : null,
      status === 'REFUSED' ? 'Motivation en fait et en droit du refus, pour le test.' : null,
    ],
  );
  // A withdrawal counts from its own time, not from a later change of the row (a month later here).
  if (status === 'WITHDRAWN')
    await query(`UPDATE family_visit_requests SET withdrawn_at = $2, updated_at = $3 WHERE id = $1`, [
      r.id,
      at,
      new Date(at.getTime() + 30 * DAY),
    ]);
  const { storageKey } = await queryOne<{ storageKey: string }>(
    `SELECT storage_key AS "storageKey" FROM family_visit_documents WHERE id = $1`,
    [doc.id],
  );
  return { caseId: c.id, requestId: r.id, docId: doc.id, path: familyStore().filePath(storageKey) };
}

const deletedAt = async (docId: string) =>
  (await queryOne<{ deletedAt: Date | null }>(`SELECT deleted_at AS "deletedAt" FROM family_visit_documents WHERE id = $1`, [docId]))
    .deletedAt;

describe('retention of UVF / PF documents', () => {
  it('deletes a refused request’s documents 365 days after the decision (kept at 364), never an open request’s', async () => {
    expect(testConfig().documents.retentionDays).toBe(365);
    const decidedAt = new Date('2027-03-01T10:00:00Z');
    const refused = await requestWithDocument('REFUSED', decidedAt);
    const open = await requestWithDocument('RECEIVED', new Date('2026-01-01T10:00:00Z'));
    const atMagistrate = await requestWithDocument('REFERRED', new Date('2026-01-01T10:00:00Z'));

    expect(await retentionAt(clockAt(new Date(decidedAt.getTime() + 364 * DAY))).purgeDocuments()).toBe(0);
    expect(existsSync(refused.path)).toBe(true);

    const at = new Date(decidedAt.getTime() + 366 * DAY);
    expect(await retentionAt(clockAt(at)).purgeDocuments()).toBe(1);
    expect(existsSync(refused.path)).toBe(false);
    expect(await deletedAt(refused.docId)).toEqual(at);
    // The record stays, as proof of what was received.
    expect(await query(`SELECT kind, size_bytes > 0 AS sized FROM family_visit_documents WHERE id = $1`, [refused.docId])).toEqual([
      { kind: 'RULES_ACKNOWLEDGEMENT', sized: true },
    ]);
    for (const kept of [open, atMagistrate]) {
      expect(existsSync(kept.path)).toBe(true);
      expect(await deletedAt(kept.docId)).toBeNull();
    }
    expect(
      await query(`SELECT actor_label, establishment_id FROM audit_log WHERE action = 'FAMILY_VISIT_DOCUMENT_DELETED' AND entity_id = $1`, [
        refused.docId,
      ]),
    ).toEqual([{ actor_label: 'conservation 365 jours', establishment_id: establishment.id }]);
    const entries = () =>
      query<{ after: Record<string, number> }>(
        `SELECT after FROM audit_log WHERE action = 'RETENTION_APPLIED' AND after ? 'family_visit_documents' ORDER BY id`,
      );
    expect((await entries()).at(-1)).toEqual({ after: { family_visit_documents: 1 } });
    // A second run finds nothing: no new entry.
    const before = (await entries()).length;
    expect(await retentionAt(clockAt(at)).purgeDocuments()).toBe(0);
    expect((await entries()).length).toBe(before);
  });

  it('deletes the documents of an implicitly rejected or withdrawn request after the same period', async () => {
    const at = new Date('2027-05-10T08:00:00Z');
    const rejected = await requestWithDocument('IMPLICITLY_REJECTED', at);
    const withdrawn = await requestWithDocument('WITHDRAWN', at);
    await retentionAt(clockAt(new Date(at.getTime() + 365 * DAY - 60_000))).purgeDocuments();
    expect([existsSync(rejected.path), existsSync(withdrawn.path)]).toEqual([true, true]);
    await retentionAt(clockAt(new Date(at.getTime() + 365 * DAY))).purgeDocuments();
    expect([existsSync(rejected.path), existsSync(withdrawn.path)]).toEqual([false, false]);
    expect(await deletedAt(rejected.docId)).not.toBeNull();
    expect(await deletedAt(withdrawn.docId)).not.toBeNull();
  });

  it('keeps a granted request’s documents while its stay is to come, and deletes them once the stay ended', async () => {
    const decidedAt = new Date('2027-06-01T10:00:00Z');
    const granted = await requestWithDocument('GRANTED', decidedAt);
    const unit = await insertUnit(establishment.id, { name: 'UVF Świt' });
    const { id: stayId } = await queryOne<{ id: string }>(
      `INSERT INTO family_visit_stays (case_id, unit_id, during, visitors) VALUES ($1, $2, tstzrange($3, $4, '[)'), 1) RETURNING id`,
      [granted.caseId, unit.id, new Date('2028-07-01T08:00:00Z'), new Date('2028-07-02T08:00:00Z')],
    );
    const later = clockAt(new Date(decidedAt.getTime() + 400 * DAY));
    await retentionAt(later).purgeDocuments();
    expect(existsSync(granted.path)).toBe(true);
    await query(`UPDATE family_visit_stays SET status = 'ENDED', ended_at = $2 WHERE id = $1`, [stayId, new Date('2028-07-02T08:00:00Z')]);
    await retentionAt(later).purgeDocuments();
    expect(existsSync(granted.path)).toBe(false);
    expect(await deletedAt(granted.docId)).not.toBeNull();
  });
});

describe('the sweep of the family visits’ orphan files', () => {
  it('deletes a file of the family visits’ folder that no document uses once it is an hour old; never a permit’s file', async () => {
    const store = familyStore();
    const orphan = await store.put(Buffer.from('écrit, puis le processus a été tué'));
    const live = await requestWithDocument('RECEIVED', new Date());
    const gone = await requestWithDocument('RECEIVED', new Date());
    await query(`UPDATE family_visit_documents SET deleted_at = now() WHERE id = $1`, [gone.docId]);
    // A permit's file, in the parent folder: not this sweep's.
    const permits = new PermitFileStore(docs.dir, docs.key);
    const permitFile = await permits.put(Buffer.from('photo d’un permis'));

    // Young files are left alone: their transaction may still be running.
    expect(await retentionAt(clockAt(new Date())).sweepOrphanFiles()).toBe(0);
    expect(existsSync(store.filePath(orphan.storageKey))).toBe(true);

    expect(await retentionAt(clockAt(new Date(Date.now() + 61 * 60_000))).sweepOrphanFiles()).toBe(2);
    expect(existsSync(store.filePath(orphan.storageKey))).toBe(false);
    expect(existsSync(gone.path)).toBe(false);
    expect(existsSync(live.path)).toBe(true);
    expect(existsSync(permits.filePath(permitFile.storageKey))).toBe(true);
  });
});

describe('FamilyVisitHousekeeping in the app', () => {
  it('runs the retention when the app starts: a document decided years ago is deleted', async () => {
    const old = await requestWithDocument('REFUSED', new Date('2020-01-15T10:00:00Z'));
    const app = await startTestApp({
      DATABASE_URL: testDatabaseUrl(),
      DOCUMENTS_DIR: docs.dir,
      DOCUMENTS_KEY: docs.key.toString('base64'),
    });
    try {
      await waitFor('the document’s deletion', async () => ((await deletedAt(old.docId)) ? true : undefined), 30_000, app.proc);
      expect(existsSync(old.path)).toBe(false);
    } finally {
      await app.stop();
    }
  });
});
