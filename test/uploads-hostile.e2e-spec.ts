import { createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PDFDocument, PDFName } from 'pdf-lib';
import sharp from 'sharp';
import { insertDetainee, insertEstablishment, insertFamily, type DetaineeRow, type EstablishmentRow } from './factories/people';
import { insertPermitRequest } from './factories/permits';
import { query, queryOne } from './helpers/db';
import { onePagePdf, photoPng } from './helpers/files';
import { page } from './helpers/html';
import { APPENDED, encryptedPdf, HOSTILE_MARKS, hostilePdf, hugePng } from './helpers/hostile-files';
import { binary, filesIn, permitsApp, pdfText, refusedUpload, uploadStep } from './helpers/permits';
import { type Agent, signInFamily } from './helpers/sign-in';

/**
 * Hostile files sent by a family on the permit request's photo (step 5) and proof of address
 * (step 7) steps (issue #14): each refused with a French message and nothing stored, or stored
 * only as a clean copy (a re-encoded image, a re-written PDF).
 */
const suite = permitsApp();

let establishment: EstablishmentRow;
let detainee: DetaineeRow;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-Şanlıurfa' });
  detainee = await insertDetainee(establishment.id, { lastName: 'Nguyễn', firstName: 'Şükrü', legalStatus: 'CONDAMNE' });
});

/** A family of its own, signed in, with a draft answered up to `step`. */
async function draftAt(step: number): Promise<{ agent: Agent; id: string }> {
  const family = await insertFamily({ givenName: 'Łucja', familyName: 'Haddad-محمد' });
  const agent = await signInFamily(suite.app.url, family);
  const draft = await insertPermitRequest({
    familyAccountId: family.id,
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    status: 'DRAFT',
    step,
  });
  return { agent, id: draft.id };
}

async function documentsOf(id: string) {
  return query<{ id: string; storageKey: string; sha256: string; sizeBytes: number; contentType: string }>(
    `SELECT id, storage_key AS "storageKey", sha256, size_bytes AS "sizeBytes", content_type AS "contentType"
       FROM permit_documents WHERE request_id = $1`,
    [id],
  );
}

/** Sends each file to the step, expects its message on the step's page, and that nothing was stored. */
async function expectRefused(step: number, cases: [Buffer, string, string][]) {
  const { agent, id } = await draftAt(step);
  const before = filesIn(suite.docs.dir).length;
  for (const [file, name, message] of cases) {
    const res = await refusedUpload(agent, id, step, await uploadStep(agent, id, step, file, name));
    expect({ name, message: page(res).fieldError('fichier') }).toEqual({ name, message });
  }
  expect(filesIn(suite.docs.dir)).toHaveLength(before);
  expect(await documentsOf(id)).toEqual([]);
}

