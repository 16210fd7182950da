import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import {
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { insertPermitRequest, insertRequestDocument, insertRequestDocuments } from './factories/permits';
import { sendDocument } from './factories/register';
import { query, serverUrl, waitingOnLock, withClient } from './helpers/db';
import { onePagePdf, photoJpegWithGps, photoPng } from './helpers/files';
import { page } from './helpers/html';
import { binary, filesIn, newRequest, permitsApp, postStep, refusedUpload, uploadStep } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { type Agent, signInFamily } from './helpers/sign-in';

const suite = permitsApp();

const NOT_VERIFIED =
  'Nous ne pouvons pas vérifier ces informations. Vérifiez l’établissement, le numéro d’écrou et le nom de famille de la personne détenue.';

let establishment: EstablishmentRow;
let condamne: DetaineeRow;
let prevenu: DetaineeRow;
/**
 * A family for the tests that leave nothing on the account that another test reads (no failed
 * look-up, no list position); the others sign in a family of their own.
 */
let shared: { family: FamilyRow; agent: Agent };

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Târgu-Ocna' });
  condamne = await insertDetainee(establishment.id, { lastName: 'Lefèvre-Nguyễn', firstName: 'Şükrü', legalStatus: 'CONDAMNE' });
  prevenu = await insertDetainee(establishment.id, { lastName: 'Haddad', firstName: 'محمد', legalStatus: 'PREVENU' });
  shared = await family();
});

/** A family of its own for a test, signed in through FranceConnect (the demo provider). */
async function family(o: Partial<FamilyRow> = {}): Promise<{ family: FamilyRow; agent: Agent }> {
  const created = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin', ...o });
  return { family: created, agent: await signInFamily(suite.app.url, created) };
}

/** A draft of this family, answered up to `step` (the detainee chosen). */
function draftAt(familyAccountId: string, step: number) {
  return insertPermitRequest({ familyAccountId, establishmentId: establishment.id, detaineeId: condamne.id, status: 'DRAFT', step });
}

async function truncatedJpeg(): Promise<Buffer> {
  const full = await sharp({
    create: { width: 800, height: 800, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 30 } },
  })
    .jpeg()
    .toBuffer();
  return Buffer.concat([full.subarray(0, Math.floor(full.length * 0.6)), Buffer.alloc(500)]);
}

