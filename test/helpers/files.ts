import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

/** Real files for upload tests: an identity photo, a one-page PDF. */
export function photoPng(size = 400): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: 180, g: 140, b: 120 } } })
    .png()
    .toBuffer();
}

export function photoJpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 90, g: 120, b: 200 } } })
    .withMetadata({ exif: { IFD0: { Copyright: 'Camille', Artist: 'GPS 48.85,2.35' } } })
    .jpeg()
    .toBuffer();
}

export async function onePagePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  page.drawText(text, { x: 50, y: 700, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}