/** A stored file read back with the test's key: [12-byte IV][16-byte tag][AES-256-GCM data]. */
function decrypted(storageKey: string): Buffer {
  const [file] = filesIn(suite.docs.dir).filter((f) => f.endsWith(`/${storageKey}`));
  const raw = readFileSync(file);
  const decipher = createDecipheriv('aes-256-gcm', suite.docs.key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('hostile uploads on a permit request (issue #14)', () => {
  it('refuses a 16000 × 16000 PNG and a decompression bomb on the photo step, saying what to send, and stores nothing', async () => {
    // The page's text reads the no-break space in « 10 000 » as a space.
    const tooLarge = (w: number, h: number) =>
      `L’image est trop grande (${w} × ${h} pixels) : envoyez une image de 10 000 pixels de côté et 50 mégapixels au plus (réduisez-la ou prenez une nouvelle photo).`;
    const bomb = hugePng(60000, 60000, 4);
    expect(bomb.length).toBeLessThan(1000);
    const started = Date.now();
    await expectRefused(5, [
      [hugePng(16000, 16000), 'photo.png', tooLarge(16000, 16000)],
      [bomb, 'bombe.png', tooLarge(60000, 60000)],
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses an empty file, executables renamed .png and .pdf, a 30 MB file and an encrypted PDF, and stores nothing', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(5000, 7)]);
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(5000, 3)]);
    await expectRefused(7, [
      [Buffer.alloc(0), 'vide.pdf', 'Le fichier est vide (0 octet) : choisissez un autre fichier.'],
      [
        elf,
        'facture.png',
        'Le fichier doit être un PDF, une image JPEG ou PNG. Choisissez un fichier dans l’un de ces formats, ou prenez une photo du document.',
      ],
      [
        exe,
        'facture.pdf',
        'Le fichier doit être un PDF, une image JPEG ou PNG. Choisissez un fichier dans l’un de ces formats, ou prenez une photo du document.',
      ],
      [
        Buffer.alloc(30 * 1024 * 1024, 1),
        'facture.pdf',
        'Le fichier dépasse 10 Mo. Choisissez un fichier plus léger, ou envoyez une photo du document.',
      ],
      [
        await encryptedPdf(),
        'facture.pdf',
        'Le PDF est protégé par un mot de passe : enregistrez-le sans mot de passe, ou envoyez une photo du document.',
      ],
      [
        Buffer.from('%PDF-1.7\n<script>alert(1)</script>', 'latin1'),
        'facture.pdf',
        'Le PDF est abîmé, protégé par un mot de passe ou illisible. Enregistrez-le à nouveau sans mot de passe, ou envoyez une photo du document.',
      ],
    ]);
    await expectRefused(5, [[Buffer.alloc(0), 'photo.png', 'La photo est vide (0 octet) : choisissez une autre photo.']]);
  });

  it('stores a PNG with a PDF and a ZIP appended (a polyglot) as a plain JPEG without them', async () => {
    const { agent, id } = await draftAt(5);
    const polyglot = Buffer.concat([await photoPng(), await onePagePdf('Polyglotte'), Buffer.from('PK\x03\x04p2v-zip', 'latin1')]);
    expect((await uploadStep(agent, id, 5, polyglot, 'photo.png')).status).toBe(303);
    const [doc] = await documentsOf(id);
    const served = await agent.get(`/demandes/${id}/documents/${doc.id}`).buffer(true).parse(binary).expect(200);
    const stored = served.body as Buffer;
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(stored).metadata()).format).toBe('jpeg');
    expect(stored.includes('%PDF')).toBe(false);
    expect(stored.includes('PK\x03\x04')).toBe(false);
    expect(stored.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(decrypted(doc.storageKey)).toEqual(stored);
    expect({ sha256: doc.sha256, size: doc.sizeBytes }).toEqual({ sha256: sha256(stored), size: stored.length });
  });

  it('stores a PDF with an OpenAction script, metadata and appended bytes re-written without them, with the sha256 of what is stored', async () => {
    const { agent, id } = await draftAt(7);
    const hostile = await hostilePdf('Justificatif de domicile');
    expect(HOSTILE_MARKS.filter((m) => !hostile.includes(m))).toEqual([]);
    expect(hostile.includes(APPENDED)).toBe(true);
    expect((await uploadStep(agent, id, 7, hostile, 'facture.pdf')).status).toBe(303);
    const [doc] = await documentsOf(id);
    expect(doc.contentType).toBe('application/pdf');
    const served = await agent.get(`/demandes/${id}/documents/${doc.id}`).buffer(true).parse(binary).expect(200);
    const stored = served.body as Buffer;
    expect(decrypted(doc.storageKey)).toEqual(stored);
    expect({ sha256: doc.sha256, size: doc.sizeBytes }).toEqual({ sha256: sha256(stored), size: stored.length });
    expect(HOSTILE_MARKS.filter((m) => stored.includes(m))).toEqual([]);
    expect(stored.includes(APPENDED)).toBe(false);
    expect(stored.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    const copy = await PDFDocument.load(stored);
    expect(copy.getAuthor()).toBeUndefined();
    for (const key of ['OpenAction', 'AA', 'Names', 'Metadata']) expect(copy.catalog.get(PDFName.of(key))).toBeUndefined();
    expect(copy.getPage(0).node.get(PDFName.of('AA'))).toBeUndefined();
    expect(await pdfText(stored)).toBe('Justificatif de domicile');
    const audited = await queryOne<{ sha256: string }>(
      `SELECT after->>'sha256' AS sha256 FROM audit_log WHERE action = 'PERMIT_DOCUMENT_UPLOADED' AND entity_id = $1`,
      [doc.id],
    );
    expect(audited.sha256).toBe(sha256(stored));
  });
});
