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
    const short = await greffe.post(`${base}/${request.id}/documents-demandes`).type('form').send({ _csrf: csrfOf(page), message: 'photo' }).expect(400);
    expect(short.text).toContain('10 caractères au moins');
    await greffe
      .post(`${base}/${request.id}/documents-demandes`)
      .type('form')
      .send({ _csrf: csrfOf(page), message: 'La photo est floue : envoyez une photo récente, de face.' })
      .expect(303);
    const mail = await waitFor('incomplete e-mail', async () => (await query(`SELECT subject, body FROM demo_inbox WHERE subject LIKE 'Documents demandés%'`))[0], 20000);
    expect(mail.body).toContain('« La photo est floue : envoyez une photo récente, de face. »');

    const detail = await camille.get(`/demandes/${request.id}`).expect(200);
    expect(detail.text).toContain('L’établissement attend des documents');
    expect(detail.text).toContain('La photo est floue');
    const upload = await camille.post(`/demandes/${request.id}/documents`).field('_csrf', csrfOf(detail)).field('kind', 'PHOTO').attach('fichier', await photoPng(500), 'nouvelle.png');
    expect(upload.status).toBe(303);
    const again = await camille.get(`/demandes/${request.id}?document=1`).expect(200);
    await camille.post(`/demandes/${request.id}/renvoyer`).type('form').send({ _csrf: csrfOf(again) }).expect(303);
    expect(await query(`SELECT status FROM permit_requests WHERE id = $1`, [request.id])).toEqual([{ status: 'SUBMITTED' }]);
    expect(await query(`SELECT original_name FROM permit_documents WHERE request_id = $1 AND kind = 'PHOTO' AND current`, [request.id])).toEqual([{ original_name: 'nouvelle.png' }]);
  });

  it('only the head of establishment decides, and a refusal without motivation is refused', async () => {
    const page = await greffe.get(`${base}/${request.id}`).expect(200);
    expect(page.text).not.toContain('Décision du chef d’établissement');
    await greffe.post(`${base}/${request.id}/decision`).type('form').send({ _csrf: csrfOf(page), decision: 'GRANT' }).expect(403);
    const chefPage = await chef.get(`${base}/${request.id}`).expect(200);
    const res = await chef.post(`${base}/${request.id}/decision`).type('form').send({ _csrf: csrfOf(chefPage), decision: 'REFUSE', motivation: 'Non.' }).expect(400);
    expect(res.text).toContain('Un refus doit être motivé en fait et en droit');
    expect(await query(`SELECT status FROM permit_requests WHERE id = $1`, [request.id])).toEqual([{ status: 'SUBMITTED' }]);
  });

  it('a motivated refusal: the family is told with the recourse mention, the letter (PDF) carries it verbatim', async () => {
    const page = await chef.get(`${base}/${request.id}`).expect(200);
    const motivation = 'Le lien de parenté déclaré n’est pas établi par les pièces fournies (article R. 341-5 du code pénitentiaire).';
    await chef.post(`${base}/${request.id}/decision`).type('form').send({ _csrf: csrfOf(page), decision: 'REFUSE', motivation }).expect(303);
    const pdf = await chef.get(`${base}/${request.id}/lettre-de-refus.pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200).expect('Content-Type', 'application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain(RECOURSE);
    expect(text).toContain('Le lien de parenté déclaré');
    expect(text).toContain(request.reference);
    const mail = await waitFor('refusal e-mail', async () => (await query(`SELECT body FROM demo_inbox WHERE subject LIKE 'Décision sur votre demande%'`))[0], 20000);
    expect(mail.body.replace(/\s+/g, ' ')).toContain(RECOURSE);
    const family = await camille.get(`/demandes/${request.id}`).expect(200);
    expect(family.text).toContain('Refusée');
    expect(await query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'PERMIT_REQUEST_REFUSED'`, [request.id])).toHaveLength(1);
  });

  it('a grant creates the permit: photo shown large, for the visiting-room agents too', async () => {
    const second = await submitRequest(camille, { givenName: 'Noé', familyName: 'Martin', birthdate: '02/05/1990' });
    const page = await chef.get(`${base}/${second.id}`).expect(200);
    const res = await chef.post(`${base}/${second.id}/decision`).type('form').send({ _csrf: csrfOf(page), decision: 'GRANT', motivation: '' }).expect(303);
    expect(res.headers.location).toMatch(/^\/etablissements\/CPNORD\/permis\/[0-9a-f-]{36}$/);
    const parloir = (await signIn(app.url, STAFF.parloirNord)).agent;
    const permit = await parloir.get(res.headers.location).expect(200);
    expect(permit.text).toContain('Noé MARTIN');
    expect(permit.text).toContain('Actif');
    const photo = /src="(\/etablissements\/CPNORD\/permis\/documents\/[^"]+)"/.exec(permit.text)![1];
    await parloir.get(photo).expect(200).expect('Content-Type', 'image/jpeg');
    const [p] = await query(`SELECT status, origin, valid_to FROM permits WHERE request_id = $1`, [second.id]);
    expect(p).toEqual({ status: 'ACTIVE', origin: 'ONLINE', valid_to: null });
    await waitFor('grant e-mail', async () => (await query(`SELECT 1 FROM demo_inbox WHERE subject = $1`, [`Permis de visite accordé (réf. ${second.reference})`]))[0], 20000);
  });
});
