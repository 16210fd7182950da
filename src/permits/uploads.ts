import sharp from 'sharp';
import type { PDFDocument, PDFObject } from 'pdf-lib';
import { tr } from '../common/translate';
import { pdfLib } from './pdf-lib';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** The longest side an image may have: a 50-megapixel phone photo (8160 × 6120) passes. */
export const MAX_IMAGE_SIDE = 10_000;
/**
 * The most pixels an image may have, checked on its header before anything is decoded, and given
 * to sharp as `limitInputPixels`: a small PNG declaring 60000 × 60000 pixels (a decompression bomb)
 * is refused without being decoded.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** An identity document or a proof of address has a few pages; a thousand is an attack on the parser. */
export const MAX_PDF_PAGES = 50;

/**
 * A file accepted (its content re-written), or refused with a message in the request's language
 * (French on staff pages and outside a request: permits:files in the catalogs).
 */
export type UploadCheck = { ok: true; content: Buffer; contentType: 'image/jpeg' | 'application/pdf' } | { ok: false; message: string };

/** An image refused, and whether it was no image at all (a document may then be something else than a PDF). */
type ImageCheck = UploadCheck | { ok: false; message: string; notImage: true };

/** The refusal of an image too large, with its size and what to send instead. */
export function imageTooLarge(width: number, height: number): string {
  return tr('permits:files.imageTooLarge', { width, height });
}

/** Whether a width × height read from a header is over the caps (or not a size at all). */
export function isTooLarge(width: number, height: number): boolean {
  return width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS;
}

/**
 * Checks a file by its content, never by its name or declared type. Images (JPEG or PNG only) are
 * measured on their header (no decoding), then decoded (at most MAX_IMAGE_PIXELS) and re-encoded as
 * JPEG: only the pixels are kept, so every metadata (EXIF, GPS), comment and anything appended after
 * the image (a PDF, a ZIP: a polyglot) is dropped.
 */
