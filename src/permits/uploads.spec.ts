import { PDFDocument, PDFName } from 'pdf-lib';
import sharp from 'sharp';
import { encryptedPdf, HOSTILE_MARKS, hostilePdf, hugePng } from '../../test/helpers/hostile-files';
import { pdfText } from '../../test/helpers/permits';
import { checkDocument, checkPhoto, imageTooLarge, isTooLarge, MAX_IMAGE_SIDE, MAX_PDF_PAGES } from './uploads';

const photo = (format: 'jpeg' | 'png', size = 400) =>
  sharp({ create: { width: size, height: size, channels: 3, background: { r: 200, g: 150, b: 100 } } })
    [format]()
    .toBuffer();

async function onePage(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage();
  return Buffer.from(await doc.save());
}

describe('checkPhoto', () => {
  it('accepts JPEG and PNG, re-encoded as JPEG without metadata', async () => {
    const withExif = await sharp(await photo('jpeg'))
      .withMetadata({ exif: { IFD0: { Copyright: 'secret', Artist: 'gps' } } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    const checked = await checkPhoto(withExif);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.contentType).toBe('image/jpeg');
    const meta = await sharp(checked.content).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect((await checkPhoto(await photo('png'))).ok).toBe(true);
  });

  it('refuses a renamed executable, an SVG with a script, a corrupted image, a tiny one, a huge file', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000, 1)]);
    expect(await checkPhoto(elf)).toEqual({
      ok: false,
      message: 'Le fichier n’est pas une image JPEG ou PNG. Choisissez une photo au format JPEG ou PNG.',
    });
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(1)</script><rect width="400" height="400"/></svg>',
    );
    expect(await checkPhoto(svg)).toEqual({
      ok: false,
      message: 'Le fichier n’est pas une image JPEG ou PNG. Choisissez une photo au format JPEG ou PNG.',
    });
    const jpeg = await photo('jpeg');
    const corrupted = Buffer.concat([jpeg.subarray(0, 300), Buffer.alloc(200, 0)]);
    expect(await checkPhoto(corrupted)).toEqual({ ok: false, message: 'L’image est abîmée ou illisible. Prenez une nouvelle photo.' });
    expect(await checkPhoto(await photo('jpeg', 50))).toEqual({
      ok: false,
      message: 'L’image est trop petite : au moins 200 × 200 pixels. Prenez une nouvelle photo, de plus près.',
    });
    expect(await checkPhoto(Buffer.alloc(30 * 1024 * 1024, 1))).toEqual({
      ok: false,
      message: 'La photo dépasse 10 Mo. Choisissez une photo plus légère, ou prenez-en une nouvelle.',
    });
  });
});

describe('checkDocument', () => {
  it('accepts a PDF that opens and an image; refuses a broken PDF and other files', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const pdf = Buffer.from(await doc.save());
    expect(await checkDocument(pdf)).toMatchObject({ ok: true, contentType: 'application/pdf' });
    expect(await checkDocument(await photo('png'))).toMatchObject({ ok: true, contentType: 'image/jpeg' });
    expect(await checkDocument(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(100, 65)]))).toEqual({
      ok: false,
      message:
        'Le PDF est abîmé, protégé par un mot de passe ou illisible. Enregistrez-le à nouveau sans mot de passe, ou envoyez une photo du document.',
    });
    expect(await checkDocument(Buffer.from('MZ\x90\x00 this is a windows program'))).toEqual({
      ok: false,
      message:
        'Le fichier doit être un PDF, une image JPEG ou PNG. Choisissez un fichier dans l’un de ces formats, ou prenez une photo du document.',
    });
  });
});

describe('hostile uploads (issue #14)', () => {
  it('refuses an image over the pixel cap from its header, and a decompression bomb quickly, without decoding it', async () => {
    expect(isTooLarge(8160, 6120)).toBe(false); // a 50-megapixel phone photo
    expect(isTooLarge(MAX_IMAGE_SIDE + 1, 100)).toBe(true);
    expect(isTooLarge(8000, 7000)).toBe(true); // 56 megapixels
    expect(await checkPhoto(hugePng(16000, 16000))).toEqual({ ok: false, message: imageTooLarge(16000, 16000) });
    expect(imageTooLarge(16000, 16000)).toBe(
      'L’image est trop grande (16000 × 16000 pixels) : envoyez une image de 10\u00a0000 pixels de côté et 50 mégapixels au plus (réduisez-la ou prenez une nouvelle photo).',
    );
    const bomb = hugePng(60000, 60000, 4);
    expect(bomb.length).toBeLessThan(1000);
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    expect(await checkDocument(bomb)).toEqual({ ok: false, message: imageTooLarge(60000, 60000) });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses empty files with a message saying what to do', async () => {
    expect(await checkPhoto(Buffer.alloc(0))).toEqual({ ok: false, message: 'La photo est vide (0 octet) : choisissez une autre photo.' });
    expect(await checkDocument(Buffer.alloc(0))).toEqual({
      ok: false,
      message: 'Le fichier est vide (0 octet) : choisissez un autre fichier.',
    });
  });

  it('re-encodes a PNG with a PDF and a ZIP appended (a polyglot) into a plain JPEG that holds neither', async () => {
    const polyglot = Buffer.concat([await photo('png'), await onePage(), Buffer.from('PK\x03\x04polyglot', 'latin1')]);
    const checked = await checkDocument(polyglot);
    expect(checked).toMatchObject({ ok: true, contentType: 'image/jpeg' });
    if (!checked.ok) return;
    expect(checked.content.includes('%PDF')).toBe(false);
    expect(checked.content.includes('PK\x03\x04')).toBe(false);
    expect(checked.content.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9])); // nothing after the JPEG's end
  });

  it('re-writes a PDF without its scripts, actions, attached file, metadata and appended bytes, keeping its page', async () => {
    const hostile = await hostilePdf('Carte d identite');
    expect(HOSTILE_MARKS.filter((m) => !hostile.includes(m))).toEqual([]);
    const checked = await checkDocument(hostile);
    expect(checked).toMatchObject({ ok: true, contentType: 'application/pdf' });
    if (!checked.ok) return;
    expect(HOSTILE_MARKS.filter((m) => checked.content.includes(m))).toEqual([]);
    expect(checked.content.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    const copy = await PDFDocument.load(checked.content);
    expect(copy.getPageCount()).toBe(1);
    expect(copy.getAuthor()).toBeUndefined();
    expect(copy.getTitle()).toBeUndefined();
    expect(copy.catalog.get(PDFName.of('OpenAction'))).toBeUndefined();
    expect(copy.catalog.get(PDFName.of('Names'))).toBeUndefined();
    expect(copy.catalog.get(PDFName.of('Metadata'))).toBeUndefined();
    expect(await pdfText(checked.content)).toBe('Carte d identite');
  });

  it('refuses an encrypted PDF and one with too many pages, saying what to send', async () => {
    expect(await checkDocument(await encryptedPdf())).toEqual({
      ok: false,
      message: 'Le PDF est protégé par un mot de passe : enregistrez-le sans mot de passe, ou envoyez une photo du document.',
    });
    const long = await PDFDocument.create();
    for (let i = 0; i <= MAX_PDF_PAGES; i++) long.addPage();
    expect(await checkDocument(Buffer.from(await long.save()))).toEqual({
      ok: false,
      message: 'Le PDF a trop de pages (51) : envoyez seulement les pages utiles, 50 au plus.',
    });
  });
});
