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
import { insertPermitRequest, insertRequestDocuments, type RequestStatus } from './factories/permits';
import { query } from './helpers/db';
import { page } from './helpers/html';
import { binary, pdfText, permitsApp, postStep } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

const RECOURSE =
  "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois " +
  "à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.";

const suite = permitsApp();

let establishment: EstablishmentRow;
let detainee: DetaineeRow;
let family: FamilyRow;
let delegateRow: AgentRow;
const as = {} as Record<'family' | 'greffe' | 'chef' | 'delegate', Agent>;
let base: string;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Ștefănești' });
  await query(
    `UPDATE establishments SET address = '3 rue Łukasiewicza, 59000 Lille', phone = '03 20 12 34 56', email = 'cp@justice.fr',
            interregional_direction = 'DISP de Lille' WHERE id = $1`,
    [establishment.id],
  );
  base = `/etablissements/${establishment.code}/permis/demandes`;
  detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
  family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  const role = (r: 'PERMITS_OFFICER' | 'HEAD_OF_ESTABLISHMENT') => [{ establishmentId: establishment.id, role: r }];
  const greffeRow = await insertAgent(role('PERMITS_OFFICER'), { givenName: 'Ștefan', usualName: 'Popescu' });
  const chefRow = await insertAgent(role('HEAD_OF_ESTABLISHMENT'), { givenName: 'Zofia', usualName: 'Łukasiewicz' });
  delegateRow = await insertAgent(role('PERMITS_OFFICER'), { givenName: 'محمد', usualName: 'Haddad' });
  await query(`UPDATE agents SET quality = 'directrice' WHERE id = $1`, [chefRow.id]);
  as.family = await signInFamily(suite.app.url, family);
  as.greffe = await signInAgent(suite.app.url, greffeRow);
  as.chef = await signInAgent(suite.app.url, chefRow);
  as.delegate = await signInAgent(suite.app.url, delegateRow);
});

/** A request of the family, sent to the establishment, with its three documents. */
async function sentRequest(
  o: { status?: RequestStatus; visitorGivenName?: string; visitorFamilyName?: string; relationship?: string; detaineeId?: string } = {},
) {
  const request = await insertPermitRequest({
    familyAccountId: family.id,
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    visitorGivenName: 'Łucja',
    visitorFamilyName: 'Nguyễn-Şahin',
    ...o,
  });
  await insertRequestDocuments(suite.docs, request.id);
  return { ...request, reference: request.reference! };
}

/** Posts a form of the request's instruction page. */
async function post(agent: Agent, id: string, path: string, fields: Record<string, string | string[]>) {
  const instruction = page(await agent.get(`${base}/${id}`).expect(200));
  return agent
    .post(`${base}/${id}/${path}`)
    .type('form')
    .send({ _csrf: instruction.csrf(), ...fields });
}

/** Posts a form of the instruction page and expects the redirect of success. */
async function postOk(agent: Agent, id: string, path: string, fields: Record<string, string | string[]>) {
  const res = await post(agent, id, path, fields);
  if (res.status !== 303) throw new Error(`${path}: ${res.status} ${page(res).errors().join(' / ')}`);
  return res;
}

async function requestRow(id: string) {
  return (
    await query<{ status: string; refusalGround: string | null; decidedAs: string | null }>(
      `SELECT status, refusal_ground AS "refusalGround", decided_as AS "decidedAs" FROM permit_requests WHERE id = $1`,
      [id],
    )
  )[0];
}

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

const refusal = (ground: string) => ({
  decision: 'REFUSE',
  ground,
  motivation: 'Le visiteur a introduit un téléphone lors de la visite du 2 mars.',
});