async function reencodeImage(buffer: Buffer, minSide: number): Promise<ImageCheck> {
  let format: string | undefined;
  try {
    const meta = await sharp(buffer, { limitInputPixels: false }).metadata(); // the header only, nothing decoded
    format = meta.format;
    if (format !== 'jpeg' && format !== 'png') return { ok: false, message: tr('permits:files.notImage'), notImage: true };
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (isTooLarge(width, height)) return { ok: false, message: imageTooLarge(width, height) };
    if (width < minSide || height < minSide) {
      return { ok: false, message: tr('permits:files.imageTooSmall', { side: minSide }) };
    }
    const content = await sharp(buffer, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer();
    return { ok: true, content, contentType: 'image/jpeg' };
  } catch {
    return format
      ? { ok: false, message: tr('permits:files.imageBroken') }
      : { ok: false, message: tr('permits:files.notImage'), notImage: true };
  }
}

export async function checkPhoto(buffer: Buffer): Promise<UploadCheck> {
  if (buffer.length === 0) return { ok: false, message: tr('permits:files.photoEmpty') };
  if (buffer.length > MAX_UPLOAD_BYTES) return { ok: false, message: tr('permits:files.photoTooLarge') };
  const image = await reencodeImage(buffer, 200);
  return image.ok ? image : { ok: false, message: image.message };
}

/**
 * Keys that make a PDF act rather than show: actions (opening, page, annotation, field), scripts,
 * embedded files, and metadata (XMP streams, application data). They are removed from every object
 * of the copy, at any depth.
 */
const ACTIVE_KEYS = [
  'OpenAction',
  'AA',
  'A',
  'JS',
  'JavaScript',
  'Names',
  'EmbeddedFiles',
  'EF',
  'Metadata',
  'PieceInfo',
  'RichMediaContent',
];
/** Annotations that carry a file, a sound, a film or 3D content: dropped from the pages. */
const ACTIVE_ANNOTATIONS = new Set(['/FileAttachment', '/Sound', '/Movie', '/Screen', '/RichMedia', '/3D']);

function scrub(doc: PDFDocument): void {
  const { PDFArray, PDFDict, PDFName, PDFStream, PDFRef } = pdfLib();
  const seen = new Set<PDFObject>();
  const clean = (obj: PDFObject | undefined): void => {
    if (!obj || seen.has(obj)) return;
    seen.add(obj);
    if (obj instanceof PDFStream) return clean(obj.dict);
    if (obj instanceof PDFArray) return obj.asArray().forEach(clean);
    if (!(obj instanceof PDFDict)) return;
    for (const key of ACTIVE_KEYS) obj.delete(PDFName.of(key));
    const annots = obj.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (annots) {
      const kept = annots.asArray().filter((a) => {
        const subtype = doc.context.lookupMaybe(a, PDFDict)?.get(PDFName.of('Subtype'));
        return !(subtype instanceof PDFName && ACTIVE_ANNOTATIONS.has(subtype.asString()));
      });
      obj.set(PDFName.of('Annots'), doc.context.obj(kept));
    }
    for (const [, value] of obj.entries()) if (!(value instanceof PDFRef)) clean(value);
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) clean(obj);

  // pdf-lib writes every object of its context, reachable or not: keep only what the pages reach,
  // so a script whose key was removed is not stored either.
  const reachable = new Set<string>();
  const walk = (obj: PDFObject | undefined): void => {
    if (obj instanceof PDFRef) {
      if (reachable.has(obj.tag)) return;
      reachable.add(obj.tag);
      return walk(doc.context.lookup(obj));
    }
    if (obj instanceof PDFStream) return walk(obj.dict);
    if (obj instanceof PDFArray) return obj.asArray().forEach(walk);
    if (obj instanceof PDFDict) for (const [, value] of obj.entries()) walk(value);
  };
  doc.context.trailerInfo.Info = undefined;
  doc.context.trailerInfo.ID = undefined;
  walk(doc.context.trailerInfo.Root);
  for (const [ref] of doc.context.enumerateIndirectObjects()) if (!reachable.has(ref.tag)) doc.context.delete(ref);
}

/**
 * A PDF is never stored as sent: its pages are copied into a new document, which has no catalog
 * actions (OpenAction, AA), no JavaScript, no names tree, no form, no metadata (Info, XMP) and
 * nothing after its %%EOF; every action, script, embedded file and metadata stream the pages
 * themselves carry is removed. A PDF that does not open, has no page, too many pages or a
 * password is refused.
 */
export async function sanitisePdf(buffer: Buffer): Promise<UploadCheck> {
  const { PDFDocument } = pdfLib();
  let source: PDFDocument;
  try {
    // Opened even when encrypted, to say so (pdf-lib's EncryptedPDFError does not survive instanceof).
    source = await PDFDocument.load(buffer, { ignoreEncryption: true, updateMetadata: false });
  } catch {
    return { ok: false, message: tr('permits:files.pdfBroken') };
  }
  if (source.isEncrypted) return { ok: false, message: tr('permits:files.pdfPassword') };
  try {
    const count = source.getPageCount();
    if (count < 1) return { ok: false, message: tr('permits:files.pdfEmpty') };
    if (count > MAX_PDF_PAGES) return { ok: false, message: tr('permits:files.pdfTooManyPages', { count, max: MAX_PDF_PAGES }) };
    const copy = await PDFDocument.create({ updateMetadata: false });
    for (const page of await copy.copyPages(source, source.getPageIndices())) copy.addPage(page);
    scrub(copy);
    const content = Buffer.from(await copy.save({ useObjectStreams: false, updateFieldAppearances: false }));
    return { ok: true, content, contentType: 'application/pdf' };
  } catch {
    return { ok: false, message: tr('permits:files.pdfBroken') };
  }
}

/** An identity document or proof of address: a PDF (that opens, re-written) or a JPEG/PNG image (re-encoded). */
export async function checkDocument(buffer: Buffer): Promise<UploadCheck> {
  if (buffer.length === 0) return { ok: false, message: tr('permits:files.fileEmpty') };
  if (buffer.length > MAX_UPLOAD_BYTES) return { ok: false, message: tr('permits:files.fileTooLarge') };
  if (buffer.subarray(0, 5).toString('latin1') === '%PDF-') return sanitisePdf(buffer);
  const image = await reencodeImage(buffer, 100);
  if (image.ok) return image;
  return { ok: false, message: 'notImage' in image ? tr('permits:files.notDocument') : image.message };
}
