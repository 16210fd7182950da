import type { DataSource } from 'typeorm';
import {
  insertDetaineeRequest,
  insertFamilyVisitCase,
  insertFamilyVisitDocument,
  insertInterview,
  insertVisitorRequest,
} from './factories/family-visits-instruction';
import { insertPermit } from './factories/permits';
import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { openDataSource, services, testConfig } from './helpers/notifications';
import { binary, pdfText, permitsApp } from './helpers/permits';
import { insertAuthorisedCase, insertUnit } from './factories/family-visits-units';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { FamilyVisitDecisionsService } =
  require('../dist/src/family-visits/decisions.service') as typeof import('../src/family-visits/decisions.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { RECOURSE_MENTION } = require('../dist/src/permits/permit.rules') as typeof import('../src/permits/permit.rules');
/* eslint-enable @typescript-eslint/no-require-imports */

const suite = permitsApp();
const DAY = 86_400_000;

let establishment: EstablishmentRow;
let elsewhere: EstablishmentRow;
let condamne: DetaineeRow;
let prevenu: DetaineeRow;
let family: FamilyRow;
let spipId: string;
const as = {} as Record<'spip' | 'head' | 'headElsewhere' | 'family', Agent>;
let base: string;
let ds: DataSource;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-sur-Loire' });
  elsewhere = await insertEstablishment();
  base = `/etablissements/${establishment.code}/uvf/dossiers`;
  condamne = await insertDetainee(establishment.id, { firstName: 'يوسف', lastName: 'Ben Ałi', legalStatus: 'CONDAMNE' });
  prevenu = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Trần', legalStatus: 'PREVENU' });
  family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  const spip = await insertAgent([{ establishmentId: establishment.id, role: 'SPIP_COUNSELLOR' }], {
    givenName: 'Małgorzata',
    usualName: 'Wójcik',
  });
  spipId = spip.id;
  as.spip = await signInAgent(suite.app.url, spip);
  as.head = await signInAgent(
    suite.app.url,
    await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Zofia',
      usualName: 'Łukasiewicz',
    }),
  );
  as.headElsewhere = await signInAgent(
    suite.app.url,
    await insertAgent([{ establishmentId: elsewhere.id, role: 'HEAD_OF_ESTABLISHMENT' }], { givenName: 'Gül', usualName: 'Yılmaz' }),
  );
  as.family = await signInFamily(suite.app.url, family);
  ds = await openDataSource(2);
});
afterAll(async () => {
  await ds?.destroy();
});

/** A case ready for the CPU: the detainee's request and Łucja's (a minor's too when asked), each interviewed, rules signed. */
async function readyCase(o: { detainee?: DetaineeRow; kind?: 'UVF' | 'PF'; minor?: boolean; receivedAt?: Date } = {}) {
  const detainee = o.detainee ?? condamne;
  const c = await insertFamilyVisitCase({
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    kind: o.kind ?? 'UVF',
    wishedHours: o.kind === 'PF' ? 6 : 24,
  });
  const at = o.receivedAt ?? new Date(Date.now() - 3 * DAY);
  const detaineeRequest = await insertDetaineeRequest(c.id, { receivedAt: at });
  const visitorRequest = await insertVisitorRequest(
    { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
    { familyAccountId: family.id, visitorGivenName: 'Łucja', visitorFamilyName: 'Nguyễn-Şahin', relationship: 'SPOUSE', receivedAt: at },
  );
  const requests = [detaineeRequest, visitorRequest];
  let minorRequest: { id: string } | null = null;
  if (o.minor) {
    minorRequest = await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
      {
        visitorGivenName: 'Ayşe',
        visitorFamilyName: 'Nguyễn-Şahin',
        visitorBirthdate: '2016-05-04',
        relationship: 'DESCENDANT',
        receivedAt: at,
        channel: 'LETTER',
      },
    );
    requests.push(minorRequest);
  }
  for (const r of requests)
    await insertInterview({ requestId: r.id, counsellorId: spipId, at: new Date(Date.now() - DAY), status: 'DONE' });
  return { ...c, detaineeRequest, visitorRequest, minorRequest };
}

/** Posts a form with the CSRF token of the page it is on. */
async function post(who: Agent, from: string, action: string, fields: Record<string, string>) {
  const csrf = page(await who.get(from).expect(200)).csrf();
  return who
    .post(action)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}

async function cpu(caseId: string) {
  const res = await post(as.spip, `${base}/${caseId}`, `${base}/${caseId}/cpu`, {
    cpuOn: '10/11/2026',
    opinion: 'FAVOURABLE',
    notes: 'Projet familial construit.',
  });
  expect(res.status).toBe(303);
}

/** Fills a form, reads back what will be signed or recorded, and confirms: the read-back page and the final response. */
async function confirmed(who: Agent, url: string, fields: Record<string, string>) {
  const first = await post(who, url, url, fields);
  if (first.status !== 200) return { confirmation: null, res: first };
  const confirmation = page(first);
  const res = await who.post(url).type('form').send(confirmation.formFields(url));
  return { confirmation, res };
}

/** Fills the decision form, reads the confirmation back, and signs: the confirmation page and the final response. */
function decide(who: Agent, caseId: string, requestId: string, fields: Record<string, string>) {
  return confirmed(who, `${base}/${caseId}/decisions/${requestId}`, fields);
}

function errorsOf(res: { text: string }): string {
  return page(res).testId('error-summary').text().replace(/\s+/g, ' ');
}

async function letters(caseId: string) {
  return query<{ id: string; kind: string; addressee: string; family_account_id: string | null; author: string | null }>(
    `SELECT id, kind, addressee, family_account_id, author FROM letters WHERE family_visit_case_id = $1 ORDER BY issued_at, kind, family_account_id IS NOT NULL, addressee`,
    [caseId],
  );
}

async function pdf(who: Agent, url: string): Promise<string> {
  const res = await who.get(url).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
  return (await pdfText(res.body as Buffer)).replace(/\s+/g, ' ');
}

