import { insertDetaineeRequest, insertFamilyVisitCase, insertInterview, insertVisitorRequest } from './factories/family-visits-instruction';
import { insertUnit } from './factories/family-visits-units';
import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
} from './factories/people';
import { appForTests } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { page, type HtmlPage } from './helpers/html';
import { binary, pdfText } from './helpers/permits';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

/**
 * The magistrate's side of a prévenu's UVF / PF (note DAP of 4 December 2014, A.5.a, C.3, B.4): his
 * permanent or temporary authorisation is reused for the next requests instead of transmitting them
 * again; the transmission and his answers are read back before they are signed or recorded; an early
 * end for security is reported to him, and his follow-up (maintained or withdrawn) is recorded. Through
 * HTTP on the worker's shared app, its clock frozen on Monday 4 January 2027, 10:00 in Paris (the next
 * file's reset puts it back).
 */

const suite = appForTests();
const NOW = '2027-01-04T09:00:00Z';
const MAGISTRATE = 'Mme Ewa Kowalska, juge d’instruction, tribunal judiciaire de Lille';

let establishment: EstablishmentRow;
let base: string;
let uvf: string;
let spipId: string;
const as = {} as Record<'head' | 'spip' | 'greffe' | 'family', Agent>;
let familyId: string;

beforeAll(async () => {
  await suite.app.setClock(NOW, { frozen: true });
  establishment = await insertEstablishment({ name: 'Maison d’arrêt de Łódź-sur-Loire' });
  base = `/etablissements/${establishment.code}/uvf/dossiers`;
  uvf = `/etablissements/${establishment.code}/uvf`;
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
  as.greffe = await signInAgent(
    suite.app.url,
    await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], { givenName: 'Thị Hương', usualName: 'Phạm' }),
  );
  const family = await insertFamily({ givenName: 'Łukasz', familyName: 'Nguyễn' });
  familyId = family.id;
  as.family = await signInFamily(suite.app.url, family);
});

/** A case of a prévenu ready for the CPU: the detainee's request and Łukasz's (and others), each interviewed, rules signed. */
async function readyCase(
  detainee: DetaineeRow,
  o: { kind?: 'UVF' | 'PF'; visitors?: { given: string; family: string; birthdate?: string; account?: string | null }[] } = {},
) {
  const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: detainee.id, kind: o.kind ?? 'UVF' });
  const at = new Date('2026-12-20T10:00:00Z');
  const detaineeRequest = await insertDetaineeRequest(c.id, { receivedAt: at });
  const visitors = [];
  for (const v of o.visitors ?? [{ given: 'Łukasz', family: 'Nguyễn', account: familyId }])
    visitors.push(
      await insertVisitorRequest(
        { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
        {
          familyAccountId: v.account ?? null,
          visitorGivenName: v.given,
          visitorFamilyName: v.family,
          visitorBirthdate: v.birthdate ?? '1988-03-14',
          receivedAt: at,
          channel: 'LETTER',
        },
      ),
    );
  for (const r of [detaineeRequest, ...visitors])
    await insertInterview({ requestId: r.id, counsellorId: spipId, at: new Date('2026-12-28T10:00:00Z'), status: 'DONE' });
  return { ...c, detaineeRequest, visitors };
}

/** Posts a form with the CSRF token of the page it is on. */
async function post(who: Agent, from: string, action: string, fields: Record<string, string>) {
  const csrf = page(await who.get(from).expect(200)).csrf();
  return who
    .post(action)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}

/** Fills a form and gets the read-back page (200), which says what will be signed or recorded. */
async function readBack(who: Agent, url: string, fields: Record<string, string>): Promise<HtmlPage> {
  const res = await post(who, url, url, fields);
  expect(res.status).toBe(200);
  const p = page(res);
  expect(p.has('confirm-form')).toBe(true);
  return p;
}

/** Fills a form, reads it back and confirms (`confirme=oui` from the read-back's own form): the final response. */
async function confirmed(who: Agent, url: string, fields: Record<string, string>) {
  const res = await post(who, url, url, fields);
  if (res.status !== 200) return res;
  return who.post(url).type('form').send(page(res).formFields(url));
}

/** « Modifier » on a read-back: its second form, posted as a browser would. */
async function modify(who: Agent, p: HtmlPage, url: string) {
  const res = await who
    .post(`${url}/modifier`)
    .type('form')
    .send(p.formFields(`${url}/modifier`));
  expect(res.status).toBe(200);
  return page(res);
}

async function cpu(caseId: string) {
  const res = await post(as.spip, `${base}/${caseId}`, `${base}/${caseId}/cpu`, { cpuOn: '02/01/2027', opinion: 'FAVOURABLE' });
  expect(res.status).toBe(303);
}

/** The head transmits the case, the magistrate's answers come back (recorded by the greffe, which receives his mail): each through its read-back. */
async function authorise(caseId: string, answers: { requestId: string; answer: string; until?: string }[]) {
  expect(
    (
      await confirmed(as.head, `${base}/${caseId}/transmission`, {
        magistrate: MAGISTRATE,
        opinion: 'Avis favorable.',
        proposedHours: '24',
      })
    ).status,
  ).toBe(303);
  for (const a of answers) expect((await confirmed(as.greffe, `${base}/${caseId}/reponse-magistrat`, a)).status).toBe(303);
}

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

