import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { FieldError } from './forms';

declare module 'express-serve-static-core' {
  interface Request {
    uploadError?: string;
    /** Why the file was refused, for a page that words it in another language than French. */
    uploadRefusal?: { code: 'TOO_LARGE'; maxMegabytes: number } | { code: 'UNREADABLE' };
  }
}

/**
 * Parses a multipart form (one file, in memory, size-limited) before the guard, so the guard can
 * read its CSRF token; only for signed-in users. A refused file becomes `req.uploadError` (French),
 * for the page to show; other forms pass through untouched.
 */
export function uploadMiddleware(field: string, maxBytes: number) {
  // Browsers send the file's name in UTF-8 (« photo-şükrü.jpg »): read as such, not as Latin-1.
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 20 },
    defParamCharset: 'utf8',
  }).single(field);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!(req.session as unknown as { passport?: { user?: unknown } } | undefined)?.passport?.user) return next();
    upload(req, res, (err: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        const maxMegabytes = Math.round(maxBytes / 1024 / 1024);
        req.uploadError = code === 'LIMIT_FILE_SIZE' ? `Le fichier dépasse ${maxMegabytes} Mo.` : 'Le fichier n’a pas pu être lu.';
        req.uploadRefusal = code === 'LIMIT_FILE_SIZE' ? { code: 'TOO_LARGE', maxMegabytes } : { code: 'UNREADABLE' };
        req.body = (req.body as unknown) ?? {};
      }
      next();
    });
  };
}

/** A file the upload middleware refused, as a form error in the page's language (a catalog key: msg() translates it). */
export function uploadRefused(req: Request, field = 'fichier'): FieldError {
  const refusal = req.uploadRefusal;
  return refusal?.code === 'TOO_LARGE'
    ? { field, message: 'common:upload.tooLarge', values: { max: refusal.maxMegabytes } }
    : { field, message: 'common:upload.unreadable' };
}
