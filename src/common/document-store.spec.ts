import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from './document-store';

describe('DocumentStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const secret = Buffer.from('Pièce d’identité de Camille MARTIN, née le 14/03/1985');

  it('stores encrypted files that only the key opens', async () => {
    const key = randomBytes(32);
    const store = new DocumentStore(dir, key);
    const { storageKey, sha256 } = await store.put(secret);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const onDisk = readFileSync(store.filePath(storageKey));
    expect(onDisk.includes(Buffer.from('Camille'))).toBe(false);
    expect(await store.get(storageKey)).toEqual(secret);
    await expect(new DocumentStore(dir, randomBytes(32)).get(storageKey)).rejects.toThrow();
  });

  it('detects a file altered on disk, and deletes', async () => {
    const store = new DocumentStore(dir, randomBytes(32));
    const { storageKey } = await store.put(secret);
    const file = store.filePath(storageKey);
    const raw = readFileSync(file);
    raw[raw.length - 1] ^= 0xff;
    writeFileSync(file, raw);
    await expect(store.get(storageKey)).rejects.toThrow();
    await store.delete(storageKey);
    await expect(store.get(storageKey)).rejects.toThrow(/ENOENT/);
    expect(() => store.filePath('../../etc/passwd')).toThrow('Bad storage key');
  });
});