/** An answer of the magistrate recorded earlier on a case of the detainee (a case transmitted and decided). */
async function earlierAnswer(
  detainee: DetaineeRow,
  o: { answer: 'PERMANENT' | 'TEMPORARY' | 'REFUSED'; until?: string; decidedAt: string; visitor?: { given: string; family: string } },
) {
  const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: detainee.id, status: 'DECIDED' });
  await query(
    `UPDATE family_visit_cases SET magistrate = $2, referral_opinion = 'Avis favorable.', proposed_hours = 24, referred_at = $3 WHERE id = $1`,
    [c.id, MAGISTRATE, o.decidedAt],
  );
  const r = o.visitor
    ? await insertVisitorRequest(
        { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
        { visitorGivenName: o.visitor.given, visitorFamilyName: o.visitor.family, visitorBirthdate: '1988-03-14', channel: 'LETTER' },
      )
    : await insertDetaineeRequest(c.id);
  await query(
    `UPDATE family_visit_requests SET status = $2, decided_at = $3, decided_by_magistrate = true, magistrate_answer = $4, magistrate_until = $5,
            granted_hours = CASE WHEN $2 = 'GRANTED' THEN 24 END, decision_motivation = CASE WHEN $2 = 'REFUSED' THEN 'Motifs du magistrat, recopiés.' END
      WHERE id = $1`,
    [r.id, o.answer === 'REFUSED' ? 'REFUSED' : 'GRANTED', o.decidedAt, o.answer, o.until ?? null],
  );
  return { caseId: c.id, requestId: r.id };
}

describe('a magistrate’s authorisation is reused for the next requests of the same prévenu', () => {
  it('a permanent authorisation: the case page says so, the head decides the request without transmitting it again, the letter names the authorisation and its date, and a new visitor still goes to the magistrate', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Trần', legalStatus: 'PREVENU' });
    // The first case goes to the magistrate: permanent authorisations for the detainee and for Łukasz.
    const first = await readyCase(detainee);
    await cpu(first.id);
    await authorise(first.id, [
      { requestId: first.detaineeRequest.id, answer: 'PERMANENT' },
      { requestId: first.visitors[0].id, answer: 'PERMANENT' },
    ]);

    // The next case: the same detainee, Łukasz on a permit of his own (written without diacritics), and a new visitor.
    const next = await readyCase(detainee, {
      visitors: [
        { given: 'Lukasz', family: 'NGUYEN', account: familyId },
        { given: 'مريم', family: 'Haddad' },
      ],
    });
    await cpu(next.id);
    const casePage = page(await as.head.get(`${base}/${next.id}`).expect(200));
    expect(casePage.texts('authorisation-in-force')).toEqual([
      `Autorisation du magistrat en cours : permanente (décision du 4 janvier 2027, ${MAGISTRATE})`,
      `Autorisation du magistrat en cours : permanente (décision du 4 janvier 2027, ${MAGISTRATE})`,
    ]);
    expect(casePage.$('[data-testid="decide-link"]').length).toBe(2);
    expect(casePage.has('refer-link')).toBe(true);

    // A SPIP counsellor does not sign it.
    expect((await decide(as.spip, next.id, next.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).status).toBe(403);
    // The head does, within the magistrate's authorisation: read back first.
    const form = await readBack(as.head, `${base}/${next.id}/decisions/${next.detaineeRequest.id}`, { decision: 'GRANT', hours: '24' });
    expect(form.text('letter-preview')).toContain(
      `Vu l’autorisation permanente d’accès donnée par le magistrat (${MAGISTRATE}) le 4 janvier 2027,`,
    );
    expect(form.text('letter-preview')).toContain('pour une durée de 24 heures, dans le cadre de cette autorisation du magistrat.');
    expect((await decide(as.head, next.id, next.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).status).toBe(303);

    // The new visitor is the only one transmitted.
    const transmission = await readBack(as.head, `${base}/${next.id}/transmission`, {
      magistrate: MAGISTRATE,
      opinion: 'Avis favorable : nouvelle visiteuse, lien établi.',
      proposedHours: '24',
    });
    expect(transmission.texts('referred-requests')).toEqual(['مريم HADDAD']);
    expect(
      (
        await confirmed(as.head, `${base}/${next.id}/transmission`, {
          magistrate: MAGISTRATE,
          opinion: 'Avis favorable.',
          proposedHours: '24',
        })
      ).status,
    ).toBe(303);
    // While the magistrate is asked about her, Łukasz's request is decided within his authorisation.
    expect((await decide(as.head, next.id, next.visitors[0].id, { decision: 'GRANT', hours: '24' })).status).toBe(303);

    expect(
      await query(
        `SELECT r.status, r.decided_by_magistrate, r.reused_authorisation_from AS reused, r.decided_as
           FROM family_visit_requests r WHERE r.case_id = $1 ORDER BY r.applicant, r.received_at, r.id`,
        [next.id],
      ),
    ).toEqual(
      expect.arrayContaining([
        {
          status: 'GRANTED',
          decided_by_magistrate: false,
          reused: first.detaineeRequest.id,
          decided_as: 'Zofia ŁUKASIEWICZ, chef d’établissement',
        },
        {
          status: 'GRANTED',
          decided_by_magistrate: false,
          reused: first.visitors[0].id,
          decided_as: 'Zofia ŁUKASIEWICZ, chef d’établissement',
        },
        { status: 'REFERRED', decided_by_magistrate: false, reused: null, decided_as: null },
      ]),
    );
    const sent = await letters(next.id);
    expect(sent.map((l) => l.kind)).not.toContain('FV_JAP_NOTICE');
    const his = sent.find((l) => l.family_account_id === familyId)!;
    const text = await pdf(as.family, `/courriers/${his.id}`);
    expect(text).toContain(`Vu l’autorisation permanente d’accès donnée par le magistrat (${MAGISTRATE}) le 4 janvier 2027,`);
    expect(text).toContain(
      'J’autorise cette visite de Lukasz NGUYEN, pour une durée de 24 heures, dans le cadre de cette autorisation du magistrat.',
    );
    expect(
      await query(
        `SELECT action, after->>'reusedAuthorisationFrom' AS reused FROM audit_log WHERE entity_id = ANY($1::text[]) ORDER BY id`,
        [[next.detaineeRequest.id, next.visitors[0].id]],
      ),
    ).toEqual([
      { action: 'FAMILY_VISIT_REQUEST_GRANTED', reused: first.detaineeRequest.id },
      { action: 'FAMILY_VISIT_REQUEST_GRANTED', reused: first.visitors[0].id },
    ]);
    const decided = page(await as.head.get(`${base}/${next.id}`).expect(200));
    expect(decided.texts('granted-within')).toEqual([
      `Dans le cadre de l’autorisation permanente du magistrat du 4 janvier 2027 (dossier ${first.reference})`,
      `Dans le cadre de l’autorisation permanente du magistrat du 4 janvier 2027 (dossier ${first.reference})`,
    ]);
  });

  it('an expired temporary authorisation, a later refusal or another kind is not reused: the request goes to the magistrate again, while one ending today still is and limits the booking', async () => {
    const expired = await insertDetainee(establishment.id, { firstName: 'Ngọc', lastName: 'Lê', legalStatus: 'PREVENU' });
    await earlierAnswer(expired, { answer: 'TEMPORARY', until: '2027-01-03', decidedAt: '2026-10-01T10:00:00Z' });
    const refused = await insertDetainee(establishment.id, { firstName: 'Jürgen', lastName: 'Ōta', legalStatus: 'PREVENU' });
    await earlierAnswer(refused, { answer: 'PERMANENT', decidedAt: '2026-09-01T10:00:00Z' });
    await earlierAnswer(refused, { answer: 'REFUSED', decidedAt: '2026-10-01T10:00:00Z' });
    for (const detainee of [expired, refused]) {
      const c = await readyCase(detainee);
      await cpu(c.id);
      const casePage = page(await as.head.get(`${base}/${c.id}`).expect(200));
      expect(casePage.has('authorisation-in-force')).toBe(false);
      expect(casePage.has('decide-link')).toBe(false);
      expect(casePage.has('refer-link')).toBe(true);
      const res = await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' });
      expect(res.status).toBe(409);
      expect(errorsOf(res)).toContain('aucune autorisation du magistrat n’est en cours pour cette demande');
    }
    // A PF is another kind: a UVF authorisation does not cover it.
    const pf = await readyCase(refused, { kind: 'PF' });
    await cpu(pf.id);
    expect(page(await as.head.get(`${base}/${pf.id}`).expect(200)).has('authorisation-in-force')).toBe(false);

    // A temporary authorisation ending today (on the establishment's clock) still runs; the grant within it ends with it.
    const today = await insertDetainee(establishment.id, { firstName: 'Ömer', lastName: 'Şahin', legalStatus: 'PREVENU' });
    await earlierAnswer(today, { answer: 'TEMPORARY', until: '2027-01-04', decidedAt: '2026-10-01T10:00:00Z' });
    await earlierAnswer(today, { answer: 'PERMANENT', decidedAt: '2026-10-01T10:00:00Z', visitor: { given: 'Łukasz', family: 'Nguyễn' } });
    const c = await readyCase(today);
    await cpu(c.id);
    expect(page(await as.head.get(`${base}/${c.id}`).expect(200)).texts('authorisation-in-force')[0]).toBe(
      `Autorisation du magistrat en cours : jusqu’au 4 janvier 2027 (décision du 1 octobre 2026, ${MAGISTRATE})`,
    );
    const form = await readBack(as.head, `${base}/${c.id}/decisions/${c.detaineeRequest.id}`, { decision: 'GRANT', hours: '6' });
    expect(form.text('letter-preview')).toContain(
      `Vu l’autorisation temporaire d’accès donnée par le magistrat (${MAGISTRATE}) le 1 octobre 2026, valable jusqu’au 4 janvier 2027,`,
    );
    expect((await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '6' })).status).toBe(303);
    expect((await decide(as.head, c.id, c.visitors[0].id, { decision: 'GRANT', hours: '6' })).status).toBe(303);
    expect(
      await queryOne(`SELECT to_char(magistrate_until, 'YYYY-MM-DD') AS until FROM family_visit_requests WHERE id = $1`, [
        c.detaineeRequest.id,
      ]),
    ).toEqual({
      until: '2027-01-04',
    });
    const unit = await insertUnit(establishment.id, { name: 'UVF Ząb' });
    const tooLate = await post(as.head, `${uvf}/reserver/${c.id}`, `${uvf}/reserver/${c.id}`, {
      outsideWish: 'oui',
      unitId: unit.id,
      day: '05/01/2027',
      time: '10:00',
    });
    expect(tooLate.status).toBe(409);
    expect(page(tooLate).fieldError('day')).toBe(
      'L’autorisation du magistrat prend fin le 04/01/2027 : la visite doit être terminée ce jour-là au plus tard.',
    );
  });
});

