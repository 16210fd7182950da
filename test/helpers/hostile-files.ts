import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

/** Hostile files for upload tests, made in code (no binary file in the repository). */

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A black-and-white PNG (1 bit a pixel) of `width` × `height` pixels, whose pixel data holds
 * `rows` rows (all of them by default: a real image, a few kilobytes for 16000 × 16000). With fewer
 * rows it is a decompression bomb's header: a tiny file declaring a huge image.
 */
export function hugePng(width: number, height: number, rows = height): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, filter 0, no interlace
  const rowBytes = 1 + Math.ceil(width / 8);
  const raw = Buffer.alloc(rowBytes * rows, 0);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What is appended after the PDF's %%EOF by the hostile PDF (a script and a ZIP's header). */
export const APPENDED = Buffer.from('\n<script>alert("p2v-appended")</script>\nPK\x03\x04p2v-appended-zip', 'latin1');
export const HOSTILE_AUTHOR = 'Camille-Espion-GPS-48.85';
export const HOSTILE_SCRIPT = "app.alert('p2v-pwned')";

/**
 * A one-page PDF that acts on opening: an OpenAction and a document-level script (Names →
 * JavaScript), a page action (AA), a link running a script, an attached file; an author, a title
 * and an XMP metadata stream; and bytes after its %%EOF. Written without object streams, so each
 * of them can be found in the raw bytes.
 */
export async function hostilePdf(text = 'Carte d identite'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  page.drawText(text, { x: 50, y: 700, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  doc.setAuthor(HOSTILE_AUTHOR);
  doc.setTitle('Titre secret');
  const ctx = doc.context;
  const script = ctx.register(ctx.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(HOSTILE_SCRIPT) }));
  doc.catalog.set(PDFName.of('OpenAction'), script);
  doc.catalog.set(PDFName.of('Names'), ctx.obj({ JavaScript: ctx.obj({ Names: [PDFString.of('p2v'), script] }) }));
  const xmp = ctx.stream(
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${HOSTILE_AUTHOR}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`,
    { Type: 'Metadata', Subtype: 'XML' },
  );
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(xmp));
  page.node.set(PDFName.of('AA'), ctx.obj({ O: script }));
  const attached = ctx.register(ctx.stream('MZ p2v-attached-program', { Type: 'EmbeddedFile' }));
  const link = ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 100, 100], A: script });
  const file = ctx.obj({
    Type: 'Annot',
    Subtype: 'FileAttachment',
    Rect: [100, 0, 120, 20],
    FS: ctx.obj({ Type: 'Filespec', F: PDFString.of('p2v.exe'), EF: ctx.obj({ F: attached }) }),
  });
  page.node.set(PDFName.of('Annots'), ctx.obj([ctx.register(link), ctx.register(file)]));
  return Buffer.concat([Buffer.from(await doc.save({ useObjectStreams: false })), APPENDED]);
}

/** A PDF whose trailer says it is encrypted (pdf-lib refuses to open it without ignoreEncryption). */
export async function encryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  doc.context.trailerInfo.Encrypt = doc.context.register(
    doc.context.obj({ Filter: 'Standard', V: 1, R: 2, O: PDFString.of('x'.repeat(32)), U: PDFString.of('y'.repeat(32)), P: -4 }),
  );
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The strings a sanitised copy of `hostilePdf()` must not contain. */
export const HOSTILE_MARKS = [
  '/JavaScript',
  '/JS',
  '/OpenAction',
  '/AA',
  '/Metadata',
  '/EmbeddedFile',
  '/FileAttachment',
  '/Author',
  HOSTILE_AUTHOR,
  'p2v-pwned',
  'p2v-appended',
  'p2v-attached',
];
