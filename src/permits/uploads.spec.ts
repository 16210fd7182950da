import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { checkDocument, checkPhoto } from './uploads';

const photo = (format: 'jpeg' | 'png', size = 400) =>
  sharp({ create: { width: size, height: size, channels: 3, background: { r: 200, g: 150, b: 100 } } })
    [format]()
    .toBuffer();

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
    expect(await checkPhoto(elf)).toEqual({ ok: false, message: 'Le fichier n’est pas une image JPEG ou PNG.' });
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(1)</script><rect width="400" height="400"/></svg>',
    );
    expect(await checkPhoto(svg)).toEqual({ ok: false, message: 'Le fichier n’est pas une image JPEG ou PNG.' });
    const jpeg = await photo('jpeg');
    const corrupted = Buffer.concat([jpeg.subarray(0, 300), Buffer.alloc(200, 0)]);
    expect(await checkPhoto(corrupted)).toEqual({ ok: false, message: 'L’image est abîmée ou illisible.' });
    expect(await checkPhoto(await photo('jpeg', 50))).toEqual({
      ok: false,
      message: 'L’image est trop petite : au moins 200 × 200 pixels.',
    });
    expect(await checkPhoto(Buffer.alloc(30 * 1024 * 1024, 1))).toEqual({ ok: false, message: 'La photo dépasse 10 Mo.' });
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
      message: 'Le PDF est abîmé, protégé par un mot de passe ou illisible.',
    });
    expect(await checkDocument(Buffer.from('MZ\x90\x00 this is a windows program'))).toEqual({
      ok: false,
      message: 'Le fichier doit être un PDF, une image JPEG ou PNG.',
    });
  });
});