describe('read-backs before the transmission and before recording the magistrate’s answer', () => {
  it('nothing is recorded before confirme=oui, and « Modifier » gives the form back with everything typed (transmission, answer, decision)', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Thị Lan', lastName: 'Nguyễn', legalStatus: 'PREVENU' });
    const c = await readyCase(detainee);
    await cpu(c.id);
    const transmission = `${base}/${c.id}/transmission`;
    const opinion = 'Avis favorable : lien conjugal stable.\nVisite préparée avec Łukasz lors de deux entretiens.';
    const sent = await readBack(as.head, transmission, { magistrate: MAGISTRATE, opinion, proposedHours: '24' });
    expect(sent.heading()).toBe('Transmettre le dossier au magistrat');
    expect(sent.text('letter-preview')).toContain('Avis du chef d’établissement : Avis favorable : lien conjugal stable.');
    expect(sent.text('letter-preview')).toContain('Zofia ŁUKASIEWICZ, chef d’établissement');
    expect(await queryOne(`SELECT status, referred_at FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({
      status: 'CPU',
      referred_at: null,
    });
    expect(await letters(c.id)).toEqual([]);
    const again = await modify(as.head, sent, transmission);
    expect(again.has('referral-form')).toBe(true);
    expect(again.value('magistrate')).toBe(MAGISTRATE);
    expect(again.value('opinion')).toBe(opinion);
    expect(again.value('proposedHours')).toBe('24');
    // The SPIP counsellor cannot sign it.
    expect((await confirmed(as.spip, transmission, { magistrate: MAGISTRATE, opinion, proposedHours: '24' })).status).toBe(403);
    expect((await confirmed(as.head, transmission, { magistrate: MAGISTRATE, opinion, proposedHours: '24' })).status).toBe(303);

    const answers = `${base}/${c.id}/reponse-magistrat`;
    const reasons = 'Risque de pression sur un témoin : مريم Haddad.';
    const answer = await readBack(as.greffe, answers, { requestId: c.visitors[0].id, answer: 'REFUSED', reasons });
    expect(answer.text('answer-summary')).toContain('Réponse du magistrat : Refus');
    expect(answer.text('letter-preview')).toContain(`Le magistrat (${MAGISTRATE}) a refusé cette visite. Motifs : ${reasons}`);
    // The agent who records it notifies it: named with their quality.
    expect(answer.text('letter-preview')).toContain('Thị Hương PHẠM, agent du greffe');
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [c.visitors[0].id])).toEqual({ status: 'REFERRED' });
    const changed = await modify(as.greffe, answer, answers);
    expect(changed.value('requestId')).toBe(c.visitors[0].id);
    expect(changed.value('answer')).toBe('REFUSED');
    expect(changed.value('reasons')).toBe(reasons);
    const temporary = await readBack(as.greffe, answers, { requestId: c.visitors[0].id, answer: 'TEMPORARY', until: '30/06/2027' });
    expect((await modify(as.greffe, temporary, answers)).value('until')).toBe('30/06/2027');
    expect((await confirmed(as.greffe, answers, { requestId: c.visitors[0].id, answer: 'TEMPORARY', until: '30/06/2027' })).status).toBe(
      303,
    );
    const notified = (await letters(c.id)).find((l) => l.kind === 'FV_MAGISTRATE_DECISION' && l.family_account_id === familyId)!;
    expect(notified.author).toBe('Thị Hương PHẠM, agent du greffe');
    const text = await pdf(as.family, `/courriers/${notified.id}`);
    expect(text).toContain(`Le magistrat (${MAGISTRATE}) a donné une autorisation temporaire d’accès jusqu’au 30 juin 2027.`);
    expect(text).toContain('La décision du magistrat vous est notifiée par l’établissement');
    expect(text).toContain('Thị Hương PHẠM, agent du greffe');
    expect(
      await queryOne(`SELECT action, after->>'notifiedBy' AS "notifiedBy" FROM audit_log WHERE entity_id = $1`, [c.visitors[0].id]),
    ).toEqual({
      action: 'FAMILY_VISIT_MAGISTRATE_ANSWER',
      notifiedBy: 'Thị Hương PHẠM, agent du greffe',
    });

    // The head's own decision: « Modifier » keeps the refusal's facts and motivation (it used to lose them).
    const condamne = await insertDetainee(establishment.id, { firstName: 'يوسف', lastName: 'Ben Ałi', legalStatus: 'CONDAMNE' });
    const d = await readyCase(condamne);
    await cpu(d.id);
    const decision = `${base}/${d.id}/decisions/${d.detaineeRequest.id}`;
    const refusal = {
      decision: 'REFUSE',
      ground: 'SECURITY',
      facts: 'Le 2 janvier 2027, un projet d’évasion lors d’une visite a été signalé.',
      motivation: 'La sécurité de l’unité et des personnes ne peut être garantie pendant 24 heures.',
    };
    const back = await modify(as.head, await readBack(as.head, decision, refusal), decision);
    expect(back.has('decision-form')).toBe(true);
    expect([back.value('decision'), back.value('ground'), back.value('facts'), back.value('motivation')]).toEqual([
      'REFUSE',
      'SECURITY',
      refusal.facts,
      refusal.motivation,
    ]);
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [d.detaineeRequest.id])).toEqual({
      status: 'RECEIVED',
    });
  });
});

describe('the magistrate’s answer carries the duration he set', () => {
  it('the answer form offers the proposed duration by default; another one is checked like a grant, read back, written in the letter and recorded', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Łukasz', lastName: 'Al-Şahin', legalStatus: 'PREVENU' });
    const c = await readyCase(detainee);
    await cpu(c.id);
    await authorise(c.id, []);
    const answers = `${base}/${c.id}/reponse-magistrat`;
    expect(page(await as.greffe.get(answers).expect(200)).value('hours')).toBe('24');

    // A duration a grant could not have: refused in French, the values kept.
    const bad = await post(as.greffe, answers, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT', hours: '10' });
    expect(bad.status).toBe(400);
    const badPage = page(bad);
    expect(badPage.errors()).toEqual([
      'Une visite en UVF dure de 6 à 72 heures, par tranches de 6 heures. Choisissez une durée dans la liste.',
    ]);
    expect([badPage.value('requestId'), badPage.value('answer'), badPage.value('hours')]).toEqual([
      c.detaineeRequest.id,
      'PERMANENT',
      '10',
    ]);
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [c.detaineeRequest.id])).toEqual({
      status: 'REFERRED',
    });

    const shorter = await readBack(as.greffe, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT', hours: '12' });
    expect(shorter.text('answer-duration')).toBe('Durée de la visite autorisée : 12 heures — autre que la durée proposée (24 heures)');
    expect(shorter.text('letter-preview')).toContain('La visite est autorisée pour une durée de 12 heures.');
    expect((await confirmed(as.greffe, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT', hours: '12' })).status).toBe(303);

    // One visit, one duration: the visitor's answer defaults to it, and another is refused.
    expect(page(await as.greffe.get(answers).expect(200)).value('hours')).toBe('12');
    const other = await post(as.greffe, answers, answers, { requestId: c.visitors[0].id, answer: 'PERMANENT', hours: '24' });
    expect(other.status).toBe(400);
    expect(page(other).errors()).toEqual([
      'La visite de ce dossier est déjà accordée pour 12 heures : la même durée vaut pour chaque demande.',
    ]);
    expect((await confirmed(as.greffe, answers, { requestId: c.visitors[0].id, answer: 'PERMANENT', hours: '12' })).status).toBe(303);
    expect(await query(`SELECT applicant, granted_hours FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [c.id])).toEqual(
      [
        { applicant: 'DETAINEE', granted_hours: 12 },
        { applicant: 'VISITOR', granted_hours: 12 },
      ],
    );
    const notified = (await letters(c.id)).find((l) => l.kind === 'FV_MAGISTRATE_DECISION' && l.family_account_id === familyId)!;
    expect(await pdf(as.family, `/courriers/${notified.id}`)).toContain('La visite est autorisée pour une durée de 12 heures.');
    expect(
      await queryOne(
        `SELECT (after->>'hours')::int AS hours, (after->>'proposedHours')::int AS proposed FROM audit_log
          WHERE entity_id = $1 AND action = 'FAMILY_VISIT_MAGISTRATE_ANSWER'`,
        [c.detaineeRequest.id],
      ),
    ).toEqual({ hours: 12, proposed: 24 });
  });
});

