import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { MAX_IMPORT_ZIP_BYTES } from './permit-import.rules';

/** The two files of a bulk import, as multer hands them. */
export type ImportFiles = Partial<Record<'csv' | 'photos', Express.Multer.File[]>>;

/**
 * Parses the import form (the CSV and the ZIP of photos, in memory, each under the ZIP's limit)
 * before the guard, so the guard can read its CSRF token; only for signed-in users. A refused upload
 * becomes `req.uploadError` (French), for the page to show.
 */
export function importUploadMiddleware() {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_ZIP_BYTES, files: 2, fields: 10 } }).fields([
    { name: 'csv', maxCount: 1 },
    { name: 'photos', maxCount: 1 },
  ]);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!(req.session as unknown as { passport?: { user?: unknown } } | undefined)?.passport?.user) return next();
    upload(req, res, (err: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        req.uploadError =
          code === 'LIMIT_FILE_SIZE'
            ? `Un fichier dépasse ${MAX_IMPORT_ZIP_BYTES / 1024 / 1024} Mo : découpez l’import.`
            : 'Les fichiers n’ont pas pu être lus.';
        req.body = (req.body as unknown) ?? {};
      }
      next();
    });
  };
}
