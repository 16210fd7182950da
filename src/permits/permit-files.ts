import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DocumentStore } from '../common/document-store';

/** The store of permit documents' files (encrypted, see DocumentStore), which also lists what is on disk. */
export class PermitFileStore extends DocumentStore {
  private readonly dir: string;

  constructor(dir: string, key: Buffer) {
    super(dir, key);
    this.dir = resolve(dir);
  }

  /**
   * The storage keys of the files last written before `before`. A file is written before its
   * record's transaction commits (so a record never points to nothing): when that transaction fails
   * the file is deleted at once, but a process killed in between leaves it behind, which the
   * orphan sweep then finds here.
   */
  async writtenBefore(before: Date): Promise<string[]> {
    const keys: string[] = [];
    const shards = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    for (const shard of shards) {
      if (!shard.isDirectory() || !/^[0-9a-f]{2}$/.test(shard.name)) continue;
      for (const name of await readdir(join(this.dir, shard.name))) {
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(name) || !name.startsWith(shard.name)) continue;
        const info = await stat(join(this.dir, shard.name, name)).catch(() => null);
        if (info?.isFile() && info.mtime < before) keys.push(name);
      }
    }
    return keys;
  }
}
