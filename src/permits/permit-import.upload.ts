import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Principal } from '../auth/principal';
import { MAX_IMPORT_CSV_BYTES, MAX_IMPORT_ZIP_BYTES } from './permit-import.rules';

/** The two files of a bulk import, as multer hands them. */
export type ImportFiles = Partial<Record<'csv' | 'photos', Express.Multer.File[]>>;

export const CSV_TOO_LARGE = `Le fichier CSV dépasse ${MAX_IMPORT_CSV_BYTES / 1024 / 1024} Mo : découpez-le.`;
const ZIP_TOO_LARGE = `Un fichier dépasse ${MAX_IMPORT_ZIP_BYTES / 1024 / 1024} Mo : découpez l’import.`;
const IMPORT_PATH = /^\/etablissements\/([^/?#]+)\/permis\/import\/?(?:[?#]|$)/;

/** Whether this principal may upload an import at this establishment (by its code): its permits officers and head. */
export function mayUploadImport(principal: Principal | undefined, establishmentCode: string | undefined): boolean {
  return (
    principal?.kind === 'agent' &&
    establishmentCode !== undefined &&
    principal.grants.some(
      (g) => g.establishmentCode === establishmentCode && (g.role === 'PERMITS_OFFICER' || g.role === 'HEAD_OF_ESTABLISHMENT'),
    )
  );
}

/**
 * Memory storage with a limit per field: the CSV 2 MB, the ZIP 200 MB. A file over its limit stops
 * being kept at once and fails the upload (code LIMIT_CSV_SIZE or LIMIT_FILE_SIZE).
 */
function limitedMemoryStorage(): multer.StorageEngine {
  return {
    _handleFile(_req, file, cb) {
      const csv = file.fieldname === 'csv';
      const max = csv ? MAX_IMPORT_CSV_BYTES : MAX_IMPORT_ZIP_BYTES;
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      file.stream.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size <= max) return void chunks.push(chunk);
        done = true;
        chunks.length = 0;
        file.stream.resume();
        cb(Object.assign(new Error('File too large'), { code: csv ? 'LIMIT_CSV_SIZE' : 'LIMIT_FILE_SIZE' }));
      });
      file.stream.on('error', (e: Error) => {
        if (!done) cb(e);
        done = true;
      });
      file.stream.on('end', () => {
        if (done) return;
        done = true;
        const buffer = Buffer.concat(chunks);
        cb(null, { buffer, size: buffer.length });
      });
    },
    _removeFile(_req, file, cb) {
      (file as { buffer?: Buffer }).buffer = undefined;
      cb(null);
    },
  };
}

/**
 * Parses the import form (the CSV, 2 MB at most, and the ZIP of photos, 200 MB at most, in memory)
 * before the guard, so the guard can read its CSRF token — but only for a permits officer or the
 * head of the establishment in the URL: for anyone else nothing is read, and the guard answers 403.
 * A refused upload becomes `req.uploadError` (French), for the page to show.
 */
@Injectable()
export class ImportUploadMiddleware implements NestMiddleware {
  private readonly upload = multer({
    storage: limitedMemoryStorage(),
    limits: { fileSize: MAX_IMPORT_ZIP_BYTES, files: 2, fields: 10 },
  }).fields([
    { name: 'csv', maxCount: 1 },
    { name: 'photos', maxCount: 1 },
  ]);

  use(req: Request, res: Response, next: NextFunction): void {
    // The app's PrincipalMiddleware (AppModule, every route) runs first and loaded the roles of this request.
    if (!mayUploadImport(req.principal, IMPORT_PATH.exec(req.originalUrl)?.[1])) return next();
    this.upload(req, res, (err: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        req.uploadError =
          code === 'LIMIT_CSV_SIZE' ? CSV_TOO_LARGE : code === 'LIMIT_FILE_SIZE' ? ZIP_TOO_LARGE : 'Les fichiers n’ont pas pu être lus.';
        req.body = (req.body as unknown) ?? {};
      }
      next();
    });
  }
}
