import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { query, resetDatabase } from './helpers/db';
import { openDataSource, services, testConfig } from './helpers/notifications';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PermitInstructionService } = require('../dist/src/permits/permit-instruction.service');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AuditService } = require('../dist/src/common/audit.service');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DocumentStore } = require('../dist/src/common/document-store');

let ds: DataSource;
const docsDir = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
let requestId: string;

beforeAll(async () => {
  await resetDatabase();
  ds = await openDataSource();
  await ds.runMigrations({ transaction: 'each' });
  const [{ id: e }] = await ds.query(
    `INSERT INTO establishments (code, name, kind) VALUES ('TEST', 'Centre de détention de Test', 'CENTRE_DETENTION') RETURNING id`,
  );
  const [{ id: d }] = await ds.query(
    `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status) VALUES ($1, '42', 'Roy', 'Paul', '1980-01-01', 'CONDAMNE') RETURNING id`,
    [e],
  );
  const [{ id: f }] = await ds.query(
    `INSERT INTO family_accounts (fc_subject, given_name, family_name, email) VALUES ('fc-x', 'Ana', 'Roy', 'ana@example.fr') RETURNING id`,
  );
  [{ id: requestId }] = await ds.query(
    `INSERT INTO permit_requests (family_account_id, establishment_id, detainee_id, step, documents_understood, for_self, visitor_given_name, visitor_family_name, visitor_birthdate,
                                  relationship, id_document_type, status, reference, submitted_at, complete_at)
     VALUES ($1, $2, $3, 9, true, true, 'Ana', 'Roy', '1985-05-05', 'SPOUSE', 'CNI', 'SUBMITTED', 'PV-TESTTEST', '2026-12-31T10:00:00Z', '2026-12-31T10:00:00Z') RETURNING id`,
    [f, e, d],
  );
});
afterAll(async () => {
  await ds?.destroy();
  rmSync(docsDir, { recursive: true, force: true });
});

describe('implicit rejection (silence for 2 months after a complete request)', () => {
  it('happens at the deadline, not before; the family is told; it happens once', async () => {
    const { notifications } = services(ds, testConfig());
    const instruction = new PermitInstructionService(ds, new AuditService(ds), notifications, new DocumentStore(docsDir, randomBytes(32)));
    // 2026-12-31 + 2 months = 2027-02-28 (month end).
    expect(await instruction.expireOverdue(new Date('2027-02-28T09:59:00Z'))).toBe(0);
    expect(await query(`SELECT status FROM permit_requests WHERE id = $1`, [requestId])).toEqual([{ status: 'SUBMITTED' }]);
    expect(await instruction.expireOverdue(new Date('2027-02-28T10:00:00Z'))).toBe(1);
    expect(await query(`SELECT status FROM permit_requests WHERE id = $1`, [requestId])).toEqual([{ status: 'IMPLICITLY_REJECTED' }]);
    expect(await instruction.expireOverdue(new Date('2027-03-10T10:00:00Z'))).toBe(0);
    const [mail] = await query(`SELECT template, subject, body_text FROM notifications WHERE entity_id = $1`, [requestId]);
    expect(mail.template).toBe('permit-request-implicit-rejection');
    expect(mail.subject).toBe('Demande de permis de visite sans réponse : rejet implicite (réf. PV-TESTTEST)');
    expect(mail.body_text).toContain('ce silence vaut rejet implicite');
    expect(await query(`SELECT actor_type, action FROM audit_log WHERE entity_id = $1::text`, [requestId])).toEqual([
      { actor_type: 'SYSTEM', action: 'PERMIT_REQUEST_IMPLICITLY_REJECTED' },
    ]);
  });
});

describe('retention of documents after the final decision', () => {
  it('deletes the files and marks the records after the retention period, keeping a permit’s photo', async () => {
    const { notifications } = services(ds, testConfig());
    const store = new DocumentStore(docsDir, randomBytes(32));
    const instruction = new PermitInstructionService(ds, new AuditService(ds), notifications, store);
    const put = async (kind: string) => {
      const { storageKey, sha256 } = await store.put(Buffer.from(`contenu ${kind}`));
      const [{ id }] = await ds.query(
        `INSERT INTO permit_documents (request_id, kind, storage_key, content_type, size_bytes, sha256, original_name) VALUES ($1, $2, $3, 'image/jpeg', 10, $4, 'x') RETURNING id`,
        [requestId, kind, storageKey, sha256],
      );
      return { id, path: store.filePath(storageKey) };
    };
    const photo = await put('PHOTO');
    const idDoc = await put('ID_DOCUMENT');
    const [{ establishment_id, detainee_id, family_account_id }] = await ds.query(
      `SELECT establishment_id, detainee_id, family_account_id FROM permit_requests WHERE id = $1`,
      [requestId],
    );
    await ds.query(
      `INSERT INTO permits (establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship, photo_document_id, valid_from, origin)
       VALUES ($1, $2, $3, 'Ana', 'Roy', '1985-05-05', 'SPOUSE', $4, '2027-03-01', 'ONLINE')`,
      [establishment_id, detainee_id, family_account_id, photo.id],
    );
    // Decided (implicitly) on 2027-02-28: nothing deleted before 90 days.
    expect(await instruction.purgeDocuments(90, new Date('2027-05-28T09:00:00Z'))).toBe(0);
    expect(await instruction.purgeDocuments(90, new Date('2027-05-29T11:00:00Z'))).toBe(1);
    expect(existsSync(idDoc.path)).toBe(false);
    expect(existsSync(photo.path)).toBe(true);
    const rows = await query(`SELECT kind, deleted_at IS NOT NULL AS deleted FROM permit_documents WHERE request_id = $1 ORDER BY kind`, [
      requestId,
    ]);
    expect(rows).toEqual([
      { kind: 'ID_DOCUMENT', deleted: true },
      { kind: 'PHOTO', deleted: false },
    ]);
    expect(await instruction.purgeDocuments(90, new Date('2027-06-30T00:00:00Z'))).toBe(0);
  });
});
