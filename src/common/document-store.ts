import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Files (identity photos, identity documents, proofs of address) live outside the database, each
 * encrypted with AES-256-GCM under the key from the environment: [12-byte IV][16-byte tag][data].
 * A file read without the key, or altered on disk, does not decrypt.
 */
export class DocumentStore {
  private readonly root: string;

  constructor(
    dir: string,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('The documents key must be 32 bytes');
    this.root = resolve(dir);
  }

  private path(storageKey: string): string {
    if (!/^[0-9a-f-]{36}$/.test(storageKey)) throw new Error('Bad storage key');
    return join(this.root, storageKey.slice(0, 2), storageKey);
  }

  /** Stores an encrypted copy under a new key (or the one given, e.g. the id of what it belongs to). */
  async put(content: Buffer, storageKey: string = randomUUID()): Promise<{ storageKey: string; sha256: string }> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(content), cipher.final()]);
    const file = this.path(storageKey);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, Buffer.concat([iv, cipher.getAuthTag(), data]), { mode: 0o600 });
    return { storageKey, sha256: createHash('sha256').update(content).digest('hex') };
  }

  async get(storageKey: string): Promise<Buffer> {
    const raw = await readFile(this.path(storageKey));
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }

  async delete(storageKey: string): Promise<void> {
    await rm(this.path(storageKey), { force: true });
  }

  filePath(storageKey: string): string {
    return this.path(storageKey);
  }
}