describe('a family requests a visit permit online', () => {
  it('step 1 verifies the detainee with one neutral message for any wrong combination', async () => {
    const { agent } = await family();
    const elsewhere = await insertEstablishment();
    const id = await newRequest(agent);
    const wrongName = await postStep(agent, id, 1, {
      establishment: establishment.code,
      ecrou: condamne.ecrouNumber,
      lastName: 'Personne',
    });
    const unknownEcrou = await postStep(agent, id, 1, { establishment: establishment.code, ecrou: '999999', lastName: condamne.lastName });
    const otherEstablishment = await postStep(agent, id, 1, {
      establishment: elsewhere.code,
      ecrou: condamne.ecrouNumber,
      lastName: condamne.lastName,
    });
    for (const res of [wrongName, unknownEcrou, otherEstablishment]) {
      expect(res.status).toBe(400);
      expect(page(res).errors()).toEqual([NOT_VERIFIED]);
    }
    const empty = await postStep(agent, id, 1, { establishment: '', ecrou: '', lastName: '' });
    expect(empty.status).toBe(400);
    expect(page(empty).errors()).toEqual([
      'Choisissez l’établissement',
      'Saisissez le numéro d’écrou : chiffres et lettres, 20 au plus',
      'Saisissez le nom de famille de la personne détenue',
    ]);
    // Steps ahead are not reachable before step 1 is done.
    await agent.get(`/demandes/${id}/etape/5`).expect(303).expect('Location', `/demandes/${id}/etape/1`);
  });

  it('explains that a prévenu’s permit comes from the magistrate', async () => {
    const { agent } = shared;
    const id = await newRequest(agent);
    const res = await postStep(agent, id, 1, { establishment: establishment.code, ecrou: prevenu.ecrouNumber, lastName: prevenu.lastName });
    expect(res.status).toBe(200);
    expect(page(res).heading()).toBe('Cette demande ne se fait pas en ligne');
    expect(page(res).mainText()).toContain('le magistrat chargé de son dossier');
  });

  it('goes through every step (case- and accent-insensitive name), keeps answers, and sends the request', async () => {
    const { family: camille, agent } = shared;
    const id = await newRequest(agent);
    const typedName = ` ${condamne.lastName
      .toUpperCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')} `;
    const step1 = await postStep(agent, id, 1, { establishment: establishment.code, ecrou: condamne.ecrouNumber, lastName: typedName });
    expect(step1.status).toBe(303);
    expect(step1.headers.location).toBe(`/demandes/${id}/etape/2`);
    const notUnderstood = await postStep(agent, id, 2, {});
    expect(notUnderstood.status).toBe(400);
    expect(page(notUnderstood).errors()).toEqual(['Cochez « J’ai compris » pour continuer']);
    expect((await postStep(agent, id, 2, { understood: 'oui' })).status).toBe(303);
    const visitor = { forWhom: 'autre', givenName: 'Łucja', familyName: 'Nguyễn-Şahin', birthdate: '14/03/2016' };
    const badDate = await postStep(agent, id, 3, { ...visitor, birthdate: '31/02/2016' });
    expect(badDate.status).toBe(400);
    expect(page(badDate).errors()).toEqual(['Saisissez une date de naissance valide, au format JJ/MM/AAAA']);
    expect(page(badDate).value('givenName')).toBe('Łucja');
    expect((await postStep(agent, id, 3, visitor)).status).toBe(303);
    expect((await postStep(agent, id, 4, { relationship: 'DESCENDANT' })).status).toBe(303);

    const photo = await uploadStep(agent, id, 5, await photoJpegWithGps(), 'łucja.jpg');
    expect(photo.status).toBe(303);
    const preview = page(await agent.get(`/demandes/${id}/etape/5`).expect(200));
    const stored = await agent
      .get(preview.testId('document-preview').attr('src')!)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', 'image/jpeg');
    expect((await sharp(stored.body as Buffer).metadata()).exif).toBeUndefined();

    expect((await uploadStep(agent, id, 6, await onePagePdf('Carte d identite'), 'cni.pdf', { idType: 'CNI' })).status).toBe(303);
    expect((await uploadStep(agent, id, 7, await photoPng(), 'facture.png')).status).toBe(303);
    expect((await postStep(agent, id, 8, { comment: 'Łucja viendra avec moi.' })).status).toBe(303);
    // Łucja is a minor: the parental-authority holders' consent comes with the request.
    const consent = await sendDocument(
      agent,
      id,
      'PARENTAL_CONSENT',
      await onePagePdf('Autorisation'),
      'autorisation.pdf',
      `/demandes/${id}/etape/9`,
    );
    expect(consent.status).toBe(303);

    // Answers are kept: going back shows them.
    const back = page(await agent.get(`/demandes/${id}/etape/3`).expect(200));
    expect(back.value('givenName')).toBe('Łucja');
    expect(back.value('familyName')).toBe('Nguyễn-Şahin');
    const summary = page(await agent.get(`/demandes/${id}/etape/9`).expect(200));
    expect(summary.text('summary-visitor')).toContain('Łucja Nguyễn-Şahin');
    expect(summary.text('minor')).toBe('mineur');
    expect(summary.text('summary-detainee')).toContain('Şükrü Lefèvre-Nguyễn');
    expect(summary.has('missing')).toBe(false);

    const sent = await postStep(agent, id, 9, {});
    expect(sent.status).toBe(303);
    const detail = page(await agent.get(sent.headers.location).expect(200));
    const reference = detail.text('sent-reference');
    expect(reference).toMatch(/^PV-[A-Z0-9]{8}$/);
    expect(detail.text('status')).toBe('Déposée');
    const mail = await waitFor(
      'acknowledgement',
      async () =>
        (
          await query(`SELECT subject, body FROM demo_inbox WHERE recipient = $1 AND subject LIKE $2`, [camille.email, `%${reference}%`])
        )[0],
      15000,
    );
    expect(mail.subject).toBe(`Demande de permis de visite reçue (réf. ${reference})`);
    expect(mail.body).toContain(`/demandes/${id}`);
    expect(mail.body).toContain('Visiteur : Łucja Nguyễn-Şahin');
    const mine = page(await agent.get('/demandes').expect(200));
    expect(mine.texts('request-title')).toContain(`Demande ${reference}`);
    // Sent: the steps are closed, the request's page says so.
    const closed = await agent.get(`/demandes/${id}/etape/2`).expect(303).expect('Location', `/demandes/${id}?deja=1`);
    expect(page(await agent.get(closed.headers.location).expect(200)).text('already-sent-notice')).toBe(
      'Cette demande est déjà envoyée : elle ne se modifie plus. Vous la suivez sur cette page.',
    );
  });

  it('stores documents encrypted: the files on disk do not contain the content', async () => {
    const { family: owner, agent } = shared;
    const draft = await draftAt(owner.id, 5);
    const pdf = await onePagePdf('Carte d identite');
    expect((await uploadStep(agent, draft.id, 5, await photoPng(), 'photo.png')).status).toBe(303);
    expect((await uploadStep(agent, draft.id, 6, pdf, 'cni.pdf', { idType: 'PASSEPORT' })).status).toBe(303);
    expect((await uploadStep(agent, draft.id, 7, await photoPng(), 'facture.png')).status).toBe(303);
    const keys = await query<{ storage_key: string }>(`SELECT storage_key FROM permit_documents WHERE request_id = $1`, [draft.id]);
    expect(keys).toHaveLength(3);
    const files = filesIn(suite.docs.dir).filter((f) => keys.some((k) => f.endsWith(k.storage_key)));
    expect(files).toHaveLength(3);
    for (const f of files) {
      const raw = readFileSync(f);
      expect(raw.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
      expect(raw.includes(pdf.subarray(0, 64))).toBe(false);
      expect(raw.subarray(28, 31).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    }
  });

  it('another family cannot see the request or its documents, even with the ids', async () => {
    const owner = await insertFamily({ givenName: 'Ştefan', familyName: 'Popescu' });
    const request = await insertPermitRequest({
      familyAccountId: owner.id,
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      visitorGivenName: 'Ştefania',
    });
    const doc = await insertRequestDocument(suite.docs, request.id, 'PHOTO');
    const { agent: other } = await family({ givenName: 'محمد', familyName: 'Benali' });
    await other.get(`/demandes/${request.id}`).expect(404);
    await other.get(`/demandes/${request.id}/etape/1`).expect(404);
    await other.get(`/demandes/${request.id}/documents/${doc.id}`).expect(404);
    await other.get(`/demandes/00000000-0000-0000-0000-000000000000/documents/${doc.id}`).expect(404);
    const list = page(await other.get('/demandes').expect(200));
    expect(list.has('request')).toBe(false);
    expect(list.mainText()).not.toContain('Ştefania');
  });

  it('refuses a renamed executable, a 30 MB file, a corrupted image, an SVG with a script, and stores nothing', async () => {
    const { family: owner, agent } = await family();
    const draft = await draftAt(owner.id, 5);
    const before = filesIn(suite.docs.dir).length;
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(5000, 7)]);
    const cases: [Buffer, string, string][] = [
      [elf, 'photo.jpg', 'Le fichier n’est pas une image JPEG ou PNG. Choisissez une photo au format JPEG ou PNG.'],
      [
        Buffer.alloc(30 * 1024 * 1024, 1),
        'grosse.jpg',
        'Le fichier dépasse 10 Mo. Choisissez un fichier plus léger, ou envoyez une photo du document.',
      ],
      [await truncatedJpeg(), 'abimee.jpg', 'L’image est abîmée ou illisible. Prenez une nouvelle photo.'],
      [
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><script>alert(1)</script></svg>'),
        'photo.svg',
        'Le fichier n’est pas une image JPEG ou PNG. Choisissez une photo au format JPEG ou PNG.',
      ],
    ];
    for (const [file, name, message] of cases) {
      const res = await refusedUpload(agent, draft.id, 5, await uploadStep(agent, draft.id, 5, file, name));
      expect(page(res).fieldError('fichier')).toBe(message);
    }
    expect(filesIn(suite.docs.dir)).toHaveLength(before);
    expect(await query(`SELECT count(*)::int AS n FROM permit_documents WHERE request_id = $1`, [draft.id])).toEqual([{ n: 0 }]);
    // The draft can be resumed later from "Mes demandes", at the step reached.
    const mine = page(await agent.get('/demandes').expect(200));
    expect(mine.testId('resume-link').attr('href')).toBe(`/demandes/${draft.id}/etape/5`);
  });

  it('limits failed detainee look-ups per account', async () => {
    const { agent } = await family();
    const id = await newRequest(agent);
    for (let i = 0; i < 5; i++)
      expect((await postStep(agent, id, 1, { establishment: establishment.code, ecrou: `77${i}`, lastName: 'X' })).status).toBe(400);
    const limited = await postStep(agent, id, 1, {
      establishment: establishment.code,
      ecrou: condamne.ecrouNumber,
      lastName: condamne.lastName,
    });
    expect(limited.status).toBe(429);
    expect(page(limited).errors()).toEqual([
      'Trop de tentatives en une heure. Vérifiez les informations avec la personne détenue ou l’établissement, puis réessayez plus tard.',
    ]);
  });
});

