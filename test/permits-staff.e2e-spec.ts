import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type AgentRow,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { insertPermit, insertPermitRequest, insertRequestDocument, insertRequestDocuments, type RequestStatus } from './factories/permits';
import { query } from './helpers/db';
import { photoPng } from './helpers/files';
import { page } from './helpers/html';
import { binary, pdfText, permitsApp } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';
import { forgedToken } from './helpers/tokens';

/* The built module, as the app runs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SignedTokens } = require('../dist/src/common/signed-tokens') as typeof import('../src/common/signed-tokens');

const RECOURSE =
  "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois " +
  "à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.";

const suite = permitsApp();

let establishment: EstablishmentRow;
let elsewhere: EstablishmentRow;
let condamne: DetaineeRow;
let prevenu: DetaineeRow;
let family: FamilyRow;
let chefRow: AgentRow;
const as = {} as Record<'family' | 'greffe' | 'chef' | 'parloir' | 'greffeElsewhere', Agent>;
let base: string;
let permits: string;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
  elsewhere = await insertEstablishment();
  base = `/etablissements/${establishment.code}/permis/demandes`;
  permits = `/etablissements/${establishment.code}/permis`;
  condamne = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
  prevenu = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Haddad', legalStatus: 'PREVENU' });
  family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  const role = (r: 'PERMITS_OFFICER' | 'HEAD_OF_ESTABLISHMENT' | 'PARLOIR_AGENT', at = establishment) => [
    { establishmentId: at.id, role: r },
  ];
  const greffeRow = await insertAgent(role('PERMITS_OFFICER'), { givenName: 'Ștefan', usualName: 'Popescu' });
  chefRow = await insertAgent(role('HEAD_OF_ESTABLISHMENT'), { givenName: 'Zofia', usualName: 'Łukasiewicz' });
  const parloirRow = await insertAgent(role('PARLOIR_AGENT'), { givenName: 'Thị Lan', usualName: 'Nguyễn' });
  const elsewhereRow = await insertAgent(role('PERMITS_OFFICER', elsewhere), { givenName: 'Gül', usualName: 'Yılmaz' });
  as.family = await signInFamily(suite.app.url, family);
  as.greffe = await signInAgent(suite.app.url, greffeRow);
  as.chef = await signInAgent(suite.app.url, chefRow);
  as.parloir = await signInAgent(suite.app.url, parloirRow);
  as.greffeElsewhere = await signInAgent(suite.app.url, elsewhereRow);
});

/** A request of the family, sent to the establishment, with its three documents. */
async function sentRequest(o: { status?: RequestStatus; visitorGivenName?: string; visitorFamilyName?: string; completeAt?: Date } = {}) {
  const request = await insertPermitRequest({
    familyAccountId: family.id,
    establishmentId: establishment.id,
    detaineeId: condamne.id,
    visitorGivenName: 'Łucja',
    visitorFamilyName: 'Nguyễn-Şahin',
    ...o,
  });
  return { ...request, reference: request.reference!, documents: await insertRequestDocuments(suite.docs, request.id) };
}

async function requestStatus(id: string): Promise<string> {
  return (await query<{ status: string }>(`SELECT status FROM permit_requests WHERE id = $1`, [id]))[0].status;
}

/** The family's mail whose subject is like `subject` (SQL LIKE), once delivered. */
function mailTo(recipient: string, subject: string) {
  return waitFor(
    `e-mail "${subject}"`,
    async () =>
      (
        await query<{ subject: string; body: string }>(`SELECT subject, body FROM demo_inbox WHERE recipient = $1 AND subject LIKE $2`, [
          recipient,
          subject,
        ])
      )[0],
    15000,
  );
}

