import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { onePagePdf, photoJpegWithGps, photoPng } from './helpers/files';
import { newRequest, postStep, uploadStep } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { Agent, FAMILY, signIn } from './helpers/sign-in';

let app: TestApp;
let docsDir: string;
let camille: Agent;
let condamne: { ecrou_number: string; last_name: string; first_name: string };
let prevenu: { ecrou_number: string; last_name: string };

function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(docsDir);
  return out;
}

beforeAll(async () => {
  docsDir = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
  app = await startTestApp({ DOCUMENTS_DIR: docsDir });
  camille = (await signIn(app.url, FAMILY.camille)).agent;
  [condamne] = await query(
    `SELECT d.ecrou_number, d.last_name, d.first_name FROM detainees d JOIN establishments e ON e.id = d.establishment_id WHERE e.code = 'CPNORD' AND d.legal_status = 'CONDAMNE' ORDER BY d.ecrou_number LIMIT 1`,
  );
  [prevenu] = await query(
    `SELECT d.ecrou_number, d.last_name FROM detainees d JOIN establishments e ON e.id = d.establishment_id WHERE e.code = 'CPNORD' AND d.legal_status = 'PREVENU' ORDER BY d.ecrou_number LIMIT 1`,
  );
});
afterAll(async () => {
  await app?.stop();
  rmSync(docsDir, { recursive: true, force: true });
});

async function truncatedJpeg(): Promise<Buffer> {
  const full = await sharp({
    create: { width: 800, height: 800, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 30 } },
  })
    .jpeg()
    .toBuffer();
  return Buffer.concat([full.subarray(0, Math.floor(full.length * 0.6)), Buffer.alloc(500)]);
}