describe('repeated submissions and "back" in the request', () => {
  /** A draft of a family of its own, answered and with its three documents: ready to send. */
  async function readyToSend() {
    const { family: f, agent } = await family({ givenName: 'Şükrü', familyName: 'Łukaszewicz' });
    const draft = await draftAt(f.id, 9);
    await insertRequestDocuments(suite.docs, draft.id);
    return { agent, id: draft.id };
  }

  it('a double tap on « Envoyer la demande » sends the request once, and both taps show its acknowledgement', async () => {
    const { agent, id } = await readyToSend();
    const summary = page(await agent.get(`/demandes/${id}/etape/9`).expect(200));
    const send = () => agent.post(`/demandes/${id}/etape/9`).type('form').send({ _csrf: summary.csrf() });
    const taps = await Promise.all([send(), send()]);
    for (const tap of taps) {
      expect(tap.status).toBe(303);
      expect(tap.headers.location).toBe(`/demandes/${id}?envoyee=1`);
    }
    const ack = page(await agent.get(taps[1].headers.location).expect(200));
    expect(ack.text('status')).toBe('Déposée');
    expect(ack.text('sent-reference')).toMatch(/^PV-[A-Z0-9]{8}$/);
    expect(
      await query(
        `SELECT (SELECT count(*)::int FROM audit_log WHERE action = 'PERMIT_REQUEST_SUBMITTED' AND entity_id = $1::text) AS audited,
                (SELECT count(*)::int FROM letters WHERE request_id = $1::uuid AND kind = 'ACKNOWLEDGEMENT') AS letters,
                (SELECT count(*)::int FROM notifications WHERE entity_id = $1::uuid) AS mails`,
        [id],
      ),
    ).toEqual([{ audited: 1, letters: 1, mails: 1 }]);
  });

  it('« back » after sending shows the request sent, and a step’s old page sent again changes nothing', async () => {
    const { agent, id } = await readyToSend();
    const summary = page(await agent.get(`/demandes/${id}/etape/9`).expect(200));
    const photoStep = page(await agent.get(`/demandes/${id}/etape/5`).expect(200));
    expect((await agent.post(`/demandes/${id}/etape/9`).type('form').send({ _csrf: summary.csrf() })).headers.location).toBe(
      `/demandes/${id}?envoyee=1`,
    );
    // "Back" reloads the summary (never kept by the browser): the request's page instead.
    const back = await agent.get(`/demandes/${id}/etape/9`).expect(303).expect('Location', `/demandes/${id}?deja=1`);
    expect(page(await agent.get(back.headers.location).expect(200)).has('already-sent-notice')).toBe(true);
    // "Envoyer la demande" on a page kept open: the acknowledgement again, not an error.
    const again = await agent.post(`/demandes/${id}/etape/9`).type('form').send({ _csrf: summary.csrf() }).expect(303);
    expect(again.headers.location).toBe(`/demandes/${id}?envoyee=1`);
    const ack = page(await agent.get(again.headers.location).expect(200));
    expect(ack.text('status')).toBe('Déposée');
    // A photo sent from the photo step's old page: the request's page, the documents unchanged.
    const photo = await agent
      .post(`/demandes/${id}/etape/5`)
      .field('_csrf', photoStep.csrf())
      .attach('fichier', await photoPng(), 'autre.png')
      .expect(303);
    expect(photo.headers.location).toBe(`/demandes/${id}?deja=1`);
    expect(await query(`SELECT kind FROM permit_documents WHERE request_id = $1 ORDER BY kind`, [id])).toEqual([
      { kind: 'ID_DOCUMENT' },
      { kind: 'PHOTO' },
      { kind: 'PROOF_OF_ADDRESS' },
    ]);
    expect(
      await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'PERMIT_REQUEST_SUBMITTED' AND entity_id = $1`, [id]),
    ).toEqual([{ n: 1 }]);
  });

  it('a double tap on « Demander un permis de visite » opens one draft, and so does coming back to it before choosing the detainee', async () => {
    const { family: f, agent } = await family({ givenName: 'عائشة', familyName: 'Łęcka' });
    const list = page(await agent.get('/demandes').expect(200));
    const tap = () => agent.post('/demandes').type('form').send({ _csrf: list.csrf() });
    const [first, second] = await Promise.all([tap(), tap()]);
    expect(first.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect((await tap().expect(303)).headers.location).toBe(first.headers.location);
    const drafts = page(await agent.get('/demandes').expect(200));
    expect(drafts.texts('request-title')).toEqual(['Demande en cours de saisie']);
    expect(await query(`SELECT count(*)::int AS n FROM permit_requests WHERE family_account_id = $1`, [f.id])).toEqual([{ n: 1 }]);
    // Once its detainee is chosen, the button starts another request.
    const id = /^\/demandes\/([0-9a-f-]{36})\/etape\/1$/.exec(first.headers.location)![1];
    expect(
      (await postStep(agent, id, 1, { establishment: establishment.code, ecrou: condamne.ecrouNumber, lastName: condamne.lastName }))
        .status,
    ).toBe(303);
    const next = await tap().expect(303);
    expect(next.headers.location).not.toBe(first.headers.location);
    expect(await query(`SELECT count(*)::int AS n FROM permit_requests WHERE family_account_id = $1`, [f.id])).toEqual([{ n: 2 }]);
  });

  it('a refused file is shown once, on the step’s page the browser is sent back to, which opened again shows what is saved', async () => {
    const { family: f, agent } = await family();
    const draft = await draftAt(f.id, 5);
    const refused = await refusedUpload(
      agent,
      draft.id,
      5,
      await uploadStep(agent, draft.id, 5, Buffer.alloc(11 * 1024 * 1024, 1), 'grosse.jpg'),
    );
    expect(page(refused).fieldError('fichier')).toBe(
      'Le fichier dépasse 10 Mo. Choisissez un fichier plus léger, ou envoyez une photo du document.',
    );
    expect(refused.headers['cache-control']).toBe('private, no-store');
    expect((await uploadStep(agent, draft.id, 5, await photoPng(), 'photo-şükrü.png')).headers.location).toBe(
      `/demandes/${draft.id}/etape/6`,
    );
    const reopened = await agent.get(`/demandes/${draft.id}/etape/5`).expect(200);
    expect(reopened.headers['cache-control']).toBe('private, no-store');
    expect(page(reopened).fieldError('fichier')).toBeNull();
    expect(page(reopened).errors()).toEqual([]);
    expect(page(reopened).text('saved-file')).toContain('Fichier enregistré : photo-şükrü.png.');
  });
});

// On PostgreSQL: the session's row, locked from another connection, holds the app's save of it
// (the embedded server runs one transaction at a time: the page would wait for the lock too).
(serverUrl() ? describe : describe.skip)('a refused file’s errors, kept in the session for the page that shows them', () => {
  it('are stored before the redirect reaches the browser, which follows it on its headers', async () => {
    const { family: owner, agent } = await family();
    const draft = await draftAt(owner.id, 5);
    const step = await agent.get(`/demandes/${draft.id}/etape/5`).expect(200);
    const cookie = String(step.headers['set-cookie']).split(';')[0];
    const sid = /^s:([^.]+)\./.exec(decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)))![1];
    const form = new FormData();
    form.append('_csrf', page(step).csrf());
    form.append('fichier', new Blob(['pas une photo'], { type: 'text/plain' }), 'photo.txt');
    const location = await withClient(async (lock) => {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM session WHERE sid = $1 FOR UPDATE', [sid]);
      const url = `${suite.app.url}/demandes/${draft.id}/etape/5`;
      const answered = fetch(url, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
      // The app saving the session waits for the lock.
      await waitingOnLock('%"session"%', 20000);
      // While the session is not stored, the answer's headers (the redirect) have not left.
      const first = await Promise.race([answered.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
      expect(first).toBe('waiting');
      await lock.query('COMMIT');
      const res = await answered;
      expect(res.status).toBe(303);
      return res.headers.get('location')!;
    });
    expect(location).toBe(`/demandes/${draft.id}/etape/5`);
    const shown = page(await agent.get(location).expect(400));
    expect(shown.fieldError('fichier')).toBe('Le fichier n’est pas une image JPEG ou PNG. Choisissez une photo au format JPEG ou PNG.');
    // Shown once: the page again has no error.
    expect(page(await agent.get(location).expect(200)).has('error-summary')).toBe(false);
  });
});

describe('hostile input on the family’s pages', () => {
  it('a field sent twice is refused with its French message, not a 500', async () => {
    const { family: owner, agent } = shared;
    const id = await newRequest(agent);
    const form = page(await agent.get(`/demandes/${id}/etape/1`).expect(200));
    const twice = await agent
      .post(`/demandes/${id}/etape/1`)
      .type('form')
      .send(`_csrf=${form.csrf()}&establishment=${establishment.code}&ecrou=1&ecrou=2&lastName=Haddad`)
      .expect(400);
    expect(page(twice).fieldError('ecrou')).toBe('Saisissez le numéro d’écrou : chiffres et lettres, 20 au plus');
    const draft = await draftAt(owner.id, 3);
    const visitor = page(await agent.get(`/demandes/${draft.id}/etape/3`).expect(200));
    const names = await agent
      .post(`/demandes/${draft.id}/etape/3`)
      .type('form')
      .send(`_csrf=${visitor.csrf()}&forWhom=autre&givenName=A&givenName=B&familyName=C&birthdate=01%2F02%2F2000`)
      .expect(400);
    expect(page(names).errors()).toEqual(['Saisissez le prénom du visiteur']);
  });

  it('a NUL character in a step’s field is refused with a French 400 page', async () => {
    const { agent } = shared;
    const id = await newRequest(agent);
    const form = page(await agent.get(`/demandes/${id}/etape/1`).expect(200));
    const res = await agent
      .post(`/demandes/${id}/etape/1`)
      .type('form')
      .send(`_csrf=${form.csrf()}&establishment=${establishment.code}&ecrou=1%00&lastName=Had%00dad`)
      .expect(400);
    expect(page(res).mainText()).toContain('Votre saisie contient un caractère non autorisé');
  });

  it('ids that are not UUIDs or step numbers answer 400, unknown ones 404, never 500', async () => {
    const { agent } = shared;
    const id = await newRequest(agent);
    await agent.get('/demandes/pas-un-uuid').expect(400);
    await agent.get('/demandes/pas-un-uuid/etape/1').expect(400);
    await agent.get(`/demandes/${id}/etape/x`).expect(400);
    await agent.get(`/demandes/${id}/etape/1e3`).expect(400);
    await agent.get(`/demandes/${id}/etape/12`).expect(404);
    await agent.get(`/demandes/${id}/documents/1'%20OR%201=1`).expect(400);
    await agent.get('/demandes/00000000-0000-0000-0000-000000000000').expect(404);
  });
});