describe('the head of establishment decides a condamné’s UVF requests', () => {
  it('a SPIP counsellor cannot sign a decision: 403 and the request stays to decide', async () => {
    const c = await readyCase();
    await cpu(c.id);
    const form = page(await as.spip.get(`${base}/${c.id}/decisions/${c.detaineeRequest.id}`).expect(200));
    expect(form.text('not-signatory')).toContain('Seul le chef d’établissement');
    const { res } = await decide(as.spip, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' });
    expect(res.status).toBe(403);
    expect(errorsOf(res)).toContain('Seul le chef d’établissement, ou un agent qui a reçu délégation de signature, peut décider');
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [c.detaineeRequest.id])).toEqual({
      status: 'RECEIVED',
    });
    expect(await letters(c.id)).toEqual([]);
  });

  it('grants the detainee’s request then the visitor’s for the same duration, after a read-back; letters to both, the JAP informed, the family told', async () => {
    const c = await readyCase();
    // Before the CPU opinion, no decision.
    const early = await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' });
    expect(early.res.status).toBe(409);
    expect(errorsOf(early.res)).toContain('Recueillez d’abord l’avis de la CPU');
    await cpu(c.id);

    const casePage = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(casePage.texts('decision-status')[0]).toMatch(/^Reçue, à instruire — à décider au plus tard le \d+ \S+ \d{4}$/);
    expect(casePage.has('decide-link')).toBe(true);

    // A visitor is authorised only for a visit the detainee obtained.
    const tooSoon = await decide(as.head, c.id, c.visitorRequest.id, { decision: 'GRANT', hours: '24' });
    expect(tooSoon.res.status).toBe(400);
    expect(errorsOf(tooSoon.res)).toContain('Décidez d’abord la demande de la personne détenue');

    const detainee = await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' });
    expect(detainee.confirmation!.heading()).toBe('Décision sur la demande de la personne détenue');
    expect(detainee.confirmation!.text('letter-preview')).toContain('J’autorise cette visite, pour une durée de 24 heures.');
    expect(detainee.confirmation!.text('letter-preview')).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    expect(detainee.res.status).toBe(303);

    const otherDuration = await decide(as.head, c.id, c.visitorRequest.id, { decision: 'GRANT', hours: '12' });
    expect(otherDuration.res.status).toBe(400);
    expect(errorsOf(otherDuration.res)).toContain('accordée à la personne détenue pour 24 heures');
    const visitor = await decide(as.head, c.id, c.visitorRequest.id, { decision: 'GRANT', hours: '24' });
    expect(visitor.res.status).toBe(303);

    expect(
      await query(`SELECT applicant, status, granted_hours, decided_as FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [
        c.id,
      ]),
    ).toEqual([
      { applicant: 'DETAINEE', status: 'GRANTED', granted_hours: 24, decided_as: 'Zofia ŁUKASIEWICZ, chef d’établissement' },
      { applicant: 'VISITOR', status: 'GRANTED', granted_hours: 24, decided_as: 'Zofia ŁUKASIEWICZ, chef d’établissement' },
    ]);
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({ status: 'DECIDED' });
    const detaineeLabel = `يوسف BEN AŁI (écrou ${condamne.ecrouNumber})`;
    const sent = await letters(c.id);
    expect(sent.map((l) => [l.kind, l.addressee, l.family_account_id])).toEqual([
      ['FV_GRANT', detaineeLabel, null],
      ['FV_JAP_NOTICE', 'Madame, Monsieur le juge de l’application des peines', null],
      ['FV_GRANT', detaineeLabel, null],
      ['FV_GRANT', 'Łucja NGUYỄN-ŞAHIN', family.id],
      ['FV_JAP_NOTICE', 'Madame, Monsieur le juge de l’application des peines', null],
    ]);

    // The family downloads its letter; not the detainee's.
    const mine = sent.find((l) => l.family_account_id === family.id)!;
    const text = await pdf(as.family, `/courriers/${mine.id}`);
    expect(text).toContain('Łucja NGUYỄN-ŞAHIN');
    expect(text).toContain('J’autorise cette visite de Łucja NGUYỄN-ŞAHIN, pour une durée de 24 heures.');
    expect(text).toContain('Cette autorisation vaut pour une seule visite');
    expect(text).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    await as.family.get(`/courriers/${sent[0].id}`).expect(404);
    // …and finds it on the page of its request.
    const familyPage = page(await as.family.get(`/uvf/demandes/${c.visitorRequest.id}`).expect(200));
    expect(familyPage.texts('decision-letter')).toEqual([expect.stringContaining('Autorisation de visite — Unité de vie familiale (UVF)')]);
    expect(familyPage.link('Autorisation de visite — Unité de vie familiale (UVF)')).toBe(`/courriers/${mine.id}`);
    // The JAP's notice, from the case page.
    const jap = await pdf(as.spip, `${base}/${c.id}/courriers/${sent[1].id}`);
    expect(jap).toContain(`J’ai l’honneur de vous informer que j’ai autorisé une visite en unité de vie familiale (UVF) pour يوسف BEN AŁI`);
    await as.headElsewhere.get(`/etablissements/${elsewhere.code}/uvf/dossiers/${c.id}/courriers/${sent[1].id}`).expect(404);

    const mail = await queryOne<{ template: string; subject: string; body_text: string }>(
      `SELECT template, subject, body_text FROM notifications WHERE entity_id = $1`,
      [c.visitorRequest.id],
    );
    expect(mail.template).toBe('family-visit-decision');
    expect(mail.subject).toBe(`Décision sur votre demande de visite en unité de vie familiale (UVF) (dossier ${c.reference})`);
    expect(mail.body_text).toContain('est accordée pour 24 heures');
    expect(
      await query(`SELECT action, actor_label FROM audit_log WHERE entity_id = ANY($1::text[]) ORDER BY id`, [
        [c.detaineeRequest.id, c.visitorRequest.id],
      ]),
    ).toEqual([
      { action: 'FAMILY_VISIT_REQUEST_GRANTED', actor_label: 'Zofia Łukasiewicz' },
      { action: 'FAMILY_VISIT_REQUEST_GRANTED', actor_label: 'Zofia Łukasiewicz' },
    ]);
    const decided = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(decided.text('case-status')).toBe('Décidé');
    expect(decided.texts('case-letter')).toHaveLength(5);
    expect(decided.has('decide-link')).toBe(false);
  });

  it('refuses with the facts, a lawful ground and a motivation: never the disciplinary record alone; the letter carries R. 421-1 verbatim', async () => {
    const c = await readyCase({ minor: true });
    await cpu(c.id);
    const disciplinary = await decide(as.head, c.id, c.detaineeRequest.id, {
      decision: 'REFUSE',
      ground: 'GOOD_ORDER',
      facts: 'Trois comptes rendus d’incident en 2026 et une sanction de la commission de discipline.',
      motivation: 'Son comportement disciplinaire ne permet pas d’autoriser cette visite en UVF.',
    });
    expect(disciplinary.res.status).toBe(400);
    expect(errorsOf(disciplinary.res)).toContain('Le passé disciplinaire ne suffit pas à motiver un refus');
    const adultChild = await decide(as.head, c.id, c.visitorRequest.id, {
      decision: 'REFUSE',
      ground: 'CHILD_INTEREST',
      facts: 'Situation familiale signalée par le service social le 2 novembre.',
      motivation: 'La visite ne paraît pas conforme à l’intérêt de l’enfant.',
    });
    expect(adultChild.res.status).toBe(400);
    expect(errorsOf(adultChild.res)).toContain('L’intérêt de l’enfant ne peut motiver que le refus de la visite d’un mineur');
    // The child's interest may motivate refusing a minor's visit, whatever the consents.
    const child = await decide(as.head, c.id, c.minorRequest!.id, {
      decision: 'REFUSE',
      ground: 'CHILD_INTEREST',
      facts: 'Le juge des enfants a fait connaître le 2 novembre un avis défavorable à toute visite prolongée.',
      motivation: 'Une visite de 24 heures en UVF n’est pas conforme à l’intérêt de l’enfant à ce stade.',
    });
    expect(child.res.status).toBe(303);

    const refusal = await decide(as.head, c.id, c.visitorRequest.id, {
      decision: 'REFUSE',
      ground: 'SECURITY',
      facts: 'Le 3 octobre 2026, des objets interdits ont été découverts dans le logement à l’issue de la visite de Łucja NGUYỄN-ŞAHIN.',
      motivation: 'La sécurité de l’unité et des personnes ne peut être garantie pendant une nouvelle visite.',
    });
    expect(refusal.confirmation!.text('letter-preview')).toContain('Considérant les faits suivants : Le 3 octobre 2026');
    expect(refusal.confirmation!.text('letter-preview')).toContain('article R. 421-1');
    expect(refusal.res.status).toBe(303);
    const row = await queryOne(`SELECT status, refusal_ground, decision_facts FROM family_visit_requests WHERE id = $1`, [
      c.visitorRequest.id,
    ]);
    expect(row).toEqual({
      status: 'REFUSED',
      refusal_ground: 'SECURITY',
      decision_facts:
        'Le 3 octobre 2026, des objets interdits ont été découverts dans le logement à l’issue de la visite de Łucja NGUYỄN-ŞAHIN.',
    });
    const mine = (await letters(c.id)).find((l) => l.family_account_id === family.id)!;
    expect(mine.kind).toBe('FV_REFUSAL');
    const text = await pdf(as.family, `/courriers/${mine.id}`);
    expect(text).toContain('Je refuse cette visite de Łucja NGUYỄN-ŞAHIN.');
    expect(text).toContain(
      'Considérant que la sécurité de l’établissement ou des personnes justifie que cette visite ne soit pas autorisée',
    );
    expect(text).toContain(RECOURSE_MENTION);
    expect(text).toContain('recours hiérarchique auprès du directeur interrégional');
    // The minor's refusal went to the detainee and, posted, to the holders of parental authority (no account).
    expect((await letters(c.id)).filter((l) => l.kind === 'FV_REFUSAL').map((l) => l.addressee)).toContain(
      'Aux titulaires de l’autorité parentale de Ayşe NGUYỄN-ŞAHIN',
    );
  });

  it('a refusal letter without the recourse routes and the R. 421-1 mention cannot be recorded', async () => {
    const c = await readyCase();
    await expect(
      query(
        `INSERT INTO letters (establishment_id, family_visit_case_id, kind, title, addressee, body) VALUES ($1, $2, 'FV_REFUSAL', 'Refus', 'X', $3)`,
        [establishment.id, c.id, JSON.stringify({ paragraphs: ['Je refuse.'], recourse: false })],
      ),
    ).rejects.toThrow(/letters_recourse/);
    await expect(
      query(
        `INSERT INTO letters (establishment_id, family_visit_case_id, kind, title, addressee, body) VALUES ($1, $2, 'FV_IMPLICIT_REJECTION', 'Rejet', 'X', $3)`,
        [establishment.id, c.id, JSON.stringify({ paragraphs: ['Rejet.'] })],
      ),
    ).rejects.toThrow(/letters_recourse/);
  });

  it('a PF is granted up to 6 hours, in one slot or two cumulated', async () => {
    const c = await readyCase({ kind: 'PF' });
    await cpu(c.id);
    const tooLong = await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '12', slots: '1' });
    expect(tooLong.res.status).toBe(400);
    expect(errorsOf(tooLong.res)).toContain('Un parloir familial dure au plus 6 heures');
    const two = await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '6', slots: '2' });
    expect(two.confirmation!.text('letter-preview')).toContain(
      '6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement)',
    );
    expect(two.res.status).toBe(303);
    expect(await queryOne(`SELECT granted_hours, granted_slots FROM family_visit_requests WHERE id = $1`, [c.detaineeRequest.id])).toEqual({
      granted_hours: 6,
      granted_slots: 2,
    });
  });

  it('each request’s page and letters state its own wished period and duration, not the case’s', async () => {
    // The case keeps the detainee's wish (March 2027, 24 h); Łucja asked for 5–7 April, 12 hours.
    const c = await readyCase();
    await query(`UPDATE family_visit_requests SET wished_from = '2027-04-05', wished_to = '2027-04-07', wished_hours = 12 WHERE id = $1`, [
      c.visitorRequest.id,
    ]);
    await cpu(c.id);
    const casePage = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(casePage.texts('decision-wish')).toEqual([
      'Du 1 mars 2027 au 31 mars 2027, 24 heures',
      'Du 5 avril 2027 au 7 avril 2027, 12 heures',
    ]);
    const visitorForm = page(await as.head.get(`${base}/${c.id}/decisions/${c.visitorRequest.id}`).expect(200));
    expect(visitorForm.text('request-wish')).toBe(
      'Unité de vie familiale (UVF), du 5 avril 2027 au 7 avril 2027, durée souhaitée 12 heures',
    );

    expect((await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    const visitor = await decide(as.head, c.id, c.visitorRequest.id, { decision: 'GRANT', hours: '24' });
    expect(visitor.confirmation!.text('letter-preview')).toContain('pendant la période du 5 avril 2027 au 7 avril 2027');
    expect(visitor.res.status).toBe(303);

    const sent = await query<{ id: string; kind: string; request: string; family_account_id: string | null }>(
      `SELECT id, kind, family_visit_request_id AS request, family_account_id FROM letters WHERE family_visit_case_id = $1`,
      [c.id],
    );
    const of = (kind: string, request: string) => sent.find((l) => l.kind === kind && l.request === request && !l.family_account_id)!;
    const detaineeLetter = await pdf(as.head, `${base}/${c.id}/courriers/${of('FV_GRANT', c.detaineeRequest.id).id}`);
    expect(detaineeLetter).toContain(
      'a sollicité une visite en unité de vie familiale (UVF) pendant la période du 1 mars 2027 au 31 mars 2027',
    );
    const familyLetter = await pdf(as.family, `/courriers/${sent.find((l) => l.family_account_id === family.id)!.id}`);
    expect(familyLetter).toContain('pendant la période du 5 avril 2027 au 7 avril 2027');
    expect(familyLetter).not.toContain('31 mars 2027');
    const jap = await pdf(as.head, `${base}/${c.id}/courriers/${of('FV_JAP_NOTICE', c.visitorRequest.id).id}`);
    expect(jap).toContain(
      'avec la visite de Łucja NGUYỄN-ŞAHIN, pour une durée de 24 heures, pendant la période du 5 avril 2027 au 7 avril 2027.',
    );
  });

  it('a decision page with an id that is not one answers 404, not 400', async () => {
    const c = await readyCase();
    await as.head.get(`${base}/pas-un-uuid/decisions/${c.detaineeRequest.id}`).expect(404);
    await as.head.get(`${base}/${c.id}/decisions/pas-un-uuid`).expect(404);
    await as.head.get(`${base}/${c.id}/courriers/pas-un-uuid`).expect(404);
  });

  it('another establishment’s head cannot see or decide the case', async () => {
    const c = await readyCase();
    await cpu(c.id);
    const theirs = `/etablissements/${elsewhere.code}/uvf/dossiers/${c.id}/decisions/${c.detaineeRequest.id}`;
    await as.headElsewhere.get(theirs).expect(404);
    await as.headElsewhere.get(`${base}/${c.id}/decisions/${c.detaineeRequest.id}`).expect(403);
  });
});

describe('what a grant needs of each applicant', () => {
  it('a minor is authorised only with the parental consent on file and once the accompanying adult is; the letter goes to the parents', async () => {
    const c = await readyCase({ minor: true });
    await query(`UPDATE family_visit_requests SET accompanied_by = $2 WHERE id = $1`, [c.minorRequest!.id, c.visitorRequest.id]);
    await cpu(c.id);
    expect((await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    const noConsent = await decide(as.head, c.id, c.minorRequest!.id, { decision: 'GRANT', hours: '24' });
    expect(noConsent.res.status).toBe(409);
    expect(noConsent.confirmation).toBeNull();
    expect(errorsOf(noConsent.res)).toContain('L’autorisation écrite des titulaires de l’autorité parentale manque au dossier');
    await insertFamilyVisitDocument(suite.docs, c.minorRequest!.id, {
      kind: 'PARENTAL_CONSENT',
      consentGivenBy: 'Łucja NGUYỄN-ŞAHIN et Ahmet ŞAHIN',
    });
    const alone = await decide(as.head, c.id, c.minorRequest!.id, { decision: 'GRANT', hours: '24' });
    expect(alone.res.status).toBe(409);
    expect(errorsOf(alone.res)).toContain(
      'Autorisez d’abord la visite de l’adulte qui accompagne ce mineur : un mineur ne vient jamais seul.',
    );
    expect((await decide(as.head, c.id, c.visitorRequest.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    expect((await decide(as.head, c.id, c.minorRequest!.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    const toChild = (await letters(c.id)).filter((l) => l.kind === 'FV_GRANT').map((l) => l.addressee);
    expect(toChild).toContain('Aux titulaires de l’autorité parentale de Ayşe NGUYỄN-ŞAHIN');
    expect(toChild).not.toContain('Ayşe NGUYỄN-ŞAHIN');
  });

  it('a visitor who is 18 on their own first wished day is granted as an adult, even a minor on the case’s first day: no parental consent, the letter to them', async () => {
    const c = await readyCase();
    // The case is wished from 1 March 2027; Nguyễn Văn Đức turns 18 on 5 March and asks from 10 March.
    const late = await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: condamne.id },
      {
        visitorGivenName: 'Văn Đức',
        visitorFamilyName: 'Nguyễn',
        visitorBirthdate: '2009-03-05',
        relationship: 'DESCENDANT',
        channel: 'LETTER',
      },
    );
    await query(`UPDATE family_visit_requests SET wished_from = '2027-03-10', wished_to = '2027-03-12' WHERE id = $1`, [late.id]);
    await insertInterview({ requestId: late.id, counsellorId: spipId, at: new Date(Date.now() - DAY), status: 'DONE' });
    await cpu(c.id);
    const rows = page(await as.head.get(`${base}/${c.id}`).expect(200)).texts('decision-row');
    expect(rows.find((t) => t.includes('NGUYỄN'))).not.toContain('(mineur)');
    expect((await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    expect((await decide(as.head, c.id, late.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    expect((await letters(c.id)).filter((l) => l.kind === 'FV_GRANT').map((l) => l.addressee)).toContain('Văn Đức NGUYỄN');
  });

  it('a request never joins a case whose CPU opinion is given, and an applicant without interview is not authorised', async () => {
    const c = await readyCase();
    await cpu(c.id);
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      visitorGivenName: 'Ngọc',
      visitorFamilyName: 'Lê',
    });
    const requestsPage = `${base}/${c.id}/demandes`;
    const late = await post(as.spip, requestsPage, `${base}/${c.id}/visiteurs`, {
      permitId: permit.id,
      receivedOn: new Date().toISOString().slice(0, 10),
      channel: 'LETTER',
    });
    expect(late.status).toBe(422);
    expect(page(late).errors()).toEqual([
      'L’instruction de ce dossier est terminée (avis de la CPU rendu, dossier transmis ou décidé) : enregistrez cette demande dans un nouveau dossier.',
    ]);
    // A request that reached the decision without any interview (a record made before this rule) is not authorised.
    await query(`DELETE FROM family_visit_interviews WHERE request_id = $1`, [c.visitorRequest.id]);
    expect((await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    const uninterviewed = await decide(as.head, c.id, c.visitorRequest.id, { decision: 'GRANT', hours: '24' });
    expect(uninterviewed.res.status).toBe(409);
    expect(errorsOf(uninterviewed.res)).toContain('Cette personne n’a eu aucun entretien avec le SPIP');
  });

  it('refusing the detainee’s request refuses the visitors’ still to decide, each with a motivated letter carrying the recourse routes', async () => {
    const c = await readyCase();
    await cpu(c.id);
    const refusal = await decide(as.head, c.id, c.detaineeRequest.id, {
      decision: 'REFUSE',
      ground: 'SECURITY',
      facts: 'Un projet d’évasion lors d’une visite en UVF a été signalé le 4 novembre 2026.',
      motivation: 'La sécurité de l’unité et des personnes ne peut être garantie pendant une visite de 24 heures.',
    });
    expect(refusal.confirmation!.text('refuses-visitors')).toContain(
      'Les demandes des visiteurs encore à décider seront refusées avec elle',
    );
    expect(refusal.res.status).toBe(303);
    expect(
      await query(`SELECT applicant, status, refusal_ground FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [c.id]),
    ).toEqual([
      { applicant: 'DETAINEE', status: 'REFUSED', refusal_ground: 'SECURITY' },
      { applicant: 'VISITOR', status: 'REFUSED', refusal_ground: null },
    ]);
    // No stay can come of it: the case is closed, not « décidé », and the history says so.
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({ status: 'CLOSED' });
    const closed = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(closed.text('case-status')).toBe('Clos');
    expect(closed.texts('event')).toContainEqual(
      expect.stringContaining('Dossier clos : chaque demande est décidée ou retirée, aucune visite n’aura lieu.'),
    );
    const mine = (await letters(c.id)).find((l) => l.family_account_id === family.id)!;
    expect(mine.kind).toBe('FV_REFUSAL');
    const text = await pdf(as.family, `/courriers/${mine.id}`);
    expect(text).toContain('Considérant que la demande de يوسف BEN AŁI a été refusée le');
    expect(text).toContain('Je refuse cette visite de Łucja NGUYỄN-ŞAHIN.');
    expect(text).toContain(RECOURSE_MENTION);
  });

  it('a SPIP counsellor holding a signature delegation still cannot sign the decision of a case', async () => {
    const c = await readyCase();
    await cpu(c.id);
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, created_by) VALUES ($1, $2, '2026-01-01', $2)`,
      [establishment.id, spipId],
    );
    try {
      const { res } = await decide(as.spip, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' });
      expect(res.status).toBe(403);
      expect(errorsOf(res)).toContain('Seul le chef d’établissement, ou un agent qui a reçu délégation de signature, peut décider');
    } finally {
      await query(`DELETE FROM signature_delegations WHERE agent_id = $1`, [spipId]);
    }
  });
});

describe('a prévenu’s case goes to the magistrate', () => {
  it('the head transmits it with an opinion proposing a duration; the magistrate’s answers are recorded and notified; no implicit rejection', async () => {
    const c = await readyCase({ detainee: prevenu });
    const beforeCpu = await post(as.head, `${base}/${c.id}/transmission`, `${base}/${c.id}/transmission`, {
      magistrate: 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille',
      opinion: 'Avis favorable : lien conjugal stable, visite préparée.',
      proposedHours: '24',
    });
    expect(beforeCpu.status).toBe(409);
    await cpu(c.id);
    const head = await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' });
    expect(head.res.status).toBe(409);
    expect(errorsOf(head.res)).toContain('la visite dépend de l’accord du magistrat');
    const casePage = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(casePage.has('refer-link')).toBe(true);
    expect(casePage.has('decide-link')).toBe(false);

    const wrong = await post(as.head, `${base}/${c.id}/transmission`, `${base}/${c.id}/transmission`, {
      magistrate: 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille',
      opinion: 'Avis favorable : lien conjugal stable, visite préparée.',
      proposedHours: '40',
    });
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong)).toContain('par tranches de 6 heures');
    const sent = await confirmed(as.head, `${base}/${c.id}/transmission`, {
      magistrate: 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille',
      opinion: 'Avis favorable : lien conjugal stable, visite préparée.',
      proposedHours: '24',
    });
    expect(sent.res.status).toBe(303);
    expect(await query(`SELECT status FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [c.id])).toEqual([
      { status: 'REFERRED' },
      { status: 'REFERRED' },
    ]);
    const [referral] = await letters(c.id);
    expect(referral).toMatchObject({
      kind: 'FV_REFERRAL',
      addressee: 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille',
    });
    const form = await pdf(as.spip, `${base}/${c.id}/courriers/${referral.id}`);
    expect(form).toContain(`Şükrü TRẦN (écrou ${prevenu.ecrouNumber}), prévenu(e) détenu(e) à Centre pénitentiaire de Łódź-sur-Loire`);
    expect(form).toContain('Avis du chef d’établissement : Avis favorable : lien conjugal stable, visite préparée.');
    expect(form).toContain('Durée de visite proposée : 24 heures.');
    expect(form).toContain('Observations de la commission pluridisciplinaire unique : avis favorable du 10/11/2026');

    const answer = async (fields: Record<string, string>) => (await confirmed(as.head, `${base}/${c.id}/reponse-magistrat`, fields)).res;
    const noEnd = await answer({ requestId: c.detaineeRequest.id, answer: 'TEMPORARY' });
    expect(noEnd.status).toBe(400);
    expect(errorsOf(noEnd)).toContain('Indiquez la date de fin de l’autorisation temporaire');
    expect((await answer({ requestId: c.detaineeRequest.id, answer: 'TEMPORARY', until: '30/06/2027' })).status).toBe(303);
    expect(
      (await answer({ requestId: c.visitorRequest.id, answer: 'REFUSED', reasons: 'Risque de pression sur un témoin de l’instruction.' }))
        .status,
    ).toBe(303);
    expect(
      await query(
        `SELECT applicant, status, granted_hours, magistrate_answer, to_char(magistrate_until, 'YYYY-MM-DD') AS until, decided_by_magistrate
           FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`,
        [c.id],
      ),
    ).toEqual([
      {
        applicant: 'DETAINEE',
        status: 'GRANTED',
        granted_hours: 24,
        magistrate_answer: 'TEMPORARY',
        until: '2027-06-30',
        decided_by_magistrate: true,
      },
      {
        applicant: 'VISITOR',
        status: 'REFUSED',
        granted_hours: null,
        magistrate_answer: 'REFUSED',
        until: null,
        decided_by_magistrate: true,
      },
    ]);
    // The only visitor refused: no stay can come of the detainee's authorisation in this case, which is closed.
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({ status: 'CLOSED' });
    const all = await letters(c.id);
    expect(all.map((l) => l.kind)).not.toContain('FV_JAP_NOTICE');
    expect(all.filter((l) => l.kind === 'FV_MAGISTRATE_DECISION').map((l) => l.family_account_id)).toEqual([null, null, family.id]);
    const mine = all.find((l) => l.family_account_id === family.id)!;
    expect(await pdf(as.family, `/courriers/${mine.id}`)).toContain(
      'Le magistrat (Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille) a refusé cette visite. Motifs : Risque de pression sur un témoin de l’instruction.',
    );
  });
});