describe('the establishment instructs and decides', () => {
  it('shows the request in the work queue with the time left before the 2-month deadline', async () => {
    const request = await sentRequest();
    const queue = page(await as.greffe.get(base).expect(200));
    expect(queue.texts('queue-reference')).toContain(request.reference);
    const found = page(await as.greffe.get(`${base}?q=${request.reference.toLowerCase()}`).expect(200));
    expect(found.texts('queue-reference')).toEqual([request.reference]);
    expect(found.text('queue-visitor')).toBe('Łucja Nguyễn-Şahin');
    expect(found.text('queue-detainee')).toBe(`Şükrü Țurcanu (${condamne.ecrouNumber})`);
    expect(found.text('queue-days-left')).toMatch(/^(59|60|61|62) jours restants$/);
    const none = page(await as.greffe.get(`${base}?q=personne-inconnue`).expect(200));
    expect(none.text('queue-empty')).toBe('Aucune demande.');
  });

  it('an agent of another establishment sees nothing, even with the ids', async () => {
    const request = await sentRequest();
    const photo = request.documents.PHOTO.id;
    await as.greffeElsewhere.get(base).expect(403);
    await as.greffeElsewhere.get(`${base}/${request.id}`).expect(403);
    await as.greffeElsewhere.get(`${permits}/documents/${photo}`).expect(403);
    await as.greffeElsewhere.get(`/etablissements/${elsewhere.code}/permis/demandes/${request.id}`).expect(404);
    await as.greffeElsewhere.get(`/etablissements/${elsewhere.code}/permis/documents/${photo}`).expect(404);
    await as.parloir.get(`${base}/${request.id}`).expect(403);
  });

  it('asks the family for a new photo; the family sends it and sends the request back', async () => {
    const request = await sentRequest();
    const instruction = page(await as.greffe.get(`${base}/${request.id}`).expect(200));
    expect(instruction.text('visitor')).toContain('Łucja Nguyễn-Şahin');
    const photoSrc = instruction.testId('document-image').first().attr('src')!;
    await as.greffe.get(photoSrc).expect(200).expect('Content-Type', 'image/jpeg');
    const ask = `${base}/${request.id}/documents-demandes`;
    const short = await as.greffe.post(ask).type('form').send({ _csrf: instruction.csrf(), message: 'photo' }).expect(400);
    expect(page(short).errors()).toEqual(['Expliquez à la famille ce qu’elle doit envoyer (10 caractères au moins).']);
    await as.greffe
      .post(ask)
      .type('form')
      .send({ _csrf: instruction.csrf(), message: 'La photo est floue : envoyez une photo récente, de face.' })
      .expect(303);
    const mail = await mailTo(family.email, `Documents demandés%${request.reference}%`);
    expect(mail.body).toContain('« La photo est floue : envoyez une photo récente, de face. »');

    const detail = page(await as.family.get(`/demandes/${request.id}`).expect(200));
    expect(detail.text('documents-requested')).toContain('L’établissement attend des documents');
    expect(detail.texts('event').join(' ')).toContain('La photo est floue');
    // A refused file comes back to the request's page with its error once (post/redirect/get): "back" never shows it again.
    const refused = await as.family
      .post(`/demandes/${request.id}/documents`)
      .field('_csrf', detail.csrf())
      .field('kind', 'PHOTO')
      .attach('fichier', Buffer.from('ceci n’est pas une image'), 'photo.png');
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe(`/demandes/${request.id}`);
    const shown = await as.family.get(`/demandes/${request.id}`).expect(400);
    expect(shown.headers['cache-control']).toBe('private, no-store');
    expect(page(shown).errors()).toHaveLength(1);
    expect(page(await as.family.get(`/demandes/${request.id}`).expect(200)).errors()).toEqual([]);
    const upload = await as.family
      .post(`/demandes/${request.id}/documents`)
      .field('_csrf', detail.csrf())
      .field('kind', 'PHOTO')
      .attach('fichier', await photoPng(500), 'nouvelle.png');
    expect(upload.status).toBe(303);
    const again = page(await as.family.get(`/demandes/${request.id}?document=1`).expect(200));
    expect(again.text('notice')).toBe('Le document est enregistré.');
    await as.family.post(`/demandes/${request.id}/renvoyer`).type('form').send({ _csrf: again.csrf() }).expect(303);
    expect(await requestStatus(request.id)).toBe('SUBMITTED');
    expect(
      await query(`SELECT original_name FROM permit_documents WHERE request_id = $1 AND kind = 'PHOTO' AND current`, [request.id]),
    ).toEqual([{ original_name: 'nouvelle.png' }]);
    expect(
      await query(`SELECT actor_type, actor_label FROM audit_log WHERE action = 'PERMIT_REQUEST_RESUBMITTED' AND entity_id = $1`, [
        request.id,
      ]),
    ).toEqual([{ actor_type: 'FAMILY', actor_label: 'Łucja Nguyễn-Şahin' }]);
  });

  it('reviews each document (a reason required to replace), keeps internal notes from the family, marks the request ready', async () => {
    const request = await sentRequest();
    const photo = request.documents.PHOTO.id;
    const instruction = page(await as.greffe.get(`${base}/${request.id}`).expect(200));
    const review = `${base}/${request.id}/documents/${photo}/examen`;
    const noReason = await as.greffe
      .post(review)
      .type('form')
      .send({ _csrf: instruction.csrf(), review: 'TO_REPLACE', reason: '' })
      .expect(400);
    expect(page(noReason).fieldError(`reason-${photo}`)).toBe('Indiquez pourquoi le document doit être remplacé.');
    const accepted = await as.greffe.post(review).type('form').send({ _csrf: instruction.csrf(), review: 'ACCEPTED' }).expect(303);
    expect(accepted.headers.location).toBe(`${base}/${request.id}#document-${photo}`);
    expect(await query(`SELECT review FROM permit_documents WHERE id = $1`, [photo])).toEqual([{ review: 'ACCEPTED' }]);
    for (const other of [request.documents.ID_DOCUMENT.id, request.documents.PROOF_OF_ADDRESS.id])
      await as.greffe
        .post(`${base}/${request.id}/documents/${other}/examen`)
        .type('form')
        .send({ _csrf: instruction.csrf(), review: 'ACCEPTED' })
        .expect(303);
    await as.greffe
      .post(`${base}/${request.id}/notes`)
      .type('form')
      .send({ _csrf: instruction.csrf(), note: 'Vérifier le livret de famille au parloir.' })
      .expect(303);
    const after = page(await as.greffe.get(`${base}/${request.id}`).expect(200));
    expect(after.texts('event').join(' ')).toContain('Note interne : Vérifier le livret de famille au parloir.');
    expect(page(await as.family.get(`/demandes/${request.id}`).expect(200)).mainText()).not.toContain('livret de famille');
    await as.greffe.post(`${base}/${request.id}/prete`).type('form').send({ _csrf: instruction.csrf() }).expect(303);
    expect(await requestStatus(request.id)).toBe('READY');
  });

  it('offers "Marquer prête pour décision" only once no document is still à examiner, and refuses it posted before', async () => {
    const request = await sentRequest();
    const url = `${base}/${request.id}`;
    const before = page(await as.greffe.get(url).expect(200));
    expect(before.texts('document-review')).toEqual(['à examiner', 'à examiner', 'à examiner']);
    expect(before.mainText()).not.toContain('Marquer prête pour décision');
    expect(before.text('ready-blocked')).toBe(
      '3 documents sont encore à examiner : acceptez chaque document ou demandez son remplacement avant de marquer la demande prête pour décision.',
    );
    const review = (id: string, body: Record<string, string>) =>
      as.greffe
        .post(`${url}/documents/${id}/examen`)
        .type('form')
        .send({ _csrf: before.csrf(), ...body })
        .expect(303);
    await review(request.documents.PHOTO.id, { review: 'ACCEPTED' });
    await review(request.documents.ID_DOCUMENT.id, { review: 'TO_REPLACE', reason: 'Pièce d’identité expirée' });

    const refused = await as.greffe.post(`${url}/prete`).type('form').send({ _csrf: before.csrf() }).expect(409);
    const message =
      'Un document est encore à examiner : acceptez chaque document ou demandez son remplacement avant de marquer la demande prête pour décision.';
    expect(page(refused).errors()).toEqual([message]);
    expect(page(refused).testId('error-summary').find('a').attr('href')).toBe('#prete');
    expect(page(refused).text('ready-blocked')).toBe(message);
    expect(await requestStatus(request.id)).toBe('SUBMITTED');

    await review(request.documents.PROOF_OF_ADDRESS.id, { review: 'ACCEPTED' });
    const examined = page(await as.greffe.get(url).expect(200));
    expect(examined.texts('document-review')).toEqual(['à remplacer', 'accepté', 'accepté']);
    expect(examined.has('ready-blocked')).toBe(false);
    expect(examined.text('ready')).toBe('Marquer prête pour décision');
    await as.greffe.post(`${url}/prete`).type('form').send({ _csrf: before.csrf() }).expect(303);
    // Twice (a double click): the request is ready, no error, one event.
    await as.greffe.post(`${url}/prete`).type('form').send({ _csrf: before.csrf() }).expect(303);
    expect(await requestStatus(request.id)).toBe('READY');
    expect(
      await query(`SELECT count(*)::int AS n FROM permit_request_events WHERE request_id = $1 AND status = 'READY'`, [request.id]),
    ).toEqual([{ n: 1 }]);
    expect(page(await as.greffe.get(url).expect(200)).has('ready')).toBe(false);
  });

  it('only the head of establishment decides, and a refusal without motivation is refused', async () => {
    const request = await sentRequest({ status: 'READY' });
    const instruction = page(await as.greffe.get(`${base}/${request.id}`).expect(200));
    expect(instruction.has('decision-heading')).toBe(false);
    await as.greffe.post(`${base}/${request.id}/decision`).type('form').send({ _csrf: instruction.csrf(), decision: 'GRANT' }).expect(403);
    const chefPage = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    expect(chefPage.text('decision-heading')).toBe('Décision');
    const res = await as.chef
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: chefPage.csrf(), decision: 'REFUSE', ground: 'GOOD_ORDER', motivation: 'Non.' })
      .expect(400);
    expect(page(res).fieldError('motivation')).toBe('Un refus doit être motivé en fait et en droit (20 caractères au moins).');
    expect(await requestStatus(request.id)).toBe('READY');
  });

  it('a motivated refusal: the family is told with the recourse mention, the letter (PDF) carries it verbatim', async () => {
    const request = await sentRequest({ status: 'READY' });
    const chefPage = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    const motivation = 'Le lien de parenté déclaré n’est pas établi par les pièces fournies (article R. 341-5 du code pénitentiaire).';
    await as.chef
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: chefPage.csrf(), decision: 'REFUSE', ground: 'SECURITY', motivation })
      .expect(303);
    const letterLink = page(await as.chef.get(`${base}/${request.id}`).expect(200))
      .testId('refusal-letter')
      .attr('href')!;
    const pdf = await as.chef.get(letterLink).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain(RECOURSE);
    expect(text).toContain('Le lien de parenté déclaré');
    expect(text).toContain(request.reference);
    const mail = await mailTo(family.email, `Décision sur votre demande%${request.reference}%`);
    expect(mail.body.replace(/\s+/g, ' ')).toContain(RECOURSE);
    const detail = page(await as.family.get(`/demandes/${request.id}`).expect(200));
    expect(detail.text('status')).toBe('Refusée');
    expect(detail.text('refusal-motivation')).toBe(`Motif du refus : ${motivation}`);
    expect(
      await query(`SELECT actor_label FROM audit_log WHERE entity_id = $1 AND action = 'PERMIT_REQUEST_REFUSED'`, [request.id]),
    ).toEqual([{ actor_label: 'Zofia Łukasiewicz' }]);
  });

  it('a grant creates the permit: photo shown large, for the visiting-room agents too', async () => {
    const request = await sentRequest({ visitorGivenName: 'Noé', visitorFamilyName: 'Nguyễn' });
    const chefPage = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    const res = await as.chef
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: chefPage.csrf(), decision: 'GRANT', motivation: '' })
      .expect(303);
    expect(res.headers.location).toMatch(new RegExp(`^${permits}/[0-9a-f-]{36}$`));
    const permit = page(await as.parloir.get(res.headers.location).expect(200));
    expect(permit.text('permit-visitor')).toBe('Noé NGUYỄN');
    expect(permit.text('permit-status')).toBe('Actif');
    await as.parloir.get(permit.testId('permit-photo').attr('src')!).expect(200).expect('Content-Type', 'image/jpeg');
    // The visiting-room agent sees the permit's photo, not the identity document or proof of address.
    await as.parloir.get(`${permits}/documents/${request.documents.ID_DOCUMENT.id}`).expect(404);
    await as.greffe.get(`${permits}/documents/${request.documents.ID_DOCUMENT.id}`).expect(200);
    const [p] = await query(`SELECT id, status, origin, valid_to FROM permits WHERE request_id = $1`, [request.id]);
    expect(p).toMatchObject({ status: 'ACTIVE', origin: 'ONLINE', valid_to: null });
    expect(await query(`SELECT actor_label FROM audit_log WHERE entity_id = $1 AND action = 'PERMIT_ISSUED'`, [p.id])).toEqual([
      { actor_label: 'Zofia Łukasiewicz' },
    ]);
    await mailTo(family.email, `Permis de visite accordé (réf. ${request.reference})`);
  });

  it('the greffe prints the permit, the visiting room cannot; its QR code carries only a signed token, which the door check recognises', async () => {
    const photo = await insertRequestDocument(suite.docs, null, 'PHOTO');
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Nguyễn-Şahin',
      photoDocumentId: photo.id,
    });
    const permitUrl = `${permits}/${permit.id}`;
    // The greffe prints it; the visiting room checks it on screen, never prints it (need-to-know).
    await as.parloir.get(`${permitUrl}/permis.pdf`).expect(403);
    expect(page(await as.parloir.get(permitUrl).expect(200)).mainText()).not.toContain('Permis imprimable');
    const pdf = await as.greffe
      .get(`${permitUrl}/permis.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    expect(await pdfText(pdf.body as Buffer)).toContain('Łucja NGUYỄN-ŞAHIN');
    const token = new SignedTokens('development-only-session-secret-change-me-0000', 'permit-qr-token', 'P2V1').sign(permit.id);
    expect(token).not.toContain('Nguy');
    await as.parloir
      .get(`${permits}/verifier?jeton=${encodeURIComponent(token)}`)
      .expect(303)
      .expect('Location', permitUrl);
    const forged = await as.parloir.get(`${permits}/verifier?jeton=${encodeURIComponent(forgedToken(token))}`).expect(404);
    expect(page(forged).text('verify-unknown')).toContain('Ce code ne correspond à aucun permis');
  });

  it('records a permit issued by a magistrate for a prévenu, with its photo; refuses a "paper" one for a prévenu', async () => {
    const form = page(await as.greffe.get(`${permits}/enregistrer`).expect(200));
    const send = (fields: Record<string, string>, photo?: Buffer) => {
      let req = as.greffe.post(`${permits}/enregistrer`).field('_csrf', form.csrf());
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return photo ? req.attach('fichier', photo, 'photo.png') : req;
    };
    const fields = {
      ecrou: prevenu.ecrouNumber,
      givenName: 'Gül',
      familyName: 'Haddad-Şahin',
      birthdate: '03/04/1988',
      relationship: 'SIBLING',
      validFrom: '01/12/2026',
      validTo: '',
    };
    const empty = await send({ ...fields, givenName: '', origin: 'MAGISTRATE' }, await photoPng()).expect(400);
    expect(page(empty).errors()).toEqual(['Saisissez le prénom du visiteur']);
    const paper = await send({ ...fields, origin: 'PAPER' }, await photoPng()).expect(400);
    expect(page(paper).fieldError('ecrou')).toContain('le permis est délivré par le magistrat chargé du dossier');
    const noPhoto = await send({ ...fields, origin: 'MAGISTRATE' }).expect(400);
    expect(page(noPhoto).fieldError('fichier')).toBe('Ajoutez la photo du visiteur : les agents la comparent avec son visage à l’entrée.');
    const ok = await send({ ...fields, origin: 'MAGISTRATE' }, await photoPng()).expect(303);
    const permit = page(await as.greffe.get(ok.headers.location).expect(200));
    expect(permit.text('permit-visitor')).toBe('Gül HADDAD-ŞAHIN');
    expect(permit.text('permit-origin')).toBe('Délivré par le magistrat chargé du dossier');
    const photo = permit.testId('permit-photo').attr('src')!;
    await as.greffe.get(photo).expect(200).expect('Content-Type', 'image/jpeg');
    await as.greffeElsewhere.get(photo.replace(establishment.code, elsewhere.code)).expect(404);
  });

  it('refuses to record a permit for a visitor named by a no-contact order in force; flags a magistrate permit of a condamné for review', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ayşe', lastName: 'Łęcka', legalStatus: 'CONDAMNE' });
    await query(
      `INSERT INTO no_contact_orders (detainee_id, person_given_name, person_family_name, person_birthdate, source, authority, recorded_by)
       VALUES ($1, 'Gul', 'Haddad Sahin', '1988-04-03', 'JUDICIAL_RECORD', 'Tribunal judiciaire de Lille', $2)`,
      [detainee.id, chefRow.id],
    );
    const form = page(await as.greffe.get(`${permits}/enregistrer`).expect(200));
    const png = await photoPng();
    const send = (fields: Record<string, string>) => {
      let req = as.greffe.post(`${permits}/enregistrer`).field('_csrf', form.csrf());
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('fichier', png, 'photo.png');
    };
    const fields = {
      ecrou: detainee.ecrouNumber,
      givenName: 'Gül',
      familyName: 'Haddad-Şahin',
      birthdate: '03/04/1988',
      relationship: 'SIBLING',
      validFrom: '01/12/2026',
      validTo: '',
    };
    for (const origin of ['PAPER', 'MAGISTRATE']) {
      const refused = await send({ ...fields, origin }).expect(409);
      expect(page(refused).errors().join(' ')).toContain('interdiction d’entrer en relation en vigueur');
    }
    expect(await query(`SELECT 1 FROM permits WHERE detainee_id = $1`, [detainee.id])).toHaveLength(0);
    // Another visitor: recorded; the magistrate's permit of a detainee already condamné is due for the head's review (R341-5).
    const ok = await send({ ...fields, givenName: 'Łucja', origin: 'MAGISTRATE' }).expect(303);
    const paper = await send({ ...fields, givenName: 'Şükrü', origin: 'PAPER' }).expect(303);
    const due = async (location: string) =>
      (await query<{ due: boolean }>(`SELECT head_review_due AS due FROM permits WHERE id = $1`, [location.split('/').pop()]))[0].due;
    expect(await due(ok.headers.location)).toBe(true);
    expect(await due(paper.headers.location)).toBe(false);
  });

  it('suspends (motivated) in urgency, justified, reactivates directly, and refuses a direct suspension; the family is told each time', async () => {
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      familyAccountId: family.id,
      visitorGivenName: 'Zoë',
      visitorFamilyName: 'Łukasiewicz',
    });
    const permitUrl = `${permits}/${permit.id}`;
    const propose = `${permitUrl}/mesures/envisager`;
    const send = (url: string, fields: Record<string, string>) => ({
      expect: async (status: number) =>
        as.chef
          .post(url)
          .type('form')
          .send({ _csrf: page(await as.chef.get(propose).expect(200)).csrf(), ...fields })
          .expect(status),
    });
    const bare = await send(propose, { kind: 'SUSPENSION', grounds: '' }).expect(400);
    expect(page(bare).fieldError('grounds')).toBe('Une suspension ou un retrait doit être motivé (10 caractères au moins).');
    const urgent = {
      kind: 'SUSPENSION',
      grounds: 'Incident au parloir du 20 novembre.',
      urgent: 'oui',
      urgencyJustification: 'Visite prévue demain.',
    };
    const unconfirmed = await send(propose, urgent).expect(400);
    expect(page(unconfirmed).fieldError('confirm')).toBe(
      'Cochez la case pour confirmer la mesure immédiate, sans procédure contradictoire.',
    );
    await send(propose, { ...urgent, confirm: 'oui' }).expect(303);
    expect(page(await as.chef.get(permitUrl)).text('permit-status')).toContain('Suspendu');
    // The permits officer holds a valid form token but is not a signatory (no delegation).
    const greffeForm = page(await as.greffe.get(`${permits}/enregistrer`).expect(200));
    const refused = await as.greffe
      .post(`${permitUrl}/statut`)
      .type('form')
      .send({ _csrf: greffeForm.csrf(), status: 'ACTIVE' })
      .expect(403);
    expect(page(refused).errors()[0]).toContain('Seul le chef d’établissement, ou un agent ayant une délégation de signature en cours');
    await send(`${permitUrl}/statut`, { status: 'ACTIVE' }).expect(303);
    const direct = await send(`${permitUrl}/statut`, {
      status: 'WITHDRAWN',
      reason: 'Faits graves constatés lors de la visite.',
      confirm: 'oui',
    }).expect(409);
    expect(page(direct).errors()[0]).toContain(
      'Une suspension ou un retrait se décide après avoir invité le titulaire à présenter ses observations',
    );
    expect(await query(`SELECT status, status_reason FROM permits WHERE id = $1`, [permit.id])).toEqual([
      { status: 'ACTIVE', status_reason: null },
    ]);
    const subjects = await waitFor(
      'status e-mails',
      async () => {
        const rows = await query<{ subject: string }>(
          `SELECT subject FROM demo_inbox WHERE recipient = $1 AND subject LIKE $2 ORDER BY id`,
          [family.email, 'Permis de visite %(Zoë Łukasiewicz)'],
        );
        return rows.length === 2 ? rows.map((r) => r.subject) : undefined;
      },
      15000,
    );
    expect(subjects).toEqual(['Permis de visite suspendu (Zoë Łukasiewicz)', 'Permis de visite de nouveau valable (Zoë Łukasiewicz)']);
    expect(await query(`SELECT action, actor_label FROM audit_log WHERE entity_id = $1 ORDER BY id`, [permit.id])).toEqual([
      { action: 'PERMIT_SUSPENDED', actor_label: 'Zofia Łukasiewicz' },
      { action: 'PERMIT_ACTIVE', actor_label: 'Zofia Łukasiewicz' },
    ]);
  });

  it('staff cannot open the documents of a request the family has not sent yet (404), then can once it is sent', async () => {
    const draft = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      status: 'DRAFT',
      step: 9,
      visitorGivenName: 'Brouillon',
      visitorFamilyName: 'Pas-Envoyé',
    });
    const docs = await insertRequestDocuments(suite.docs, draft.id);
    await as.greffe.get(`${permits}/documents/${docs.PHOTO.id}`).expect(404);
    await as.greffe.get(`${permits}/documents/${docs.ID_DOCUMENT.id}`).expect(404);
    await as.greffe.get(`${base}/${draft.id}`).expect(404);
    const drafts = page(await as.greffe.get(`${base}?filtre=DRAFT`).expect(200));
    expect(drafts.texts('queue-visitor')).not.toContain('Brouillon Pas-Envoyé');
    const summary = page(await as.family.get(`/demandes/${draft.id}/etape/9`).expect(200));
    await as.family.post(`/demandes/${draft.id}/etape/9`).type('form').send({ _csrf: summary.csrf() }).expect(303);
    await as.greffe.get(`${permits}/documents/${docs.PHOTO.id}`).expect(200).expect('Content-Type', 'image/jpeg');
    await as.greffe.get(`${permits}/documents/${docs.ID_DOCUMENT.id}`).expect(200);
  });
});

describe('PDFs for names and motivations in any script', () => {
  it('prints the permit of a visitor named in Polish, Turkish, Romanian and Vietnamese, for a detainee named in Arabic', async () => {
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: prevenu.id,
      visitorGivenName: 'Łucja Ștefania',
      visitorFamilyName: 'Nguyễn-Şahin',
      origin: 'MAGISTRATE',
    });
    const pdf = await as.greffe.get(`${permits}/${permit.id}/permis.pdf`).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Łucja Ștefania NGUYỄN-ŞAHIN');
    expect(text).toContain(`محمد Haddad (écrou ${prevenu.ecrouNumber})`);
    expect(text).toContain('Centre pénitentiaire de Ștefănești');
    expect(text).not.toContain('□');
  });

  it('writes the refusal letter of a motivation with ≥, → and an emoji, to a family and a visitor named outside Latin-1', async () => {
    const request = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      status: 'READY',
      visitorGivenName: 'محمد',
      visitorFamilyName: 'Țurcanu',
    });
    const chefPage = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    const motivation = 'Incidents ≥ 3 au parloir → refus (article R. 341-5) 🫶 😀\r\nSeconde ligne\tavec une tabulation.';
    await as.chef
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: chefPage.csrf(), decision: 'REFUSE', ground: 'SECURITY', motivation })
      .expect(303);
    const pdf = await as.chef.get(`${base}/${request.id}/lettre-de-refus.pdf`).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('À l’attention de Łucja Nguyễn-Şahin');
    expect(text).toContain('un permis de visite pour محمد Țurcanu, afin de rendre visite à Şükrü Țurcanu');
    // DejaVu has 😀 but not 🫶: a character no font has shows as the replacement character, nothing crashes.
    expect(text).toContain('Incidents ≥ 3 au parloir → refus (article R. 341-5) \uFFFD 😀 Seconde ligne avec une tabulation.');
    expect(text).not.toContain('□');
  });
});

describe('hostile input on the establishment’s pages', () => {
  it('a NUL character in the queue search or in the record form is refused with a French 400 page', async () => {
    const search = await as.greffe.get(`${base}?q=abc%00def`).expect(400);
    expect(page(search).mainText()).toContain('Votre saisie contient un caractère non autorisé');
    const form = page(await as.greffe.get(`${permits}/enregistrer`).expect(200));
    const record = await as.greffe
      .post(`${permits}/enregistrer`)
      .type('form')
      .send(`_csrf=${form.csrf()}&ecrou=12%0034&givenName=A&familyName=B`)
      .expect(400);
    expect(page(record).mainText()).toContain('Votre saisie contient un caractère non autorisé');
  });

  it('a repeated écrou on the record form is shown again with a French message', async () => {
    const form = page(await as.greffe.get(`${permits}/enregistrer`).expect(200));
    const twice = await as.greffe
      .post(`${permits}/enregistrer`)
      .type('form')
      .send(
        `_csrf=${form.csrf()}&ecrou=1&ecrou=2&givenName=G%C3%BCl&familyName=Haddad&birthdate=03%2F04%2F1988` +
          '&relationship=SIBLING&origin=MAGISTRATE&validFrom=01%2F12%2F2026',
      )
      .expect(400);
    expect(page(twice).errors()).toEqual(['Saisissez le numéro d’écrou de la personne détenue']);
    expect(page(twice).value('givenName')).toBe('Gül');
  });

  it('a page number out of range shows the first page', async () => {
    const res = page(await as.greffe.get(`${base}?page=1e20`).expect(200));
    expect(res.heading()).toContain('Demandes de permis de visite');
    expect(res.text('queue-total')).toMatch(/^\d+ demandes?\.$/);
  });

  it('ids that are not UUIDs answer 400, unknown ones 404, never 500', async () => {
    await as.greffe.get(`${base}/pas-un-uuid`).expect(400);
    await as.greffe.get(`${base}/pas-un-uuid/lettre-de-refus.pdf`).expect(400);
    await as.greffe.get(`${permits}/documents/1%27%20OR%201=1`).expect(400);
    await as.greffe.get(`${permits}/pas-un-uuid`).expect(400);
    await as.greffe.get(`${permits}/pas-un-uuid/permis.pdf`).expect(400);
    await as.greffe.get(`${base}/00000000-0000-0000-0000-000000000000`).expect(404);
    await as.greffe.get(`${permits}/00000000-0000-0000-0000-000000000000`).expect(404);
    await as.greffe.get(`${permits}/verifier?jeton=a&jeton=b`).expect(200);
  });
});
