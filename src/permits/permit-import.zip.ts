import { unzipSync } from 'fflate';
import { hasControlCharacter, MAX_ZIP_ENTRIES, MAX_ZIP_UNCOMPRESSED_BYTES, type ZipPhoto } from './permit-import.rules';

export class ZipError extends Error {}

/**
 * The entries of a ZIP, read from its central directory without uncompressing anything. Zip-bomb
 * safe: at most MAX_ZIP_ENTRIES entries and MAX_ZIP_UNCOMPRESSED_BYTES once uncompressed (the
 * declared sizes; an entry is then uncompressed into a buffer of its declared size, never more).
 */
export function listZip(zip: Uint8Array): ZipPhoto[] {
  const entries: ZipPhoto[] = [];
  let total = 0;
  try {
    unzipSync(zip, {
      filter: (f) => {
        if (entries.length >= MAX_ZIP_ENTRIES) throw new ZipError(`Le fichier ZIP contient plus de ${MAX_ZIP_ENTRIES} fichiers.`);
        total += f.originalSize;
        if (total > MAX_ZIP_UNCOMPRESSED_BYTES)
          throw new ZipError(`Le fichier ZIP dépasse ${MAX_ZIP_UNCOMPRESSED_BYTES / 1024 / 1024} Mo une fois décompressé.`);
        if (f.compression !== 0 && f.compression !== 8) throw new ZipError('Le fichier ZIP utilise une compression inconnue.');
        // A name with control characters (NUL…) is no photo's: it could not be stored or shown.
        if (!f.name.endsWith('/') && !hasControlCharacter(f.name)) entries.push({ name: f.name, size: f.originalSize });
        return false;
      },
    });
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new ZipError('Le fichier n’est pas un ZIP lisible.');
  }
  return entries;
}

/**
 * Uncompresses the named entries (already listed by listZip), a batch at a time so that memory
 * stays bounded, and hands each to `use` in the order of `names`.
 */
export async function eachZipEntry(
  zip: Uint8Array,
  wanted: { name: string; size: number }[],
  use: (name: string, content: Buffer) => Promise<void>,
  batchBytes = 32 * 1024 * 1024,
): Promise<void> {
  let i = 0;
  while (i < wanted.length) {
    const batch = new Set<string>();
    let bytes = 0;
    while (i < wanted.length && (batch.size === 0 || bytes + wanted[i].size <= batchBytes)) {
      bytes += wanted[i].size;
      batch.add(wanted[i++].name);
    }
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(zip, { filter: (f) => batch.has(f.name) });
    } catch {
      throw new ZipError('Le fichier ZIP est abîmé : une photo ne se décompresse pas.');
    }
    for (const name of batch) {
      const content = files[name];
      if (!content) throw new ZipError(`La photo ${name} est introuvable dans le fichier ZIP.`);
      await use(name, Buffer.from(content.buffer, content.byteOffset, content.byteLength));
    }
  }
}