describe('a prévenu’s family parlour: the head fixes the duration, the magistrate authorises the access', () => {
  it('the head transmits a PF in two cumulated slots; the answer form has no duration, one posted is refused naming the head’s competence, and the head’s is recorded', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Đỗ', legalStatus: 'PREVENU' });
    const c = await readyCase({ detainee, kind: 'PF' });
    await cpu(c.id);
    const url = `${base}/${c.id}/transmission`;
    const referralForm = page(await as.head.get(url).expect(200));
    expect(referralForm.$('input[name="proposedSlots"]').length).toBe(2);
    const fields = {
      magistrate: 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille',
      opinion: 'Avis favorable : lien familial stable.',
      proposedHours: '6',
      proposedSlots: '2',
    };
    const sent = await confirmed(as.head, url, fields);
    const twoSlots = 'Durée de visite proposée : 6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement).';
    expect(sent.confirmation!.text('letter-preview')).toContain(twoSlots);
    expect(sent.res.status).toBe(303);
    expect(await queryOne(`SELECT proposed_hours, proposed_slots FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({
      proposed_hours: 6,
      proposed_slots: 2,
    });
    const [referral] = await letters(c.id);
    const form = await pdf(as.head, `${base}/${c.id}/courriers/${referral.id}`);
    expect(form).toContain(twoSlots);
    expect(form).toContain(
      'le chef d’établissement fixe la durée de la visite (note du 4 décembre 2014) : votre accord porte sur l’accès.',
    );

    // The answer form offers no duration: the head's is shown.
    const answers = `${base}/${c.id}/reponse-magistrat`;
    const answerForm = page(await as.head.get(answers).expect(200));
    expect(answerForm.$('[name="hours"], [name="slots"]').length).toBe(0);
    expect(answerForm.text('pf-duration')).toContain(
      'Durée de la visite : 6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement), fixée par le chef d’établissement.',
    );
    // A duration posted with the answer is refused, naming the head's competence; nothing is recorded.
    const other = await post(as.head, answers, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT', hours: '4' });
    expect(other.status).toBe(400);
    expect(page(other).errors()).toEqual([
      'Pour un parloir familial, le chef d’établissement fixe la durée de la visite (6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement), indiquée au magistrat) : le magistrat n’autorise que l’accès, sa réponse ne change pas la durée.',
    ]);
    const oneSlot = await post(as.head, answers, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT', slots: '1' });
    expect(oneSlot.status).toBe(400);
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [c.detaineeRequest.id])).toEqual({
      status: 'REFERRED',
    });

    const answered = await confirmed(as.head, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT' });
    expect(answered.confirmation!.text('answer-duration')).toBe(
      'Durée de la visite, fixée par le chef d’établissement : 6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement)',
    );
    expect(answered.confirmation!.text('letter-preview')).toContain(
      'La visite est autorisée pour une durée de 6 heures en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement). Pour un parloir familial, cette durée est fixée par le chef d’établissement.',
    );
    expect(answered.res.status).toBe(303);
    expect(
      (await confirmed(as.head, answers, { requestId: c.visitorRequest.id, answer: 'TEMPORARY', until: '30/06/2027' })).res.status,
    ).toBe(303);
    expect(
      await query(
        `SELECT applicant, status, granted_hours, granted_slots FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`,
        [c.id],
      ),
    ).toEqual([
      { applicant: 'DETAINEE', status: 'GRANTED', granted_hours: 6, granted_slots: 2 },
      { applicant: 'VISITOR', status: 'GRANTED', granted_hours: 6, granted_slots: 2 },
    ]);
    expect(
      await queryOne(
        `SELECT (after->>'hours')::int AS hours, (after->>'slots')::int AS slots FROM audit_log
          WHERE entity_id = $1 AND action = 'FAMILY_VISIT_MAGISTRATE_ANSWER'`,
        [c.visitorRequest.id],
      ),
    ).toEqual({ hours: 6, slots: 2 });
  });
});

describe('a request withdrawn once transmitted to the magistrate', () => {
  it('the magistrate is told by a letter, in the withdrawal’s transaction, audited; a request not transmitted writes none', async () => {
    const magistrate = 'M. Đặng Quốc Bảo, juge d’instruction, tribunal judiciaire de Lille';
    // A prévenu of his own: no earlier authorisation of the magistrate covers his request, both requests are transmitted.
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ömer', lastName: 'Nguyễn', legalStatus: 'PREVENU' });
    const c = await readyCase({ detainee });
    await cpu(c.id);
    const url = `${base}/${c.id}/transmission`;
    expect(
      (await confirmed(as.head, url, { magistrate, opinion: 'Avis favorable : visite préparée.', proposedHours: '24' })).res.status,
    ).toBe(303);
    const referralId = (await letters(c.id))[0].id;

    // The family withdraws Łucja’s request online: the confirmation page says the magistrate will be told.
    const confirm = page(await as.family.get(`/uvf/demandes/${c.visitorRequest.id}/retrait`).expect(200));
    expect(confirm.text('withdraw-magistrate')).toBe('La demande a été transmise au magistrat : l’établissement l’informe de son retrait.');
    await as.family.post(`/uvf/demandes/${c.visitorRequest.id}/retrait`).type('form').send({ _csrf: confirm.csrf() }).expect(303);
    const told = (await letters(c.id)).filter((l) => l.id !== referralId);
    expect(told).toMatchObject([{ kind: 'FV_REFERRAL', addressee: magistrate, family_account_id: null, author: null }]);
    expect(await queryOne(`SELECT family_visit_request_id AS "requestId", title FROM letters WHERE id = $1`, [told[0].id])).toEqual({
      requestId: c.visitorRequest.id,
      title: 'Retrait d’une demande transmise au magistrat — Unité de vie familiale (UVF)',
    });
    const notice = await pdf(as.head, `${base}/${c.id}/courriers/${told[0].id}`);
    expect(notice).toContain('je vous ai soumis la demande de Łucja NGUYỄN-ŞAHIN, pour rendre visite à Ömer NGUYỄN');
    expect(notice).toContain('par son auteur : elle n’appelle plus de réponse de votre part.');
    expect(notice).toContain('Restent soumises à votre décision les demandes de : la personne détenue.');
    expect(
      await queryOne(
        `SELECT actor_type AS "actorType", after->>'letterId' AS "letterId", after->>'magistrate' AS magistrate FROM audit_log
          WHERE action = 'FAMILY_VISIT_WITHDRAWAL_REPORTED' AND entity_id = $1`,
        [c.visitorRequest.id],
      ),
    ).toEqual({ actorType: 'FAMILY', letterId: told[0].id, magistrate });
    expect(page(await as.head.get(`${base}/${c.id}`).expect(200)).text('history')).toContain(
      `Retrait de la demande de Łucja NGUYỄN-ŞAHIN signalé au magistrat (${magistrate}), qui n’a plus à y répondre.`,
    );

    // The SPIP records the detainee’s withdrawal from his letter: a second letter, signed by the agent; nothing is left to answer.
    const staffUrl = `/etablissements/${establishment.code}/uvf/dossiers/${c.id}/demandes/${c.detaineeRequest.id}/retrait`;
    const staffConfirm = page(await as.spip.get(staffUrl).expect(200));
    expect(staffConfirm.has('withdraw-magistrate')).toBe(true);
    const withdrawnOn = new Intl.DateTimeFormat('en-CA', { timeZone: establishment.timeZone }).format(new Date());
    await as.spip.post(staffUrl).type('form').send({ _csrf: staffConfirm.csrf(), withdrawnOn }).expect(303);
    const second = (await letters(c.id)).filter((l) => l.id !== referralId && l.id !== told[0].id);
    expect(second).toMatchObject([
      { kind: 'FV_REFERRAL', addressee: magistrate, author: 'Małgorzata WÓJCIK, conseiller pénitentiaire d’insertion et de probation' },
    ]);
    expect(await pdf(as.head, `${base}/${c.id}/courriers/${second[0].id}`)).toContain(
      'Aucune autre demande de ce dossier n’attend votre décision.',
    );
    expect(
      await queryOne(
        `SELECT after->>'magistrateLetter' AS letter FROM audit_log WHERE action = 'FAMILY_VISIT_REQUEST_WITHDRAWN' AND entity_id = $1`,
        [c.detaineeRequest.id],
      ),
    ).toEqual({ letter: second[0].id });

    // A request still under instruction is withdrawn without a letter to anyone.
    const fresh = await readyCase({ detainee });
    const freshConfirm = page(await as.family.get(`/uvf/demandes/${fresh.visitorRequest.id}/retrait`).expect(200));
    expect(freshConfirm.has('withdraw-magistrate')).toBe(false);
    await as.family.post(`/uvf/demandes/${fresh.visitorRequest.id}/retrait`).type('form').send({ _csrf: freshConfirm.csrf() }).expect(303);
    expect(await letters(fresh.id)).toEqual([]);
  });
});

describe('an incident during a prévenu’s stay', () => {
  it('an incident or an intervention is reported to the magistrate who authorised the visit: a letter on the case, audited; not for a condamné’s stay', async () => {
    // A prévenu with no earlier authorisation of the magistrate (the one above got one: it would be reused).
    const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Trần', legalStatus: 'PREVENU' });
    const c = await readyCase({ detainee });
    await cpu(c.id);
    const magistrate = 'M. Đặng Văn Lâm, juge d’instruction, tribunal judiciaire de Lille';
    const sent = await confirmed(as.head, `${base}/${c.id}/transmission`, { magistrate, opinion: 'Avis favorable.', proposedHours: '24' });
    expect(sent.res.status).toBe(303);
    for (const requestId of [c.detaineeRequest.id, c.visitorRequest.id]) {
      const { res } = await confirmed(as.head, `${base}/${c.id}/reponse-magistrat`, { requestId, answer: 'PERMANENT' });
      expect(res.status).toBe(303);
    }
    const unit = await insertUnit(establishment.id, { name: 'UVF Ślęża' });
    const uvf = `/etablissements/${establishment.code}/uvf`;
    const day = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10).split('-').reverse().join('/');
    const booked = await post(as.head, `${uvf}/reserver/${c.id}`, `${uvf}/reserver/${c.id}`, {
      outsideWish: 'oui',
      unitId: unit.id,
      day,
      time: '10:00',
    });
    expect(booked.status).toBe(303);
    const { id: stayId } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [c.id]);
    const stay = `${uvf}/sejours/${stayId}`;
    const notes = 'Altercation verbale avec un surveillant à l’entrée ; visite poursuivie après échange.';
    expect((await post(as.head, stay, `${stay}/registre`, { kind: 'INCIDENT', notes })).status).toBe(303);
    expect((await post(as.head, stay, `${stay}/registre`, { kind: 'ROUND', notes: 'Ronde sans observation.' })).status).toBe(303);
    expect(
      (await post(as.head, stay, `${stay}/registre`, { kind: 'INTERVENTION', notes: 'Intervention à l’appel de la visiteuse, malaise.' }))
        .status,
    ).toBe(303);
    const reports = (await letters(c.id)).filter((l) => l.kind === 'FV_INCIDENT');
    expect(reports.map((l) => l.addressee)).toEqual([magistrate, magistrate]);
    const text = await pdf(as.spip, `${base}/${c.id}/courriers/${reports[0].id}`);
    expect(text).toContain(`pendant la visite de Şükrü TRẦN (écrou ${detainee.ecrouNumber}) en UVF Ślęża`);
    expect(text).toContain(`Compte rendu : ${notes}`);
    expect(text).toContain('décision de maintien ou d’annulation de l’autorisation d’accès');
    expect(
      await query(`SELECT action FROM audit_log WHERE entity_id = $1::text AND action = 'FAMILY_VISIT_INCIDENT_REPORTED'`, [c.id]),
    ).toHaveLength(2);
    expect(
      page(await as.head.get(`${base}/${c.id}`).expect(200))
        .texts('event')
        .join(' '),
    ).toContain(`Incident signalé au magistrat (${magistrate}).`);

    // A condamné's stay: the head decided, no magistrate to tell.
    const decided = await insertAuthorisedCase(establishment.id);
    const otherDay = new Date(Date.now() + 12 * DAY).toISOString().slice(0, 10).split('-').reverse().join('/');
    const booked2 = await post(as.head, `${uvf}/reserver/${decided.caseId}`, `${uvf}/reserver/${decided.caseId}`, {
      outsideWish: 'oui',
      unitId: unit.id,
      day: otherDay,
      time: '10:00',
    });
    expect(booked2.status).toBe(303);
    const { id: stay2 } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [decided.caseId]);
    expect((await post(as.head, `${uvf}/sejours/${stay2}`, `${uvf}/sejours/${stay2}/registre`, { kind: 'INCIDENT', notes })).status).toBe(
      303,
    );
    expect(await letters(decided.caseId)).toEqual([]);
  });
});

describe('implicit rejection of a condamné’s request 2 months after receipt', () => {
  it('happens the day after the deadline in the establishment’s time zone, once; letter with recourse, family told; a prévenu’s request waits for the magistrate', async () => {
    // Received on 31 December 2026 at 10:00 in Paris: deadline 28 February 2027 (month end).
    const receivedAt = new Date('2026-12-31T09:00:00Z');
    const c = await readyCase({ receivedAt });
    const p = await readyCase({ detainee: prevenu, receivedAt });
    const clock = new Clock();
    const { notifications } = services(ds, testConfig());
    const decisions = new FamilyVisitDecisionsService(ds, notifications, new AuditService(), clock);
    const statuses = async (caseId: string) =>
      (await query<{ status: string }>(`SELECT status FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [caseId])).map(
        (r) => r.status,
      );
    clock.set(new Date('2027-02-28T22:59:00Z'), { frozen: true }); // 23:59 in Paris, the last day
    await decisions.expireOverdue();
    expect(await statuses(c.id)).toEqual(['RECEIVED', 'RECEIVED']);
    clock.set(new Date('2027-02-28T23:00:00Z'), { frozen: true }); // midnight in Paris, 1 March
    await decisions.expireOverdue();
    expect(await statuses(c.id)).toEqual(['IMPLICITLY_REJECTED', 'IMPLICITLY_REJECTED']);
    expect(await statuses(p.id)).toEqual(['RECEIVED', 'RECEIVED']);
    clock.set(new Date('2027-03-10T10:00:00Z'), { frozen: true });
    await decisions.expireOverdue();
    expect((await letters(c.id)).map((l) => [l.kind, l.author])).toEqual([
      ['FV_IMPLICIT_REJECTION', null],
      ['FV_IMPLICIT_REJECTION', null],
      ['FV_IMPLICIT_REJECTION', null],
    ]);
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({ status: 'CLOSED' });
    const mine = (await letters(c.id)).find((l) => l.family_account_id === family.id)!;
    const text = await pdf(as.family, `/courriers/${mine.id}`);
    expect(text).toContain('Aucune décision n’ayant été prise au 28 février 2027');
    expect(text).toContain(RECOURSE_MENTION);
    const mail = await queryOne<{ body_text: string }>(`SELECT body_text FROM notifications WHERE entity_id = $1`, [c.visitorRequest.id]);
    expect(mail.body_text).toContain('est rejetée faute de décision dans les deux mois');
    expect(await query(`SELECT actor_type, actor_label, action FROM audit_log WHERE entity_id = $1::text`, [c.visitorRequest.id])).toEqual([
      { actor_type: 'SYSTEM', actor_label: 'délai de 2 mois', action: 'FAMILY_VISIT_REQUEST_IMPLICITLY_REJECTED' },
    ]);
  });
});