describe('an early end for security during a prévenu’s stay, and the magistrate’s follow-up', () => {
  it('is reported to the magistrate, and the head records his withdrawal after a read-back: no longer reused, no stay booked under it, notified and audited', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ayşe', lastName: 'Kowalczyk', legalStatus: 'PREVENU' });
    const first = await readyCase(detainee);
    await cpu(first.id);
    await authorise(first.id, [
      { requestId: first.detaineeRequest.id, answer: 'PERMANENT' },
      { requestId: first.visitors[0].id, answer: 'PERMANENT' },
    ]);
    // A second visit granted within the same authorisation, not booked yet.
    const second = await readyCase(detainee);
    await cpu(second.id);
    expect((await decide(as.head, second.id, second.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).status).toBe(303);
    expect((await decide(as.head, second.id, second.visitors[0].id, { decision: 'GRANT', hours: '24' })).status).toBe(303);

    // The second visit is booked for later; the first one is booked, starts, and is ended early for security.
    const unit = await insertUnit(establishment.id, { name: 'UVF Ślęża' });
    const later = await post(as.head, `${uvf}/reserver/${second.id}`, `${uvf}/reserver/${second.id}`, {
      outsideWish: 'oui',
      unitId: unit.id,
      day: '06/01/2027',
      time: '10:00',
    });
    expect(later.status).toBe(303);
    expect(
      (
        await post(as.head, `${uvf}/reserver/${first.id}`, `${uvf}/reserver/${first.id}`, {
          outsideWish: 'oui',
          unitId: unit.id,
          day: '04/01/2027',
          time: '11:00',
        })
      ).status,
    ).toBe(303);
    const { id: stayId } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [first.id]);
    const stay = `${uvf}/sejours/${stayId}`;
    expect((await post(as.head, stay, `${stay}/debut`, {})).status).toBe(303);
    const ended = await post(as.head, stay, `${stay}/fin-anticipee`, {
      cause: 'SECURITY',
      reason: 'Violences entre les occupants, intervention des surveillants.',
      confirm: 'oui',
    });
    expect(ended.status).toBe(303);
    const [report] = (await letters(first.id)).filter((l) => l.kind === 'FV_INCIDENT');
    expect(report).toMatchObject({ addressee: MAGISTRATE, author: 'Zofia Łukasiewicz' });
    const reportText = await pdf(as.head, `${base}/${first.id}/courriers/${report.id}`);
    expect(reportText).toContain(
      `Le 4 janvier 2027, il a été mis fin, à titre de mesure conservatoire et pour raison de sécurité, à la visite de Ayşe KOWALCZYK (écrou ${detainee.ecrouNumber}) en UVF Ślęża`,
    );
    expect(reportText).toContain('Compte rendu : Violences entre les occupants, intervention des surveillants.');
    expect(reportText).toContain('votre décision de maintien ou d’annulation de l’autorisation d’accès (temporaire ou permanente)');
    expect(await query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'FAMILY_VISIT_%_REPORTED'`, [first.id])).toEqual([
      { action: 'FAMILY_VISIT_EARLY_END_REPORTED' },
    ]);
    const casePage = page(await as.head.get(`${base}/${first.id}`).expect(200));
    expect(casePage.texts('event').join(' ')).toContain(
      `Fin anticipée de la visite pour raison de sécurité signalée au magistrat (${MAGISTRATE}), sollicité pour maintenir ou annuler son autorisation.`,
    );
    expect(casePage.has('followup-link')).toBe(true);

    // The magistrate's follow-up: the counsellor may not record it.
    const followup = `${base}/${first.id}/suite-magistrat`;
    const withdrawal = { requestId: first.detaineeRequest.id, outcome: 'WITHDRAWN', on: '04/01/2027' };
    expect((await confirmed(as.spip, followup, withdrawal)).status).toBe(403);
    const future = await post(as.head, followup, followup, { ...withdrawal, on: '05/01/2027' });
    expect(future.status).toBe(400);
    expect(page(future).fieldError('on')).toBe('La décision du magistrat ne peut pas être datée d’un jour à venir.');
    // The visitor's authorisation is maintained.
    expect((await confirmed(as.head, followup, { requestId: first.visitors[0].id, outcome: 'MAINTAINED', on: '04/01/2027' })).status).toBe(
      303,
    );
    // The detainee's is withdrawn: read back (nothing recorded), « Modifier » keeps the values, then confirmed.
    const check = await readBack(as.head, followup, withdrawal);
    expect(check.text('followup-summary')).toBe(
      `Le magistrat a annulé le 4 janvier 2027 l’autorisation permanente de la personne détenue du 4 janvier 2027 (dossier ${first.reference}).`,
    );
    expect(check.text('letter-preview')).toContain('À compter du 4 janvier 2027, aucune visite ne peut avoir lieu sous cette autorisation');
    expect(await queryOne(`SELECT authorisation_followup FROM family_visit_requests WHERE id = $1`, [first.detaineeRequest.id])).toEqual({
      authorisation_followup: null,
    });
    const back = await modify(as.head, check, followup);
    expect([back.value('requestId'), back.value('outcome'), back.value('on')]).toEqual([
      first.detaineeRequest.id,
      'WITHDRAWN',
      '04/01/2027',
    ]);
    expect((await confirmed(as.head, followup, withdrawal)).status).toBe(303);

    expect(
      await query(
        `SELECT id, authorisation_followup AS followup, to_char(authorisation_followup_on, 'YYYY-MM-DD') AS "on",
                to_char(magistrate_until, 'YYYY-MM-DD') AS until
           FROM family_visit_requests WHERE id = ANY($1::uuid[]) ORDER BY authorisation_followup NULLS LAST, id`,
        [[first.detaineeRequest.id, first.visitors[0].id, second.detaineeRequest.id]],
      ),
    ).toEqual(
      expect.arrayContaining([
        { id: first.visitors[0].id, followup: 'MAINTAINED', on: '2027-01-04', until: null },
        { id: first.detaineeRequest.id, followup: 'WITHDRAWN', on: '2027-01-04', until: '2027-01-03' },
        { id: second.detaineeRequest.id, followup: null, on: null, until: '2027-01-03' },
      ]),
    );
    const notices = await query<{ id: string; author: string; addressee: string }>(
      `SELECT id, author, addressee FROM letters WHERE family_visit_case_id = $1 AND title LIKE 'Annulation%'`,
      [first.id],
    );
    expect(notices.map((l) => [l.addressee, l.author])).toEqual([
      [`Ayşe KOWALCZYK (écrou ${detainee.ecrouNumber})`, 'Zofia ŁUKASIEWICZ, chef d’établissement'],
    ]);
    const notice = notices[0];
    const noticeText = await pdf(as.head, `${base}/${first.id}/courriers/${notice.id}`);
    expect(noticeText).toContain(
      `Par une décision du 4 janvier 2027, le magistrat (${MAGISTRATE}) a annulé l’autorisation permanente d’accès qu’il avait donnée le 4 janvier 2027`,
    );
    expect(
      await query(
        `SELECT action, before->>'followup' AS before, after->>'followup' AS after FROM audit_log WHERE entity_id = $1 AND action LIKE 'FAMILY_VISIT_AUTHORISATION_%' ORDER BY id`,
        [first.detaineeRequest.id],
      ),
    ).toEqual([{ action: 'FAMILY_VISIT_AUTHORISATION_WITHDRAWN', before: null, after: 'WITHDRAWN' }]);
    expect(
      await queryOne(`SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'FAMILY_VISIT_AUTHORISATION_%'`, [
        first.visitors[0].id,
      ]),
    ).toEqual({
      action: 'FAMILY_VISIT_AUTHORISATION_MAINTAINED',
    });
    expect(page(await as.head.get(`${base}/${first.id}`).expect(200)).texts('authorisation-followup')).toEqual([
      'Autorisation annulée par le magistrat le 4 janvier 2027',
      'Autorisation maintenue par le magistrat le 4 janvier 2027',
    ]);

    // The visit granted within it and booked is flagged; once cancelled, it can no longer be booked…
    const secondPage = page(await as.head.get(`${base}/${second.id}`).expect(200));
    expect(secondPage.texts('granted-within')[0]).toBe(
      `Dans le cadre de l’autorisation permanente du magistrat du 4 janvier 2027 (dossier ${first.reference}) — annulée par le magistrat le 4 janvier 2027`,
    );
    expect(secondPage.text('withdrawn-stay')).toBe(
      'Le séjour réservé repose sur une autorisation que le magistrat a annulée le 4 janvier 2027 : annulez-le depuis la page du séjour.',
    );
    const { id: secondStay } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [second.id]);
    const cancel = `${uvf}/sejours/${secondStay}/annuler`;
    expect((await post(as.head, cancel, cancel, { reason: 'Autorisation du magistrat annulée le 4 janvier 2027.' })).status).toBe(303);
    expect(page(await as.head.get(`${base}/${second.id}`).expect(200)).has('withdrawn-stay')).toBe(false);
    const booking = await post(as.head, `${uvf}/reserver/${second.id}`, `${uvf}/reserver/${second.id}`, {
      outsideWish: 'oui',
      unitId: unit.id,
      day: '06/01/2027',
      time: '10:00',
    });
    expect(booking.status).toBe(409);
    expect(page(booking).fieldError('day')).toContain('du magistrat prend fin le 03/01/2027');
    // …and a new request of the detainee goes to the magistrate again (Łukasz's authorisation, maintained, still runs).
    const third = await readyCase(detainee);
    await cpu(third.id);
    const thirdPage = page(await as.head.get(`${base}/${third.id}`).expect(200));
    expect(thirdPage.texts('authorisation-in-force')).toEqual([
      `Autorisation du magistrat en cours : permanente (décision du 4 janvier 2027, ${MAGISTRATE} ; maintenue le 4 janvier 2027)`,
    ]);
    expect((await decide(as.head, third.id, third.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).status).toBe(409);
    expect(thirdPage.has('refer-link')).toBe(true);
    // Nothing more is recorded on a withdrawn authorisation.
    const afterWithdrawal = await post(as.head, followup, followup, { ...withdrawal, outcome: 'MAINTAINED' });
    expect(afterWithdrawal.status).toBe(409);
  });

  it('a stay booked before the magistrate withdraws his authorisation is « à revoir » on today’s stays, the planning and the stay page, and cannot start (409)', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Nguyễn Thị', lastName: 'Łabędź', legalStatus: 'PREVENU' });
    const c = await readyCase(detainee);
    await cpu(c.id);
    await authorise(c.id, [
      { requestId: c.detaineeRequest.id, answer: 'PERMANENT' },
      { requestId: c.visitors[0].id, answer: 'PERMANENT' },
    ]);
    const unit = await insertUnit(establishment.id, { name: 'UVF Wąwóz' });
    const booked = await post(as.head, `${uvf}/reserver/${c.id}`, `${uvf}/reserver/${c.id}`, {
      outsideWish: 'oui',
      unitId: unit.id,
      day: '04/01/2027',
      time: '11:00',
    });
    expect(booked.status).toBe(303);
    const { id: stayId } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [c.id]);
    const stay = `${uvf}/sejours/${stayId}`;
    expect(page(await as.head.get(stay).expect(200)).has('stay-review')).toBe(false);

    // The magistrate withdraws his authorisation of the detainee's access, the day the stay begins.
    const followup = `${base}/${c.id}/suite-magistrat`;
    expect((await confirmed(as.head, followup, { requestId: c.detaineeRequest.id, outcome: 'WITHDRAWN', on: '04/01/2027' })).status).toBe(
      303,
    );

    // Flagged wherever the agents read the stays to come.
    expect(page(await as.head.get(stay).expect(200)).text('stay-review')).toBe(
      'À revoir : autorisation du magistrat annulée le 04/01/2027.',
    );
    const today = page(await as.head.get(`${uvf}/sejours`).expect(200));
    const row = today.testId('today-stay').filter((_, li) => today.$(li).text().includes('Nguyễn Thị ŁABĘDŹ'));
    expect(row.find('[data-testid="stay-review"]').text()).toBe('À revoir : autorisation du magistrat annulée le 04/01/2027');
    const planning = page(await as.head.get(`${uvf}/planning?semaine=2027-01-04`).expect(200));
    const cells = planning.$(`a[href="${stay}"]`);
    expect(cells.length).toBe(2);
    expect(cells.map((_, a) => planning.$(a).next('[data-testid="planning-review"]').text()).get()).toEqual([
      'À revoir : autorisation du magistrat annulée le 04/01/2027',
      'À revoir : autorisation du magistrat annulée le 04/01/2027',
    ]);

    // The agent at the door cannot start it: refused in French, nothing recorded.
    const start = await post(as.head, stay, `${stay}/debut`, {});
    expect(start.status).toBe(409);
    expect(page(start).errors()).toEqual([
      'Le magistrat a annulé le 04/01/2027 son autorisation : la visite ne peut pas commencer. Annulez-la.',
    ]);
    expect(await queryOne(`SELECT status FROM family_visit_stays WHERE id = $1`, [stayId])).toEqual({ status: 'BOOKED' });
    expect(await query(`SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_STARTED'`, [stayId])).toEqual([]);
  });

  it('an early end at a party’s request is not reported to the magistrate', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Đức', lastName: 'Phạm', legalStatus: 'PREVENU' });
    const c = await readyCase(detainee);
    await cpu(c.id);
    await authorise(c.id, [
      { requestId: c.detaineeRequest.id, answer: 'PERMANENT' },
      { requestId: c.visitors[0].id, answer: 'PERMANENT' },
    ]);
    const unit = await insertUnit(establishment.id, { name: 'UVF Żuraw' });
    expect(
      (
        await post(as.head, `${uvf}/reserver/${c.id}`, `${uvf}/reserver/${c.id}`, {
          outsideWish: 'oui',
          unitId: unit.id,
          day: '04/01/2027',
          time: '11:00',
        })
      ).status,
    ).toBe(303);
    const { id: stayId } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [c.id]);
    const stay = `${uvf}/sejours/${stayId}`;
    expect((await post(as.head, stay, `${stay}/debut`, {})).status).toBe(303);
    expect(
      (await post(as.head, stay, `${stay}/fin-anticipee`, { cause: 'REQUEST', reason: 'La visiteuse est souffrante.', confirm: 'oui' }))
        .status,
    ).toBe(303);
    expect((await letters(c.id)).filter((l) => l.kind === 'FV_INCIDENT')).toEqual([]);
  });
});