describe('legal grounds of a refusal', () => {
  it('refuses a refusal without a legal ground, and says disciplinary history alone is never a ground', async () => {
    const request = await sentRequest();
    const instruction = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    expect(instruction.mainText()).toContain('Les antécédents disciplinaires seuls ne sont jamais un motif de refus.');
    expect(instruction.text('signatory')).toBe('Zofia ŁUKASIEWICZ, directrice');
    const res = await post(as.chef, request.id, 'decision', { decision: 'REFUSE', motivation: refusal('X').motivation });
    expect(res.status).toBe(400);
    expect(page(res).errors()).toEqual(['Choisissez le motif légal du refus.']);
    expect((await requestRow(request.id)).status).toBe('SUBMITTED');
  });

  it('refuses rehabilitation as a ground for a spouse, accepts it for a friend', async () => {
    const spouse = await sentRequest({ relationship: 'SPOUSE' });
    const spousePage = page(await as.chef.get(`${base}/${spouse.id}`).expect(200));
    expect(spousePage.texts('ground').join(' ')).not.toContain('réinsertion');
    const refused = await post(as.chef, spouse.id, 'decision', refusal('REHABILITATION'));
    expect(refused.status).toBe(400);
    expect(page(refused).errors()[0]).toContain('pas pour la réinsertion');
    expect((await requestRow(spouse.id)).status).toBe('SUBMITTED');

    const friend = await sentRequest({ relationship: 'FRIEND' });
    expect(
      page(await as.chef.get(`${base}/${friend.id}`).expect(200))
        .texts('ground')
        .join(' '),
    ).toContain('réinsertion');
    await postOk(as.chef, friend.id, 'decision', refusal('REHABILITATION'));
    expect(await requestRow(friend.id)).toEqual({
      status: 'REFUSED',
      refusalGround: 'REHABILITATION',
      decidedAs: 'Zofia ŁUKASIEWICZ, directrice',
    });
  });
});

describe('no-contact orders', () => {
  it('an order recorded on the detainee for the visitor (Arabic and Ł names) blocks the grant; refusal on that ground is offered', async () => {
    const request = await sentRequest({ visitorGivenName: 'محمد', visitorFamilyName: 'Wałęsa' });
    await postOk(as.greffe, request.id, 'interdictions', {
      personGivenName: 'محمد',
      personFamilyName: 'WALESA',
      source: 'JUDICIAL_RECORD',
      authority: 'JLD de Lille, ordonnance du 2 mars 2026',
    });
    const instruction = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    expect(instruction.text('no-contact-warning')).toContain('le permis ne peut pas être accordé');
    expect(instruction.text('no-contact-order')).toContain('concerne ce visiteur');
    const granted = await post(as.chef, request.id, 'decision', { decision: 'GRANT' });
    expect(granted.status).toBe(409);
    expect(page(granted).errors()[0]).toContain('Une interdiction d’entrer en relation avec ce visiteur est en vigueur');
    expect((await requestRow(request.id)).status).toBe('SUBMITTED');
    await postOk(as.chef, request.id, 'decision', refusal('NO_CONTACT_ORDER'));
    expect((await requestRow(request.id)).refusalGround).toBe('NO_CONTACT_ORDER');
  });

  it('an order for another person, or ended, does not block', async () => {
    const request = await sentRequest({ visitorGivenName: 'Łucja', visitorFamilyName: 'Kowalska' });
    await postOk(as.greffe, request.id, 'interdictions', {
      personGivenName: 'أحمد',
      personFamilyName: 'Kowalska',
      source: 'DECLARED',
      authority: 'SPIP du Nord',
    });
    await postOk(as.greffe, request.id, 'interdictions', {
      personGivenName: 'Lucja',
      personFamilyName: 'KOWALSKA',
      source: 'DECLARED',
      authority: 'Tribunal correctionnel de Lille',
    });
    const orders = await query<{ id: string; personGivenName: string }>(
      `SELECT id, person_given_name AS "personGivenName" FROM no_contact_orders WHERE detainee_id = $1 AND person_family_name = 'KOWALSKA'`,
      [detainee.id],
    );
    expect(page(await as.chef.get(`${base}/${request.id}`).expect(200)).has('no-contact-warning')).toBe(true);
    expect((await post(as.greffe, request.id, `interdictions/${orders[0].id}/fin`, {})).status).toBe(400);
    await postOk(as.greffe, request.id, `interdictions/${orders[0].id}/fin`, { confirm: 'oui' });
    expect(page(await as.chef.get(`${base}/${request.id}`).expect(200)).has('no-contact-warning')).toBe(false);
    const res = await post(as.chef, request.id, 'decision', { decision: 'GRANT' });
    expect(res.status).toBe(303);
  });
});