describe('a family requests a visit permit online', () => {
  let id: string;

  it('step 1 verifies the detainee with one neutral message for any wrong combination', async () => {
    id = await newRequest(camille);
    const wrongName = await postStep(camille, id, 1, { establishment: 'CPNORD', ecrou: condamne.ecrou_number, lastName: 'Personne' });
    const unknownEcrou = await postStep(camille, id, 1, { establishment: 'CPNORD', ecrou: '999999', lastName: condamne.last_name });
    const otherEstablishment = await postStep(camille, id, 1, {
      establishment: 'MASUD',
      ecrou: condamne.ecrou_number,
      lastName: condamne.last_name,
    });
    for (const res of [wrongName, unknownEcrou, otherEstablishment]) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('Nous ne pouvons pas vérifier ces informations.');
    }
    const empty = await postStep(camille, id, 1, { establishment: '', ecrou: '', lastName: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Choisissez l’établissement');
    // Steps ahead are not reachable before step 1 is done.
    await camille.get(`/demandes/${id}/etape/5`).expect(303).expect('Location', `/demandes/${id}/etape/1`);
  });

  it('explains that a prévenu’s permit comes from the magistrate', async () => {
    const res = await postStep(camille, id, 1, { establishment: 'CPNORD', ecrou: prevenu.ecrou_number, lastName: prevenu.last_name });
    expect(res.status).toBe(200);
    expect(res.text).toContain('le magistrat chargé de son dossier');
  });

  it('goes through every step (case- and accent-insensitive name), keeps answers, and sends the request', async () => {
    const step1 = await postStep(camille, id, 1, {
      establishment: 'CPNORD',
      ecrou: condamne.ecrou_number,
      lastName: ` ${condamne.last_name
        .toUpperCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')} `,
    });
    expect(step1.status).toBe(303);
    expect(step1.headers.location).toBe(`/demandes/${id}/etape/2`);
    expect((await postStep(camille, id, 2, {})).status).toBe(400);
    expect((await postStep(camille, id, 2, { understood: 'oui' })).status).toBe(303);
    const badDate = await postStep(camille, id, 3, { forWhom: 'autre', givenName: 'Lina', familyName: 'Martin', birthdate: '31/02/2016' });
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('Saisissez une date de naissance valide');
    expect(badDate.text).toContain('value="Lina"');
    expect(
      (await postStep(camille, id, 3, { forWhom: 'autre', givenName: 'Lina', familyName: 'Martin', birthdate: '14/03/2016' })).status,
    ).toBe(303);
    expect((await postStep(camille, id, 4, { relationship: 'DESCENDANT' })).status).toBe(303);

    const photo = await uploadStep(camille, id, 5, await photoJpegWithGps(), 'lina.jpg');
    expect(photo.status).toBe(303);
    const preview = await camille.get(`/demandes/${id}/etape/5`).expect(200);
    const photoUrl = /src="(\/demandes\/[^"]+\/documents\/[^"]+)"/.exec(preview.text)![1];
    const stored = await camille.get(photoUrl).expect(200).expect('Content-Type', 'image/jpeg');
    expect((await sharp(stored.body).metadata()).exif).toBeUndefined();

    expect((await uploadStep(camille, id, 6, await onePagePdf('Carte d identite'), 'cni.pdf', { idType: 'CNI' })).status).toBe(303);
    expect((await uploadStep(camille, id, 7, await photoPng(), 'facture.png')).status).toBe(303);
    expect((await postStep(camille, id, 8, { comment: 'Lina viendra avec moi.' })).status).toBe(303);

    // Answers are kept: going back shows them.
    const back = await camille.get(`/demandes/${id}/etape/3`).expect(200);
    expect(back.text).toContain('value="Lina"');
    const summary = await camille.get(`/demandes/${id}/etape/9`).expect(200);
    expect(summary.text).toContain('Lina Martin');
    expect(summary.text).toContain('<strong>mineur</strong>');
    expect(summary.text).not.toContain('Il manque encore');

    const sent = await postStep(camille, id, 9, {});
    expect(sent.status).toBe(303);
    const detail = await camille.get(sent.headers.location).expect(200);
    const reference = /Notez sa référence : <strong>(PV-[A-Z0-9]{8})<\/strong>/.exec(detail.text)![1];
    expect(detail.text).toContain('Statut : <strong>Déposée</strong>');
    const mail = await waitFor(
      'acknowledgement',
      async () => (await query(`SELECT subject, body FROM demo_inbox WHERE subject LIKE $1`, [`%${reference}%`]))[0],
      20000,
    );
    expect(mail.subject).toBe(`Demande de permis de visite reçue (réf. ${reference})`);
    expect(mail.body).toContain(`/demandes/${id}`);
    const mine = await camille.get('/demandes').expect(200);
    expect(mine.text).toContain(`Demande ${reference}`);
    // Sent: the steps are closed.
    await camille.get(`/demandes/${id}/etape/2`).expect(409);
  });

  it('stores documents encrypted: the files on disk do not contain the content', async () => {
    const pdf = await onePagePdf('Carte d identite');
    const files = filesOnDisk();
    expect(files.length).toBe(3);
    for (const f of files) {
      const raw = readFileSync(f);
      expect(raw.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
      expect(raw.includes(pdf.subarray(0, 64))).toBe(false);
      expect(raw.subarray(28, 31).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    }
  });

  it('another family cannot see the request or its documents, even with the ids', async () => {
    const [doc] = await query(`SELECT id FROM permit_documents WHERE request_id = $1 LIMIT 1`, [id]);
    const karim = (await signIn(app.url, FAMILY.karim)).agent;
    await karim.get(`/demandes/${id}`).expect(404);
    await karim.get(`/demandes/${id}/etape/1`).expect(404);
    await karim.get(`/demandes/${id}/documents/${doc.id}`).expect(404);
    await karim.get(`/demandes/00000000-0000-0000-0000-000000000000/documents/${doc.id}`).expect(404);
    const page = await karim.get('/demandes').expect(200);
    expect(page.text).not.toContain('Lina');
  });

  it('refuses a renamed executable, a 30 MB file, a corrupted image, an SVG with a script, and stores nothing', async () => {
    const other = await newRequest(camille);
    await postStep(camille, other, 1, { establishment: 'CPNORD', ecrou: condamne.ecrou_number, lastName: condamne.last_name });
    await postStep(camille, other, 2, { understood: 'oui' });
    await postStep(camille, other, 3, { forWhom: 'moi' });
    await postStep(camille, other, 4, { relationship: 'SPOUSE' });
    const before = filesOnDisk().length;
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(5000, 7)]);
    const cases: [Buffer, string, string][] = [
      [elf, 'photo.jpg', 'Le fichier n’est pas une image JPEG ou PNG.'],
      [Buffer.alloc(30 * 1024 * 1024, 1), 'grosse.jpg', 'Le fichier dépasse 10 Mo.'],
      [await truncatedJpeg(), 'abimee.jpg', 'L’image est abîmée ou illisible.'],
      [
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(1)</script></svg>'),
        'photo.svg',
        'Le fichier n’est pas une image JPEG ou PNG.',
      ],
    ];
    for (const [file, name, message] of cases) {
      const res = await uploadStep(camille, other, 5, file, name);
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
    }
    expect(filesOnDisk().length).toBe(before);
    expect(await query(`SELECT count(*)::int AS n FROM permit_documents WHERE request_id = $1`, [other])).toEqual([{ n: 0 }]);
    // The draft can be resumed later from "Mes demandes", at the step reached.
    const mine = await camille.get('/demandes').expect(200);
    expect(mine.text).toContain(`/demandes/${other}/etape/5`);
  });

  it('limits failed detainee look-ups per account', async () => {
    const karim = (await signIn(app.url, FAMILY.karim)).agent;
    const rid = await newRequest(karim);
    for (let i = 0; i < 5; i++)
      expect((await postStep(karim, rid, 1, { establishment: 'CPNORD', ecrou: `77${i}`, lastName: 'X' })).status).toBe(400);
    const limited = await postStep(karim, rid, 1, { establishment: 'CPNORD', ecrou: condamne.ecrou_number, lastName: condamne.last_name });
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Trop de tentatives en une heure');
  });
});