describe('the permit and the custody are checked again at the decision', () => {
  it('a visitor whose visit permit was suspended, withdrawn or has expired since filing is not authorised: refused in French, and the head can still refuse', async () => {
    const c = await readyCase();
    await cpu(c.id);
    expect((await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).res.status).toBe(303);
    const permitId = (
      await queryOne<{ permit_id: string }>(`SELECT permit_id FROM family_visit_requests WHERE id = $1`, [c.visitorRequest.id])
    ).permit_id;
    const url = `${base}/${c.id}/decisions/${c.visitorRequest.id}`;
    for (const [change, said] of [
      [`status = 'SUSPENDED'`, 'Le permis de visite de Łucja NGUYỄN-ŞAHIN est suspendu'],
      [`status = 'WITHDRAWN'`, 'Le permis de visite de Łucja NGUYỄN-ŞAHIN a été retiré'],
      [
        `status = 'ACTIVE', valid_from = current_date - 400, valid_to = current_date - 3`,
        'Le permis de visite de Łucja NGUYỄN-ŞAHIN a expiré',
      ],
    ]) {
      await query(`UPDATE permits SET ${change} WHERE id = $1`, [permitId]);
      const form = page(await as.head.get(url).expect(200));
      expect(form.text('permit-not-valid')).toContain(said);
      const { confirmation, res } = await decide(as.head, c.id, c.visitorRequest.id, { decision: 'GRANT', hours: '24' });
      expect(confirmation).toBeNull();
      expect(res.status).toBe(409);
      expect(errorsOf(res)).toContain(`${said} : la visite ne peut pas être autorisée. Vous pouvez refuser la demande.`);
      expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [c.visitorRequest.id])).toEqual({
        status: 'RECEIVED',
      });
    }
    const refused = await decide(as.head, c.id, c.visitorRequest.id, {
      decision: 'REFUSE',
      ground: 'GOOD_ORDER',
      facts: 'Le permis de visite de Łucja a expiré le mois dernier sans renouvellement.',
      motivation: 'Sans permis de visite valide, l’accès à l’unité de vie familiale n’est pas possible.',
    });
    expect(refused.res.status).toBe(303);
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [c.visitorRequest.id])).toEqual({ status: 'REFUSED' });
  });

  it('a prévenu’s case is not transmitted to the magistrate while a visitor’s permit is suspended: 409 naming the visitor, no letter', async () => {
    const c = await readyCase({ detainee: prevenu });
    await cpu(c.id);
    const permitId = (
      await queryOne<{ permit_id: string }>(`SELECT permit_id FROM family_visit_requests WHERE id = $1`, [c.visitorRequest.id])
    ).permit_id;
    await query(`UPDATE permits SET status = 'SUSPENDED', status_reason = 'Suspension pour le test de la transmission.' WHERE id = $1`, [
      permitId,
    ]);
    const url = `${base}/${c.id}/transmission`;
    const fields = {
      magistrate: 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille',
      opinion: 'Avis favorable : lien conjugal stable, visite préparée.',
      proposedHours: '24',
    };
    const said =
      'Le permis de visite de Łucja NGUYỄN-ŞAHIN est suspendu : sa demande ne peut pas être transmise au magistrat. Attendez que le permis permette de nouveau la visite, ou enregistrez le retrait de la demande.';
    // Refused at the read-back, and when signing directly.
    const readBack = await post(as.head, url, url, fields);
    expect(readBack.status).toBe(409);
    expect(page(readBack).errors()).toEqual([said]);
    const signed = await post(as.head, url, url, { ...fields, confirme: 'oui' });
    expect(signed.status).toBe(409);
    expect(page(signed).errors()).toEqual([said]);
    expect(await letters(c.id)).toEqual([]);
    expect(await query(`SELECT status FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [c.id])).toEqual([
      { status: 'RECEIVED' },
      { status: 'RECEIVED' },
    ]);
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({ status: 'CPU' });
    // The suspension lifted, the case goes.
    await query(`UPDATE permits SET status = 'ACTIVE', status_reason = NULL WHERE id = $1`, [permitId]);
    expect((await confirmed(as.head, url, fields)).res.status).toBe(303);
    expect((await letters(c.id)).map((l) => l.kind)).toEqual(['FV_REFERRAL']);
  });

  it('a detainee released or transferred: no implicit-rejection letter, the decision page says « personne détenue libérée / transférée » and granting or transmitting is refused', async () => {
    const released = await insertDetainee(establishment.id, { firstName: 'Nguyễn', lastName: 'Văn Đức', legalStatus: 'CONDAMNE' });
    const transferred = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Żółć', legalStatus: 'PREVENU' });
    const receivedAt = new Date(Date.now() - 90 * DAY);
    const c = await readyCase({ detainee: released, receivedAt });
    const p = await readyCase({ detainee: transferred });
    await cpu(c.id);
    await cpu(p.id);
    await query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = now() WHERE id = $1`, [released.id]);
    await query(`UPDATE detainees SET custody_status = 'TRANSFERE', left_at = now(), transferred_to_id = $2 WHERE id = $1`, [
      transferred.id,
      elsewhere.id,
    ]);

    // The job writes no implicit rejection for someone who has left, however late.
    const { notifications } = services(ds, testConfig());
    await new FamilyVisitDecisionsService(ds, notifications, new AuditService(), new Clock()).expireOverdue();
    expect(await query(`SELECT status FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [c.id])).toEqual([
      { status: 'RECEIVED' },
      { status: 'RECEIVED' },
    ]);
    expect(await letters(c.id)).toEqual([]);

    expect(page(await as.head.get(`${base}/${c.id}`).expect(200)).text('detainee-left')).toContain('Personne détenue libérée');
    const form = page(await as.head.get(`${base}/${c.id}/decisions/${c.detaineeRequest.id}`).expect(200));
    expect(form.text('detainee-left')).toContain('Personne détenue libérée : la visite ne peut plus avoir lieu dans l’établissement');
    const grant = await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' });
    expect(grant.res.status).toBe(409);
    expect(errorsOf(grant.res)).toContain('Personne détenue libérée : aucune visite ne peut plus avoir lieu dans l’établissement');
    expect(await letters(c.id)).toEqual([]);

    expect(page(await as.head.get(`${base}/${p.id}`).expect(200)).text('detainee-left')).toContain('Personne détenue transférée');
    const sent = await post(as.head, `${base}/${p.id}/transmission`, `${base}/${p.id}/transmission`, {
      magistrate: 'M. Đặng Quốc Bảo, juge d’instruction, tribunal judiciaire de Lille',
      opinion: 'Avis favorable : lien conjugal stable, visite préparée.',
      proposedHours: '24',
    });
    expect(sent.status).toBe(409);
    expect(errorsOf(sent)).toContain('Personne détenue transférée : aucune visite ne peut plus avoir lieu');
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [p.id])).toEqual({ status: 'CPU' });

    // The head may still refuse: the request is closed with a motivated letter.
    const refused = await decide(as.head, c.id, c.detaineeRequest.id, {
      decision: 'REFUSE',
      ground: 'ARCHITECTURE',
      facts: 'La personne détenue a été libérée le mois dernier et n’est plus écrouée ici.',
      motivation: 'La visite ne peut avoir lieu que dans les locaux de l’établissement, où elle n’est plus.',
    });
    expect(refused.res.status).toBe(303);
  });
});