describe('who decides', () => {
  it('a permits officer without a delegation sees no decision form and cannot decide', async () => {
    const request = await sentRequest();
    const instruction = page(await as.greffe.get(`${base}/${request.id}`).expect(200));
    expect(instruction.has('decision-heading')).toBe(false);
    expect(instruction.has('no-decision')).toBe(true);
    const res = await as.greffe
      .post(`${base}/${request.id}/decision`)
      .type('form')
      .send({ _csrf: instruction.csrf(), ...refusal('SECURITY') });
    expect(res.status).toBe(403);
    expect((await requestRow(request.id)).status).toBe('SUBMITTED');
  });

  it('a delegate in force decides; the letter prints « par délégation du chef d’établissement »; revoked or expired, refused', async () => {
    const delegations = `/etablissements/${establishment.code}/delegations`;
    await as.greffe.get(delegations).expect(403);
    const list = page(await as.chef.get(delegations).expect(200));
    await as.chef
      .post(`${delegations}/qualite`)
      .type('form')
      .send({ _csrf: list.csrf(), agentId: delegateRow.id, quality: 'directrice adjointe' })
      .expect(303);
    await as.chef.post(delegations).type('form').send({ _csrf: list.csrf(), agentId: delegateRow.id, validFrom: '01/01/2020' }).expect(303);
    const listed = page(await as.chef.get(delegations).expect(200));
    expect(listed.texts('delegation-state')).toContain('En vigueur');
    expect(
      await query(
        `SELECT action FROM audit_log WHERE establishment_id = $1 AND action IN ('SIGNATURE_DELEGATION_GRANTED', 'AGENT_QUALITY_CHANGED') ORDER BY id`,
        [establishment.id],
      ),
    ).toEqual([{ action: 'AGENT_QUALITY_CHANGED' }, { action: 'SIGNATURE_DELEGATION_GRANTED' }]);

    const request = await sentRequest();
    const instruction = page(await as.delegate.get(`${base}/${request.id}`).expect(200));
    expect(instruction.text('signatory')).toBe('محمد HADDAD, directrice adjointe, par délégation du chef d’établissement');
    await postOk(as.delegate, request.id, 'decision', refusal('SECURITY'));
    const pdf = await as.delegate.get(`${base}/${request.id}/lettre-de-refus.pdf`).buffer(true).parse(binary).expect(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('محمد HADDAD, directrice adjointe, par délégation du chef d’établissement');
    expect(text).toContain('Motifs de fait : Le visiteur a introduit un téléphone lors de la visite du 2 mars.');

    // Revoked: refused.
    const [delegation] = await query<{ id: string }>(`SELECT id FROM signature_delegations WHERE agent_id = $1 AND revoked_at IS NULL`, [
      delegateRow.id,
    ]);
    const unconfirmed = await as.chef.post(`${delegations}/${delegation.id}/revocation`).type('form').send({ _csrf: list.csrf() });
    expect(unconfirmed.status).toBe(400);
    expect(page(unconfirmed).errors()).toEqual(['Cochez la case pour confirmer.']);
    await as.chef.post(`${delegations}/${delegation.id}/revocation`).type('form').send({ _csrf: list.csrf(), confirm: 'oui' }).expect(303);
    expect(page(await as.chef.get(delegations).expect(200)).texts('delegation-state')).toContain('Révoquée');
    const after = await sentRequest();
    const refusedPage = page(await as.delegate.get(`${base}/${after.id}`).expect(200));
    expect(refusedPage.has('decision-heading')).toBe(false);
    const res = await as.delegate
      .post(`${base}/${after.id}/decision`)
      .type('form')
      .send({ _csrf: refusedPage.csrf(), ...refusal('SECURITY') });
    expect(res.status).toBe(403);

    // Expired: refused.
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, valid_to, created_by)
       SELECT $1, $2, '2020-01-01', '2020-12-31', agent_id FROM role_assignments WHERE establishment_id = $1 AND role = 'HEAD_OF_ESTABLISHMENT' LIMIT 1`,
      [establishment.id, delegateRow.id],
    );
    const expired = await as.delegate
      .post(`${base}/${after.id}/decision`)
      .type('form')
      .send({ _csrf: refusedPage.csrf(), decision: 'GRANT' });
    expect(expired.status).toBe(403);
    expect((await requestRow(after.id)).status).toBe('SUBMITTED');
  });
});

describe('letters to the family', () => {
  it('the family downloads its refusal letter with the verbatim R. 421-1 mention and the three routes', async () => {
    const request = await sentRequest();
    await postOk(as.chef, request.id, 'decision', refusal('GOOD_ORDER'));
    const detail = page(await as.family.get(`/demandes/${request.id}`).expect(200));
    const link = detail
      .testId('letter')
      .find('a')
      .filter((_, a) => (a.attribs.href ?? '') !== '')
      .last()
      .attr('href')!;
    expect(detail.texts('letter').join(' ')).toContain('Refus de permis de visite');
    const pdf = await as.family.get(link).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
    const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');
    expect(text).toContain(RECOURSE);
    expect(text).toContain('recours gracieux auprès du chef d’établissement (Centre pénitentiaire de Ștefănești)');
    expect(text).toContain('recours hiérarchique auprès du directeur interrégional des services pénitentiaires (DISP de Lille)');
    expect(text).toContain('recours contentieux devant le tribunal administratif');
    expect(text).toContain('Zofia ŁUKASIEWICZ, directrice');
    expect(text).toContain('Maintien du bon ordre');
    const mail = await mailTo(family.email, `Décision%${request.reference}%`);
    expect(mail.body).toContain(RECOURSE);
    // Another family does not get it.
    const other = await signInFamily(suite.app.url, await insertFamily());
    await other.get(link).expect(404);
  });

  it('the head re-examines an implicit rejection and grants the permit; the family is told and gets the letter', async () => {
    const request = await sentRequest({ status: 'IMPLICITLY_REJECTED' });
    const instruction = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    expect(instruction.has('reexamine-form')).toBe(true);
    const res = await as.chef
      .post(`${base}/${request.id}/reexamen`)
      .type('form')
      .send({ _csrf: instruction.csrf(), note: 'Les pièces fournies établissent le lien familial.' })
      .expect(303);
    expect(res.headers.location).toMatch(/\/permis\/[0-9a-f-]{36}$/);
    expect((await requestRow(request.id)).status).toBe('GRANTED');
    const detail = page(await as.family.get(`/demandes/${request.id}`).expect(200));
    expect(detail.text('status')).toBe('Accordée');
    expect(detail.texts('letter').join(' ')).toContain('Réexamen de votre demande de permis de visite : permis accordé');
    const granted = await mailTo(family.email, `%accordé%${request.reference}%`);
    expect(granted.body).toContain('Łucja Nguyễn-Şahin');
    const audit = await query(`SELECT 1 FROM audit_log WHERE action = 'PERMIT_REQUEST_REEXAMINED' AND entity_id = $1`, [request.id]);
    expect(audit).toHaveLength(1);
    // Only once.
    const again = await as.chef.post(`${base}/${request.id}/reexamen`).type('form').send({ _csrf: instruction.csrf() });
    expect(again.status).toBe(409);
  });
});

describe('competence of the magistrate (L341-5)', () => {
  const MAGISTRATE = 'La personne détenue est prévenue (au moins dans une affaire) : le permis relève du magistrat chargé du dossier.';

  it('a detainee who became MIXTE during the instruction: the head can neither grant nor refuse; the page says the magistrate decides', async () => {
    const mixte = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Şimşek', legalStatus: 'CONDAMNE' });
    const request = await sentRequest({ detaineeId: mixte.id });
    // A GENESIS update while the request is being instructed.
    await query(`UPDATE detainees SET legal_status = 'MIXTE' WHERE id = $1`, [mixte.id]);
    const instruction = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    expect(instruction.text('magistrate-competent')).toContain(MAGISTRATE);
    expect(instruction.has('decision-heading')).toBe(false);
    const grant = await post(as.chef, request.id, 'decision', { decision: 'GRANT', motivation: '' });
    expect(grant.status).toBe(409);
    expect(page(grant).errors().join(' ')).toContain(MAGISTRATE);
    const refuse = await post(as.chef, request.id, 'decision', refusal('GOOD_ORDER'));
    expect(refuse.status).toBe(409);
    expect(page(refuse).errors().join(' ')).toContain(MAGISTRATE);
    expect((await requestRow(request.id)).status).toBe('SUBMITTED');
    expect(await query(`SELECT 1 FROM permits WHERE detainee_id = $1`, [mixte.id])).toHaveLength(0);
  });

  it('a refused request cannot be re-examined once the detainee is prévenu', async () => {
    const prevenu = await insertDetainee(establishment.id, { firstName: 'Ayşe', lastName: 'Łęcka', legalStatus: 'CONDAMNE' });
    const request = await sentRequest({ detaineeId: prevenu.id, status: 'REFUSED' });
    await query(`UPDATE detainees SET legal_status = 'PREVENU' WHERE id = $1`, [prevenu.id]);
    const instruction = page(await as.chef.get(`${base}/${request.id}`).expect(200));
    expect(instruction.has('reexamine-form')).toBe(false);
    expect(instruction.text('magistrate-competent')).toContain(MAGISTRATE);
    const res = await as.chef.post(`${base}/${request.id}/reexamen`).type('form').send({ _csrf: instruction.csrf(), note: '' });
    expect(res.status).toBe(409);
    expect(page(res).errors().join(' ')).toContain(MAGISTRATE);
    expect((await requestRow(request.id)).status).toBe('REFUSED');
  });
});

describe('CRPA notices', () => {
  it('the acknowledgement e-mail and page give the implicit-rejection date, the department and its phone, the recourse routes', async () => {
    const draft = await insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      status: 'DRAFT',
      step: 9,
    });
    await insertRequestDocuments(suite.docs, draft.id);
    const sent = await postStep(as.family, draft.id, 9, {});
    expect(sent.status).toBe(303);
    const detail = page(await as.family.get(sent.headers.location).expect(200));
    const reference = detail.text('sent-reference');
    const date = detail.text('implicit-rejection-date');
    expect(date).toMatch(/^Sans réponse de l’établissement au \d{1,2} \S+ \d{4}, votre demande sera considérée comme rejetée/);
    const day = /au (\d{1,2} \S+ \d{4})/.exec(date)![1];
    expect(detail.text('department')).toContain('03 20 12 34 56');
    expect(detail.text('acknowledgement')).toContain(RECOURSE);
    expect(detail.texts('letter').join(' ')).toContain('Accusé de réception');
    const mail = await mailTo(family.email, `Demande de permis de visite reçue (réf. ${reference})`);
    expect(mail.body).toContain(`Sans réponse de l'établissement au ${day}`);
    expect(mail.body).toContain('téléphone 03 20 12 34 56');
    expect(mail.body).toContain('3 rue Łukasiewicza, 59000 Lille');
    expect(mail.body).toContain(RECOURSE);
  });

  it('after an implicit rejection the family asks for its reasons, once, and the staff see the request (L232-4)', async () => {
    const request = await sentRequest({ status: 'IMPLICITLY_REJECTED' });
    const detail = page(await as.family.get(`/demandes/${request.id}`).expect(200));
    expect(detail.text('ask-reasons')).toContain('Vous pouvez demander à l’établissement les motifs de ce rejet implicite');
    await as.family.post(`/demandes/${request.id}/motifs`).type('form').send({ _csrf: detail.csrf() }).expect(303);
    const after = page(await as.family.get(`/demandes/${request.id}`).expect(200));
    expect(after.has('ask-reasons')).toBe(false);
    expect(after.text('reasons-asked')).toBe('Vous avez demandé les motifs de ce rejet implicite.');
    const again = await as.family.post(`/demandes/${request.id}/motifs`).type('form').send({ _csrf: detail.csrf() });
    expect(again.status).toBe(409);
    const staff = page(await as.greffe.get(`${base}/${request.id}`).expect(200));
    expect(staff.texts('event').join(' ')).toContain('La famille demande la communication des motifs du rejet implicite (article L232-4');
    const other = await signInFamily(suite.app.url, await insertFamily());
    const otherPage = page(await other.get('/demandes').expect(200));
    await other.post(`/demandes/${request.id}/motifs`).type('form').send({ _csrf: otherPage.csrf() }).expect(404);
  });

  it('the incomplete message lists the missing documents and the due date, and says the delay restarts', async () => {
    const request = await sentRequest();
    const instruction = page(await as.greffe.get(`${base}/${request.id}`).expect(200));
    const empty = await as.greffe
      .post(`${base}/${request.id}/documents-demandes`)
      .type('form')
      .send({ _csrf: instruction.csrf(), message: '' });
    expect(empty.status).toBe(400);
    await as.greffe
      .post(`${base}/${request.id}/documents-demandes`)
      .type('form')
      .send({ _csrf: instruction.csrf(), kinds: ['LIVRET_FAMILLE', 'PARENTAL_CONSENT'], message: 'Pour Łucja.', due: '15/01/2099' })
      .expect(303);
    const mail = await mailTo(family.email, `Documents demandés%${request.reference}%`);
    expect(mail.body).toContain('- Livret de famille');
    expect(mail.body).toContain('- Autorisation des titulaires de l’autorité parentale');
    expect(mail.body).toContain('À envoyer avant le 15 janvier 2099.');
    expect(mail.body).toContain('repart de la réception des pièces manquantes');
    const detail = page(await as.family.get(`/demandes/${request.id}`).expect(200));
    expect(detail.text('documents-due')).toContain('15 janvier 2099');
    expect(detail.texts('event').join(' ')).toContain(
      'Pièces manquantes : Livret de famille, Autorisation des titulaires de l’autorité parentale.',
    );
  });
});