describe('letters dated on the establishment’s clock', () => {
  it('an overseas establishment (Nouméa) dates its letters on its own day, not Paris’s, and the notification names the agent who notifies it', async () => {
    const noumea = await insertEstablishment({ name: 'Centre pénitentiaire de Nouméa (Camp-Est)', timeZone: 'Pacific/Noumea' });
    const head = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: noumea.id, role: 'HEAD_OF_ESTABLISHMENT' }], { givenName: 'Hélène', usualName: 'Wamytan' }),
    );
    const greffe = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: noumea.id, role: 'PERMITS_OFFICER' }], { givenName: 'Thị Lan', usualName: 'Nguyễn' }),
    );
    const detainee = await insertDetainee(noumea.id, { firstName: 'Łukasz', lastName: 'Wiśniewski', legalStatus: 'PREVENU' });
    const c = await insertFamilyVisitCase({ establishmentId: noumea.id, detaineeId: detainee.id, status: 'CPU' });
    await query(`UPDATE family_visit_cases SET cpu_on = '2027-02-20', cpu_opinion = 'FAVOURABLE' WHERE id = $1`, [c.id]);
    // Received at 14:00 UTC on 28 February: already 1 March (01:00) in Nouméa, still 28 February in Paris.
    const r = await insertDetaineeRequest(c.id, { receivedAt: new Date('2027-02-28T14:00:00Z') });
    await insertInterview({ requestId: r.id, counsellorId: spipId, at: new Date('2027-02-27T01:00:00Z'), status: 'DONE' });
    const cases = `/etablissements/${noumea.code}/uvf/dossiers`;
    try {
      // 1 March 2027, 14:00 UTC: 15:00 on 1 March in Paris, 01:00 on 2 March in Nouméa.
      await suite.app.setClock('2027-03-01T14:00:00Z', { frozen: true });
      expect(
        (
          await confirmed(head, `${cases}/${c.id}/transmission`, {
            magistrate: 'M. Ngô Bảo Châu, juge d’instruction',
            opinion: 'Avis favorable.',
            proposedHours: '24',
          })
        ).status,
      ).toBe(303);
      expect(
        (await confirmed(greffe, `${cases}/${c.id}/reponse-magistrat`, { requestId: r.id, answer: 'TEMPORARY', until: '31/03/2027' }))
          .status,
      ).toBe(303);
    } finally {
      await suite.app.setClock(NOW, { frozen: true });
    }
    const sent = await letters(c.id);
    const referral = sent.find((l) => l.kind === 'FV_REFERRAL')!;
    const decision = sent.find((l) => l.kind === 'FV_MAGISTRATE_DECISION')!;
    const form = await pdf(head, `${cases}/${c.id}/courriers/${referral.id}`);
    expect(form).toContain('Le 2 mars 2027');
    expect(form).not.toContain('Le 1 mars 2027');
    const notified = await pdf(head, `${cases}/${c.id}/courriers/${decision.id}`);
    expect(notified).toContain('Le 2 mars 2027');
    expect(notified).toContain('Par une demande reçue le 1 mars 2027');
    expect(notified).toContain('a donné une autorisation temporaire d’accès jusqu’au 31 mars 2027.');
    expect(notified).toContain('Thị Lan NGUYỄN, agent du greffe');
  });
});

