import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import type { DocumentStore } from '../common/document-store';
import type { PermitFileStore } from './permit-files';
import { failImport, finishImport, previewLines } from './permit-import.queries';
import type { ImportLine } from './permit-import.rules';
import { PermitImportService } from './permit-import.service';

jest.mock('./permit-import.queries');
jest.mock('./permit-import.zip', () => ({
  ZipError: class ZipError extends Error {},
  listZip: () => [{ name: '1.jpg', size: 10 }],
  eachZipEntry: async (_zip: Buffer, entries: { name: string }[], each: (name: string, content: Buffer) => Promise<void>) => {
    for (const e of entries) await each(e.name, Buffer.from('photo'));
  },
}));
jest.mock('./uploads', () => ({
  MAX_UPLOAD_BYTES: 10 * 1024 * 1024,
  checkPhoto: (content: Buffer) => Promise.resolve({ ok: true, content, contentType: 'image/jpeg' }),
}));

const line = { line: 2, photo: '1.jpg', origin: 'PAPER', detaineeId: null, reasons: [] } as unknown as ImportLine;

function service(o: { stagingDelete: () => Promise<void>; finished: boolean }) {
  jest.mocked(previewLines).mockResolvedValue([line]);
  jest.mocked(finishImport).mockResolvedValue(o.finished);
  jest.mocked(failImport).mockReset();
  const store = { put: jest.fn().mockResolvedValue({ storageKey: 'photo-1', sha256: 'x' }), delete: jest.fn() };
  const staging = { get: jest.fn().mockResolvedValue(Buffer.from('zip')), delete: jest.fn(o.stagingDelete) };
  const dataSource = { manager: {}, transaction: (work: (m: object) => Promise<unknown>) => work({}) };
  const imports = new PermitImportService(
    dataSource as unknown as DataSource,
    { record: jest.fn() },
    { now: () => new Date('2026-11-23T10:00:00Z') } as unknown as Clock,
    store as unknown as PermitFileStore,
    staging as unknown as DocumentStore,
  );
  // The database checks are the e2e tests' business.
  jest.spyOn(imports as unknown as { checkDatabase: () => Promise<void> }, 'checkDatabase').mockResolvedValue();
  return { imports, store, staging };
}

describe('PermitImportService.run after the commit', () => {
  it('keeps the photos of committed permits when the staged ZIP cannot be deleted, and does not fail the import', async () => {
    const { imports, store, staging } = service({ stagingDelete: () => Promise.reject(new Error('EACCES')), finished: true });
    await imports.run({ id: 'agent', kind: 'AGENT' } as never, 'establishment', 'import-1');
    expect(staging.delete).toHaveBeenCalledWith('import-1');
    expect(store.delete).not.toHaveBeenCalled();
    expect(failImport).not.toHaveBeenCalled();
  });

  it('before the commit, a failure still deletes the photos written and the staged ZIP', async () => {
    const { imports, store, staging } = service({ stagingDelete: () => Promise.resolve(), finished: false });
    await imports.run({ id: 'agent', kind: 'AGENT' } as never, 'establishment', 'import-1');
    expect(store.delete).toHaveBeenCalledWith('photo-1');
    expect(failImport).toHaveBeenCalled();
    expect(staging.delete).toHaveBeenCalledWith('import-1');
  });
});
