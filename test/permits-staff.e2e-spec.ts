import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { photoPng } from './helpers/files';
import { pdfText, submitRequest } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { Agent, csrfOf, FAMILY, signIn, STAFF } from './helpers/sign-in';

const RECOURSE =
  "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.";

let app: TestApp;
let docsDir: string;
let camille: Agent;
let greffe: Agent;
let chef: Agent;
let request: { id: string; reference: string };
let permitUrl: string;

function binary(res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (res as unknown as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(chunks)));
}

beforeAll(async () => {
  docsDir = mkdtempSync(join(tmpdir(), 'p2v-docs-'));
  app = await startTestApp({ DOCUMENTS_DIR: docsDir });
  camille = (await signIn(app.url, FAMILY.camille)).agent;
  greffe = (await signIn(app.url, STAFF.permitsNord)).agent;
  chef = (await signIn(app.url, STAFF.headNord)).agent;
  request = await submitRequest(camille);
});
afterAll(async () => {
  await app?.stop();
  rmSync(docsDir, { recursive: true, force: true });
});

const base = '/etablissements/CPNORD/permis/demandes';

describe('the establishment instructs and decides', () => {
  it('shows the request in the work queue with the time left before the 2-month deadline', async () => {
    const queue = await greffe.get(`${base}`).expect(200);
    expect(queue.text).toContain(request.reference);
    expect(queue.text).toMatch(/(59|60|61|62) jours restants/);
    const found = await greffe.get(`${base}?q=${request.reference.toLowerCase()}`).expect(200);
    expect(found.text).toContain(request.reference);
    const none = await greffe.get(`${base}?q=personne-inconnue`).expect(200);
    expect(none.text).toContain('Aucune demande.');
  });

  it('an agent of another establishment sees nothing, even with the ids', async () => {
    const sud = (await signIn(app.url, STAFF.permitsSud)).agent;
    const [doc] = await query(`SELECT id FROM permit_documents WHERE request_id = $1 AND kind = 'PHOTO'`, [request.id]);
    await sud.get(`${base}`).expect(403);
    await sud.get(`${base}/${request.id}`).expect(403);
    await sud.get(`/etablissements/CPNORD/permis/documents/${doc.id}`).expect(403);
    await sud.get(`/etablissements/MASUD/permis/demandes/${request.id}`).expect(404);
    await sud.get(`/etablissements/MASUD/permis/documents/${doc.id}`).expect(404);
    const parloir = (await signIn(app.url, STAFF.parloirNord)).agent;
    await parloir.get(`${base}/${request.id}`).expect(403);
  });

  it('asks the family for a new photo; the family sends it and sends the request back', async () => {
    const page = await greffe.get(`${base}/${request.id}`).expect(200);
    expect(page.text).toContain('Lina Martin');
    const photoSrc = /src="(\/etablissements\/CPNORD\/permis\/documents\/[^"]+)"/.exec(page.text)![1];
    await greffe.get(photoSrc).expect(200).expect('Content-Type', 'image/jpeg');
    const short = await greffe
      .post(`${base}/${request.id}/documents-demandes`)
      .type('form')
      .send({ _csrf: csrfOf(page), message: 'photo' })
      .expect(400);
    expect(short.text).toContain('10 caractères au moins');
    await greffe
      .post(`${base}/${request.id}/documents-demandes`)
      .type('form')
      .send({ _csrf: csrfOf(page), message: 'La photo est floue : envoyez une photo récente, de face.' })
      .expect(303);
    const mail = await waitFor(
      'incomplete e-mail',
      async () => (await query(`SELECT subject, body FROM demo_inbox WHERE subject LIKE 'Documents demandés%'`))[0],
      20000,
    );
    expect(mail.body).toContain('« La photo est floue : envoyez une photo récente, de face. »');

    const detail = await camille.get(`/demandes/${request.id}`).expect(200);
    expect(detail.text).toContain('L’établissement attend des documents');
    expect(detail.text).toContain('La photo est floue');
    const upload = await camille
      .post(`/demandes/${request.id}/documents`)
      .field('_csrf', csrfOf(detail))
      .field('kind', 'PHOTO')
      .attach('fichier', await photoPng(500), 'nouvelle.png');
    expect(upload.status).toBe(303);
    const again = await camille.get(`/demandes/${request.id}?document=1`).expect(200);
    await camille
      .post(`/demandes/${request.id}/renvoyer`)
      .type('form')
      .send({ _csrf: csrfOf(again) })
      .expect(303);
    expect(await query(`SELECT status FROM permit_requests WHERE id = $1`, [request.id])).toEqual([{ status: 'SUBMITTED' }]);
    expect(
      await query(`SELECT original_name FROM permit_documents WHERE request_id = $1 AND kind = 'PHOTO' AND current`, [request.id]),
    ).toEqual([{ original_name: 'nouvelle.png' }]);
  });

  it('reviews each document (a reason required to replace), keeps internal notes from the family, marks the request ready', async () => {
    const page = await greffe.get(`${base}/${request.id}`).expect(200);
    const [photo] = await query(`SELECT id FROM permit_documents WHERE request_id = $1 AND kind = 'PHOTO' AND current`, [request.id]);
    const noReason = await greffe
      .post(`${base}/${request.id}/documents/${photo.id}/examen`)
      .type('form')
      .send({ _csrf: csrfOf(page), review: 'TO_REPLACE', reason: '' })
      .expect(400);
    expect(noReason.text).toContain('Indiquez pourquoi le document doit être remplacé');
    await greffe
      .post(`${base}/${request.id}/documents/${photo.id}/examen`)
      .type('form')
      .send({ _csrf: csrfOf(page), review: 'ACCEPTED' })
      .expect(303);
    expect(await query(`SELECT review FROM permit_documents WHERE id = $1`, [photo.id])).toEqual([{ review: 'ACCEPTED' }]);
    await greffe
      .post(`${base}/${request.id}/notes`)
      .type('form')
      .send({ _csrf: csrfOf(page), note: 'Vérifier le livret de famille au parloir.' })
      .expect(303);
    expect((await greffe.get(`${base}/${request.id}`)).text).toContain('Vérifier le livret de famille');
    expect((await camille.get(`/demandes/${request.id}`)).text).not.toContain('livret de famille');
    await greffe
      .post(`${base}/${request.id}/prete`)
      .type('form')
      .send({ _csrf: csrfOf(page) })
      .expect(303);
    expect(await query(`SELECT status FROM permit_requests WHERE id = $1`, [request.id])).toEqual([{ status: 'READY' }]);
  });

  it('only the head of establishment decides, and a refusal without motivation is refused', async () => {
    const page = await greffe.get(`${base}/${request.id}`).expect(200);
    expect(page.text).not.toContain('Décision du chef d’établissement');
    await greffe
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: csrfOf(page), decision: 'GRANT' })
      .expect(403);
    const chefPage = await chef.get(`${base}/${request.id}`).expect(200);
    const res = await chef
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: csrfOf(chefPage), decision: 'REFUSE', motivation: 'Non.' })
      .expect(400);
    expect(res.text).toContain('Un refus doit être motivé en fait et en droit');
    expect(await query(`SELECT status FROM permit_requests WHERE id = $1`, [request.id])).toEqual([{ status: 'READY' }]);
  });

  it('a motivated refusal: the family is told with the recourse mention, the letter (PDF) carries it verbatim', async () => {
    const page = await chef.get(`${base}/${request.id}`).expect(200);
    const motivation = 'Le lien de parenté déclaré n’est pas établi par les pièces fournies (article R. 341-5 du code pénitentiaire).';
    await chef
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: csrfOf(page), decision: 'REFUSE', motivation })
      .expect(303);
    const pdf = await chef
      .get(`${base}/${request.id}/lettre-de-refus.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain(RECOURSE);
    expect(text).toContain('Le lien de parenté déclaré');
    expect(text).toContain(request.reference);
    const mail = await waitFor(
      'refusal e-mail',
      async () => (await query(`SELECT body FROM demo_inbox WHERE subject LIKE 'Décision sur votre demande%'`))[0],
      20000,
    );
    expect(mail.body.replace(/\s+/g, ' ')).toContain(RECOURSE);
    const family = await camille.get(`/demandes/${request.id}`).expect(200);
    expect(family.text).toContain('Refusée');
    expect(
      await query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'PERMIT_REQUEST_REFUSED'`, [request.id]),
    ).toHaveLength(1);
  });

  it('a grant creates the permit: photo shown large, for the visiting-room agents too', async () => {
    const second = await submitRequest(camille, { givenName: 'Noé', familyName: 'Martin', birthdate: '02/05/1990' });
    const page = await chef.get(`${base}/${second.id}`).expect(200);
    const res = await chef
      .post(`${base}/${second.id}/decision`)
      .type('form')
      .send({ _csrf: csrfOf(page), decision: 'GRANT', motivation: '' })
      .expect(303);
    expect(res.headers.location).toMatch(/^\/etablissements\/CPNORD\/permis\/[0-9a-f-]{36}$/);
    const parloir = (await signIn(app.url, STAFF.parloirNord)).agent;
    const permit = await parloir.get(res.headers.location).expect(200);
    expect(permit.text).toContain('Noé MARTIN');
    expect(permit.text).toContain('Actif');
    const photo = /src="(\/etablissements\/CPNORD\/permis\/documents\/[^"]+)"/.exec(permit.text)![1];
    await parloir.get(photo).expect(200).expect('Content-Type', 'image/jpeg');
    // The visiting-room agent sees the permit's photo, not the identity document or proof of address.
    const [idDoc] = await query(`SELECT id FROM permit_documents WHERE request_id = $1 AND kind = 'ID_DOCUMENT'`, [second.id]);
    await parloir.get(`/etablissements/CPNORD/permis/documents/${idDoc.id}`).expect(404);
    await greffe.get(`/etablissements/CPNORD/permis/documents/${idDoc.id}`).expect(200);
    const [p] = await query(`SELECT status, origin, valid_to FROM permits WHERE request_id = $1`, [second.id]);
    expect(p).toEqual({ status: 'ACTIVE', origin: 'ONLINE', valid_to: null });
    await waitFor(
      'grant e-mail',
      async () => (await query(`SELECT 1 FROM demo_inbox WHERE subject = $1`, [`Permis de visite accordé (réf. ${second.reference})`]))[0],
      20000,
    );
    permitUrl = res.headers.location;
  });

  it('prints the permit with a QR code that carries only a signed token, which the door check recognises', async () => {
    const parloir = (await signIn(app.url, STAFF.parloirNord)).agent;
    const pdf = await parloir
      .get(`${permitUrl}/permis.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Noé MARTIN');
    const permitId = permitUrl.split('/').pop()!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SignedTokens } = require('../dist/src/common/signed-tokens');
    const token = new SignedTokens('development-only-session-secret-change-me-0000', 'permit-qr-token', 'P2V1').sign(permitId);
    expect(token).not.toContain('Martin');
    await parloir
      .get(`/etablissements/CPNORD/permis/verifier?jeton=${encodeURIComponent(token)}`)
      .expect(303)
      .expect('Location', permitUrl);
    const forged = await parloir
      .get(`/etablissements/CPNORD/permis/verifier?jeton=${encodeURIComponent(token.slice(0, -2) + 'AA')}`)
      .expect(404);
    expect(forged.text).toContain('Ce code ne correspond à aucun permis');
  });

  it('records a permit issued by a magistrate for a prévenu, with its photo; refuses a "paper" one for a prévenu', async () => {
    const [prevenu] = await query(
      `SELECT d.ecrou_number FROM detainees d JOIN establishments e ON e.id = d.establishment_id WHERE e.code = 'CPNORD' AND d.legal_status = 'PREVENU' AND d.custody_status = 'PRESENT' LIMIT 1`,
    );
    const form = await greffe.get('/etablissements/CPNORD/permis/enregistrer').expect(200);
    const send = (fields: Record<string, string>, photo?: Buffer) => {
      let req = greffe.post('/etablissements/CPNORD/permis/enregistrer').field('_csrf', csrfOf(form));
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return photo ? req.attach('fichier', photo, 'photo.png') : req;
    };
    const fields = {
      ecrou: prevenu.ecrou_number,
      givenName: 'Sami',
      familyName: 'Haddad',
      birthdate: '03/04/1988',
      relationship: 'SIBLING',
      validFrom: '01/12/2026',
      validTo: '',
    };
    const empty = await send({ ...fields, givenName: '', origin: 'MAGISTRATE' }, await photoPng()).expect(400);
    expect(empty.text).toContain('Saisissez le prénom du visiteur');
    const paper = await send({ ...fields, origin: 'PAPER' }, await photoPng()).expect(400);
    expect(paper.text).toContain('le permis est délivré par le magistrat chargé du dossier');
    const noPhoto = await send({ ...fields, origin: 'MAGISTRATE' }).expect(400);
    expect(noPhoto.text).toContain('Ajoutez la photo du visiteur');
    const ok = await send({ ...fields, origin: 'MAGISTRATE' }, await photoPng()).expect(303);
    const permit = await greffe.get(ok.headers.location).expect(200);
    expect(permit.text).toContain('Sami HADDAD');
    expect(permit.text).toContain('Délivré par le magistrat chargé du dossier');
    const photo = /src="(\/etablissements\/CPNORD\/permis\/documents\/[^"]+)"/.exec(permit.text)![1];
    await greffe.get(photo).expect(200).expect('Content-Type', 'image/jpeg');
    const sud = (await signIn(app.url, STAFF.permitsSud)).agent;
    await sud.get(photo.replace('CPNORD', 'MASUD')).expect(404);
  });

  it('suspends (motivated), reactivates and withdraws (confirmed) a permit; the family is told each time', async () => {
    let page = await chef.get(permitUrl).expect(200);
    const bare = await chef
      .post(`${permitUrl}/statut`)
      .type('form')
      .send({ _csrf: csrfOf(page), status: 'SUSPENDED', reason: '' })
      .expect(400);
    expect(bare.text).toContain('Une suspension ou un retrait doit être motivé');
    await chef
      .post(`${permitUrl}/statut`)
      .type('form')
      .send({ _csrf: csrfOf(page), status: 'SUSPENDED', reason: 'Incident au parloir du 20 novembre.' })
      .expect(303);
    expect((await chef.get(permitUrl)).text).toContain('Suspendu');
    // The permits officer holds a valid form token (from an open request) but not the role.
    const open = await submitRequest(camille, { givenName: 'Eva', familyName: 'Martin', birthdate: '01/01/1995' });
    const greffePage = await greffe.get(`${base}/${open.id}`).expect(200);
    const refused = await greffe
      .post(`${permitUrl}/statut`)
      .type('form')
      .send({ _csrf: csrfOf(greffePage), status: 'ACTIVE' })
      .expect(403);
    expect(refused.text).toContain('Accès refusé');
    page = await chef.get(permitUrl);
    await chef
      .post(`${permitUrl}/statut`)
      .type('form')
      .send({ _csrf: csrfOf(page), status: 'ACTIVE' })
      .expect(303);
    page = await chef.get(permitUrl);
    const unconfirmed = await chef
      .post(`${permitUrl}/statut`)
      .type('form')
      .send({ _csrf: csrfOf(page), status: 'WITHDRAWN', reason: 'Faits graves constatés lors de la visite.' })
      .expect(400);
    expect(unconfirmed.text).toContain('Cochez la case pour confirmer le retrait définitif');
    await chef
      .post(`${permitUrl}/statut`)
      .type('form')
      .send({ _csrf: csrfOf(page), status: 'WITHDRAWN', reason: 'Faits graves constatés lors de la visite.', confirm: 'oui' })
      .expect(303);
    const [p] = await query(`SELECT status, status_reason FROM permits WHERE id = $1`, [permitUrl.split('/').pop()]);
    expect(p).toEqual({ status: 'WITHDRAWN', status_reason: 'Faits graves constatés lors de la visite.' });
    const subjects = await waitFor(
      'status e-mails',
      async () => {
        const rows = await query(`SELECT subject FROM demo_inbox WHERE subject LIKE 'Permis de visite %(Noé Martin)' ORDER BY id`);
        return rows.length === 3 ? rows.map((r) => r.subject) : undefined;
      },
      20000,
    );
    expect(subjects).toEqual([
      'Permis de visite suspendu (Noé Martin)',
      'Permis de visite de nouveau valable (Noé Martin)',
      'Permis de visite retiré (Noé Martin)',
    ]);
    expect(await query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [permitUrl.split('/').pop()])).toEqual([
      { action: 'PERMIT_ISSUED' },
      { action: 'PERMIT_SUSPENDED' },
      { action: 'PERMIT_ACTIVE' },
      { action: 'PERMIT_WITHDRAWN' },
    ]);
  });
});