describe('who records the magistrate’s answer, and a prévenu who becomes condamné', () => {
  it('the head or the greffe records the magistrate’s answer, never a SPIP counsellor: 403, even holding a signature delegation', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Đức', lastName: 'Lê-Wiśniewski', legalStatus: 'PREVENU' });
    const c = await readyCase(detainee);
    await cpu(c.id);
    expect(
      (
        await confirmed(as.head, `${base}/${c.id}/transmission`, {
          magistrate: MAGISTRATE,
          opinion: 'Avis favorable.',
          proposedHours: '24',
        })
      ).status,
    ).toBe(303);
    const answers = `${base}/${c.id}/reponse-magistrat`;
    const spip = await post(as.spip, answers, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT' });
    expect(spip.status).toBe(403);
    expect(errorsOf(spip)).toContain(
      'Seuls le chef d’établissement, un agent qui a reçu délégation de signature ou le greffe, qui reçoit le courrier du magistrat, enregistrent sa réponse.',
    );
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, created_by) VALUES ($1, $2, '2026-01-01', $2)`,
      [establishment.id, spipId],
    );
    try {
      expect((await confirmed(as.spip, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT' })).status).toBe(403);
    } finally {
      await query(`DELETE FROM signature_delegations WHERE agent_id = $1`, [spipId]);
    }
    expect(await query(`SELECT status FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [c.id])).toEqual([
      { status: 'REFERRED' },
      { status: 'REFERRED' },
    ]);
    expect((await confirmed(as.head, answers, { requestId: c.detaineeRequest.id, answer: 'PERMANENT' })).status).toBe(303);
    expect((await confirmed(as.greffe, answers, { requestId: c.visitors[0].id, answer: 'PERMANENT' })).status).toBe(303);
    // The clock is frozen: both letters bear the same instant, so they are told apart by their request.
    expect(
      await query(
        `SELECT family_visit_request_id AS "requestId", author FROM letters
          WHERE family_visit_case_id = $1 AND kind = 'FV_MAGISTRATE_DECISION' AND family_account_id IS NULL ORDER BY author`,
        [c.id],
      ),
    ).toEqual([
      { requestId: c.visitors[0].id, author: 'Thị Hương PHẠM, agent du greffe' },
      { requestId: c.detaineeRequest.id, author: 'Zofia ŁUKASIEWICZ, chef d’établissement' },
    ]);
  });

  it('a prévenu who becomes condamné after the referral: the case no longer waits for the magistrate, the head decides and the letter says so', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ayşe', lastName: 'Kowalczyk-Trần', legalStatus: 'PREVENU' });
    const c = await readyCase(detainee);
    await cpu(c.id);
    expect(
      (
        await confirmed(as.head, `${base}/${c.id}/transmission`, {
          magistrate: MAGISTRATE,
          opinion: 'Avis favorable.',
          proposedHours: '24',
        })
      ).status,
    ).toBe(303);
    await query(`UPDATE detainees SET legal_status = 'CONDAMNE' WHERE id = $1`, [detainee.id]);

    const casePage = page(await as.head.get(`${base}/${c.id}`).expect(200));
    expect(casePage.text('now-condamne')).toContain('Elle est désormais condamnée : le magistrat n’a plus à répondre');
    expect(casePage.has('answer-link')).toBe(false);
    expect(casePage.has('decide-link')).toBe(true);
    // The magistrate's answer is no longer recorded on it.
    const late = await confirmed(as.greffe, `${base}/${c.id}/reponse-magistrat`, { requestId: c.detaineeRequest.id, answer: 'PERMANENT' });
    expect(late.status).toBe(409);
    expect(errorsOf(late)).toContain('La personne détenue est désormais condamnée');

    expect((await decide(as.head, c.id, c.detaineeRequest.id, { decision: 'GRANT', hours: '24' })).status).toBe(303);
    expect((await decide(as.head, c.id, c.visitors[0].id, { decision: 'GRANT', hours: '24' })).status).toBe(303);
    expect(
      await query(`SELECT status, granted_hours, decided_by_magistrate FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`, [
        c.id,
      ]),
    ).toEqual([
      { status: 'GRANTED', granted_hours: 24, decided_by_magistrate: false },
      { status: 'GRANTED', granted_hours: 24, decided_by_magistrate: false },
    ]);
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [c.id])).toEqual({ status: 'DECIDED' });
    const all = await letters(c.id);
    expect(all.filter((l) => l.kind === 'FV_JAP_NOTICE')).toHaveLength(2);
    const grant = all.find((l) => l.kind === 'FV_GRANT' && l.family_account_id === familyId)!;
    const text = await pdf(as.family, `/courriers/${grant.id}`);
    expect(text).toContain(
      `Vu la transmission de la demande le 4 janvier 2027 au magistrat saisi (${MAGISTRATE}), alors que Ayşe KOWALCZYK-TRẦN était prévenu(e) ; considérant que Ayşe KOWALCZYK-TRẦN est désormais condamné(e)`,
    );
    expect(text).toContain('J’autorise cette visite de Łukasz NGUYỄN, pour une durée de 24 heures.');
  });
});
