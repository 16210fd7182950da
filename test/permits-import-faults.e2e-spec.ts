import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { insertAgent, insertDetainee, insertEstablishment } from './factories/people';
import { permitsCsv, zipOf } from './factories/permit-imports';
import { photoJpeg } from './factories/permits';
import { query, resetDatabase, testDatabaseUrl } from './helpers/db';
import { waitFor } from './helpers/processes';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { dataSourceOptions } = require('../dist/src/database/data-source-options') as typeof import('../src/database/data-source-options');
const { installTransactionGuard } = require('../dist/src/database/transaction-guard') as typeof import('../src/database/transaction-guard');
const { PermitImportService } =
  require('../dist/src/permits/permit-import.service') as typeof import('../src/permits/permit-import.service');
const { PermitFileStore } = require('../dist/src/permits/permit-files') as typeof import('../src/permits/permit-files');
const { DocumentStore } = require('../dist/src/common/document-store') as typeof import('../src/common/document-store');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A fault after the import's transaction committed: the staged ZIP cannot be deleted (a disk
 * error). The service runs in-process on a migrated database with the real document stores; only the
 * staging store's delete is made to fail.
 */
let ds: DataSource;
const dir = mkdtempSync(join(tmpdir(), 'p2v-import-faults-'));
const key = randomBytes(32);

class UndeletableStaging extends DocumentStore {
  override delete(): Promise<void> {
    return Promise.reject(new Error('EACCES: permission denied'));
  }
}

beforeAll(async () => {
  await resetDatabase();
  installTransactionGuard();
  ds = new DataSource({ ...dataSourceOptions(testDatabaseUrl()), extra: { max: 4 } });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
});
afterAll(async () => {
  await ds?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps the photos of the permits just imported when the staged ZIP cannot be deleted after the commit', async () => {
  const establishment = await insertEstablishment({ name: 'Maison d’arrêt de Łódź' });
  const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Yılmaz', legalStatus: 'CONDAMNE' });
  const agent = await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }]);
  const store = new PermitFileStore(join(dir, 'documents'), key);
  const imports = new PermitImportService(ds, new AuditService(), new Clock(), store, new UndeletableStaging(join(dir, 'imports'), key));
  const photo = await photoJpeg();
  const csv = permitsCsv([
    { number: 1, familyName: 'Wiśniewska', givenName: 'Łucja', ecrou: detainee.ecrouNumber },
    { number: 2, familyName: 'حداد', givenName: 'مريم', ecrou: detainee.ecrouNumber },
  ]);
  const actor = { type: 'AGENT' as const, id: agent.id, label: 'Agent du greffe' };
  const id = await imports.preview(
    actor,
    establishment.id,
    { buffer: Buffer.from(csv), originalname: 'permis.csv' },
    { buffer: zipOf({ '1.jpg': photo, '2.jpg': photo }), originalname: 'photos.zip' },
  );
  await imports.apply(actor, establishment.id, id);
  const status = await waitFor(
    'the import to end',
    async () => {
      const [row] = await query<{ status: string }>(`SELECT status FROM permit_imports WHERE id = $1`, [id]);
      return row.status === 'RUNNING' ? undefined : row.status;
    },
    20_000,
  );
  expect(status).toBe('DONE');
  const permits = await query<{ key: string }>(
    `SELECT d.storage_key AS key FROM permits p JOIN permit_documents d ON d.id = p.photo_document_id WHERE p.import_id = $1`,
    [id],
  );
  expect(permits).toHaveLength(2);
  // Every imported permit's photo is still in the document store, readable.
  for (const p of permits) expect((await store.get(p.key)).length).toBeGreaterThan(1000);
});
