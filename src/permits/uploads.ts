import sharp from 'sharp';
import { pdfLib } from './pdf-lib';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type UploadCheck = { ok: true; content: Buffer; contentType: 'image/jpeg' | 'application/pdf' } | { ok: false; message: string };

/**
 * Checks a file by its content, never by its name or declared type. Images (JPEG or PNG only) are
 * decoded and re-encoded as JPEG, which drops every metadata (EXIF, GPS) and anything hidden.
 */
async function reencodeImage(buffer: Buffer, minSide: number): Promise<UploadCheck> {
  let format: string | undefined;
  try {
    const meta = await sharp(buffer).metadata();
    format = meta.format;
    if (format !== 'jpeg' && format !== 'png') return { ok: false, message: 'Le fichier n’est pas une image JPEG ou PNG.' };
    if ((meta.width ?? 0) < minSide || (meta.height ?? 0) < minSide) {
      return { ok: false, message: `L’image est trop petite : au moins ${minSide} × ${minSide} pixels.` };
    }
    const content = await sharp(buffer, { failOn: 'error' })
      .rotate()
      .resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer();
    return { ok: true, content, contentType: 'image/jpeg' };
  } catch {
    return { ok: false, message: format ? 'L’image est abîmée ou illisible.' : 'Le fichier n’est pas une image JPEG ou PNG.' };
  }
}

export async function checkPhoto(buffer: Buffer): Promise<UploadCheck> {
  if (buffer.length === 0) return { ok: false, message: 'Choisissez une photo.' };
  if (buffer.length > MAX_UPLOAD_BYTES) return { ok: false, message: 'La photo dépasse 10 Mo.' };
  return reencodeImage(buffer, 200);
}

/** An identity document or proof of address: a PDF (that opens) or a JPEG/PNG image. */
export async function checkDocument(buffer: Buffer): Promise<UploadCheck> {
  if (buffer.length === 0) return { ok: false, message: 'Choisissez un fichier.' };
  if (buffer.length > MAX_UPLOAD_BYTES) return { ok: false, message: 'Le fichier dépasse 10 Mo.' };
  if (buffer.subarray(0, 5).toString('latin1') === '%PDF-') {
    try {
      const pdf = await pdfLib().PDFDocument.load(buffer, { ignoreEncryption: false, updateMetadata: false });
      if (pdf.getPageCount() < 1) return { ok: false, message: 'Le PDF est vide.' };
      return { ok: true, content: buffer, contentType: 'application/pdf' };
    } catch {
      return { ok: false, message: 'Le PDF est abîmé, protégé par un mot de passe ou illisible.' };
    }
  }
  const image = await reencodeImage(buffer, 100);
  return image.ok
    ? image
    : {
        ok: false,
        message: image.message.startsWith('Le fichier') ? 'Le fichier doit être un PDF, une image JPEG ou PNG.' : image.message,
      };
}
