import {
  insertDetaineeRequest,
  insertFamilyVisitCase,
  insertFamilyVisitDocument,
  insertInterview,
  insertVisitorRequest,
} from './factories/family-visits-instruction';
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
import { permitsApp } from './helpers/permits';
import { waitFor } from './helpers/processes';
import { type Agent, signIn, signInAgent, signInFamily, STAFF } from './helpers/sign-in';

const suite = permitsApp();
const DAY = 86_400_000;

let establishment: EstablishmentRow;
let elsewhere: EstablishmentRow;
let detainee: DetaineeRow;
let family: FamilyRow;
const as = {} as Record<'spip' | 'chef' | 'parloir' | 'spipElsewhere', Agent>;
let spipId: string;
let base: string;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-sur-Loire' });
  elsewhere = await insertEstablishment();
  base = `/etablissements/${establishment.code}/uvf/dossiers`;
  detainee = await insertDetainee(establishment.id, { firstName: 'يوسف', lastName: 'Ben Ałi', legalStatus: 'CONDAMNE' });
  family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
  const role = (r: 'SPIP_COUNSELLOR' | 'HEAD_OF_ESTABLISHMENT' | 'PARLOIR_AGENT', at = establishment) => [
    { establishmentId: at.id, role: r },
  ];
  const spipRow = await insertAgent(role('SPIP_COUNSELLOR'), { givenName: 'Małgorzata', usualName: 'Wójcik' });
  spipId = spipRow.id;
  as.spip = await signInAgent(suite.app.url, spipRow);
  as.chef = await signInAgent(
    suite.app.url,
    await insertAgent(role('HEAD_OF_ESTABLISHMENT'), { givenName: 'Zofia', usualName: 'Łukasiewicz' }),
  );
  as.parloir = await signInAgent(suite.app.url, await insertAgent(role('PARLOIR_AGENT'), { givenName: 'Thị Lan', usualName: 'Nguyễn' }));
  as.spipElsewhere = await signInAgent(
    suite.app.url,
    await insertAgent(role('SPIP_COUNSELLOR', elsewhere), { givenName: 'Gül', usualName: 'Yılmaz' }),
  );
});

/** A UVF case with the detainee's request and Łucja's (with her family account), each received some days ago. */
async function newCase(o: { detaineeDaysAgo?: number; visitorDaysAgo?: number; rulesAcknowledged?: boolean } = {}) {
  const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: detainee.id });
  const detaineeRequest = await insertDetaineeRequest(c.id, { receivedAt: new Date(Date.now() - (o.detaineeDaysAgo ?? 1) * DAY) });
  const visitorRequest = await insertVisitorRequest(
    { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
    {
      familyAccountId: family.id,
      visitorGivenName: 'Łucja',
      visitorFamilyName: 'Nguyễn-Şahin',
      relationship: 'SPOUSE',
      receivedAt: new Date(Date.now() - (o.visitorDaysAgo ?? 1) * DAY),
      rulesAcknowledged: o.rulesAcknowledged,
    },
  );
  return { ...c, detaineeRequest, visitorRequest };
}

/** A day as the form takes it (JJ/MM/AAAA), some days from now. */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10).split('-').reverse().join('/');
}

const csrfPages = new Map<Agent, string>();
const tokens = new Map<Agent, string>();

/** Posts a form as the agent, with the CSRF token of their session (one per session, read from a page of theirs with a form). */
async function post(agent: Agent, path: string, fields: Record<string, string>, status: number) {
  let csrf = tokens.get(agent);
  if (!csrf) {
    const from = csrfPages.get(agent) ?? path.replace(/\/(entretiens|cpu).*$/, '');
    csrf = page(await agent.get(from).expect(200)).csrf();
    tokens.set(agent, csrf);
  }
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf, ...fields })
    .expect(status);
}

function interviewDone(requestId: string, extra: Record<string, string> = {}) {
  return {
    requestId,
    status: 'DONE',
    day: dayFromNow(-1),
    time: '10:00',
    mode: 'IN_PERSON',
    notes: 'Entretien serein, projet de visite préparé avec la famille.',
    linkAssessment: 'Lien conjugal ancien et stable.',
    preparationAssessment: 'Visite bien préparée, enfants informés.',
    ...extra,
  };
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

describe('the SPIP counsellor instructs UVF and family parlour cases', () => {
  it('lists the cases with the time left before the closest 2-month deadline, and finds them by name or écrou number', async () => {
    const c = await newCase({ detaineeDaysAgo: 5, visitorDaysAgo: 20 });
    const queue = page(await as.spip.get(`${base}?q=${encodeURIComponent('يوسف')}`).expect(200));
    expect(queue.heading()).toContain('Dossiers UVF et parloirs familiaux');
    expect(queue.texts('queue-reference')).toContain(c.reference);
    const found = page(await as.spip.get(`${base}?q=${detainee.ecrouNumber}&statut=INSTRUCTION&type=UVF`).expect(200));
    const row = found.texts('queue-reference').indexOf(c.reference);
    expect(row).toBeGreaterThanOrEqual(0);
    expect(found.texts('queue-detainee')[row]).toBe(`يوسف Ben Ałi (${detainee.ecrouNumber})`);
    expect(found.texts('queue-visitors')[row]).toBe('Łucja Nguyễn-Şahin');
    expect(found.texts('queue-days-left')[row]).toMatch(/^(39|40|41|42) jours restants$/);
    const pf = page(await as.spip.get(`${base}?q=${detainee.ecrouNumber}&type=PF`).expect(200));
    expect(pf.texts('queue-reference')).not.toContain(c.reference);
    expect(page(await as.spip.get('/agents').expect(200)).link('Dossiers UVF et parloirs familiaux')).toBe(base);
  });

  it('shows the case file: the requests, the permit holder and relationship, the documents served decrypted', async () => {
    const c = await newCase({ rulesAcknowledged: false });
    const consent = await insertFamilyVisitDocument(suite.docs, c.visitorRequest.id, {
      kind: 'PARENTAL_CONSENT',
      consentGivenBy: 'Łucja Nguyễn-Şahin et محمد Haddad',
    });
    const file = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(file.heading()).toBe(`Dossier ${c.reference} — Unité de vie familiale (UVF)`);
    expect(file.text('case-detainee')).toBe(`يوسف Ben Ałi (écrou ${detainee.ecrouNumber})`);
    expect(file.texts('applicant-name')).toEqual(['Demande de la personne détenue', 'Łucja Nguyễn-Şahin — Époux ou épouse']);
    expect(file.texts('applicant-rules')[1]).toBe('Règlement pas encore signé');
    expect(file.has('grounds-panel')).toBe(true);
    expect(file.text('cpu-missing')).toContain('Règlement à faire signer par Łucja Nguyễn-Şahin.');
    expect(file.text('document-link')).toContain('Łucja Nguyễn-Şahin et محمد Haddad');
    const doc = await as.spip.get(`${base}/${c.id}/documents/${consent.id}`).buffer(true).expect(200);
    expect(doc.headers['content-type']).toBe('image/jpeg');
    expect(doc.headers['cache-control']).toBe('private, no-store');
    expect(Buffer.compare(doc.body as Buffer, consent.content)).toBe(0);
    // The head of establishment reads the case, but records nothing.
    const asHead = page(await as.chef.get(`${base}/${c.id}`).expect(200));
    expect(asHead.has('interview-form')).toBe(false);
    expect(asHead.has('grounds-panel')).toBe(true);
    await as.chef.get(`${base}/${c.id}/documents/${consent.id}`).expect(200);
    csrfPages.set(as.chef, `/etablissements/${establishment.code}/delegations`);
    await post(as.chef, `${base}/${c.id}/entretiens`, interviewDone(c.detaineeRequest.id), 403);
  });

  it('records an interview with each applicant, then the case is ready and the CPU opinion is recorded', async () => {
    const c = await newCase();
    const refused = await post(as.spip, `${base}/${c.id}/cpu`, { cpuOn: dayFromNow(0), opinion: 'FAVOURABLE' }, 409);
    expect(page(refused).errors()).toEqual([
      'Le dossier n’est pas prêt pour la CPU : Entretien à réaliser avec la personne détenue. Entretien à réaliser avec Łucja Nguyễn-Şahin.',
    ]);
    const incomplete = await post(as.spip, `${base}/${c.id}/entretiens`, interviewDone(c.detaineeRequest.id, { linkAssessment: ' ' }), 400);
    expect(page(incomplete).fieldError('linkAssessment')).toBe('Évaluez le lien entre la personne détenue et le visiteur.');
    await post(as.spip, `${base}/${c.id}/entretiens`, interviewDone(c.detaineeRequest.id), 303);
    const half = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(half.text('cpu-missing')).toContain('Entretien à réaliser avec Łucja Nguyễn-Şahin.');
    expect(half.has('cpu-form')).toBe(false);
    await post(as.spip, `${base}/${c.id}/entretiens`, interviewDone(c.visitorRequest.id, { mode: 'PHONE' }), 303);
    const ready = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(ready.has('cpu-ready')).toBe(true);
    expect(ready.texts('interview-status')).toEqual(['Réalisé', 'Réalisé']);
    await post(
      as.spip,
      `${base}/${c.id}/cpu`,
      { cpuOn: dayFromNow(0), opinion: 'RESERVED', notes: 'Avis réservé : durée à réduire.' },
      303,
    );
    const after = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(after.text('case-status')).toBe('Avis de la CPU rendu');
    expect(after.text('cpu-opinion')).toContain('Réservé — Avis réservé : durée à réduire.');
    expect(after.texts('event')[0]).toContain('Avis de la CPU du');
    expect(after.text('history')).toContain('Entretien réalisé avec Łucja Nguyễn-Şahin (par téléphone).');
    const audit = await query<{ action: string }>(
      `SELECT action FROM audit_log WHERE establishment_id = $1 AND action LIKE 'FAMILY_VISIT_%' AND (entity_id = $2 OR after->>'caseId' = $2) ORDER BY id`,
      [establishment.id, c.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['FAMILY_VISIT_INTERVIEW_DONE', 'FAMILY_VISIT_INTERVIEW_DONE', 'FAMILY_VISIT_CPU_OPINION']);
    await post(as.spip, `${base}/${c.id}/entretiens`, interviewDone(c.detaineeRequest.id), 409);
  });

  it('schedules an interview with a convocation to the visitor, and cancelling it cancels the appointment', async () => {
    const c = await newCase();
    await post(
      as.spip,
      `${base}/${c.id}/entretiens`,
      {
        requestId: c.visitorRequest.id,
        status: 'SCHEDULED',
        day: dayFromNow(6),
        time: '14:30',
        mode: 'IN_PERSON',
      },
      303,
    );
    const interview = await queryOne<{ id: string; appointmentId: string }>(
      `SELECT id, appointment_id AS "appointmentId" FROM family_visit_interviews WHERE request_id = $1`,
      [c.visitorRequest.id],
    );
    const appointment = await queryOne<{ reference: string; kind: string; familyAccountId: string }>(
      `SELECT reference, kind, family_account_id AS "familyAccountId" FROM appointments WHERE id = $1`,
      [interview.appointmentId],
    );
    expect(appointment).toMatchObject({ kind: 'SPIP_INTERVIEW', familyAccountId: family.id });
    const convocation = await mailTo(family.email, `Rendez-vous confirmé le % (réf. ${appointment.reference})`);
    expect(convocation.body).toContain('14 h 30');
    const file = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(file.text('interview')).toContain('Prévu');
    expect(file.text('interview')).toContain('(convocation envoyée)');
    const confirm = page(await as.spip.get(file.link('Annuler cet entretien')).expect(200));
    expect(confirm.heading()).toBe('Annuler l’entretien avec Łucja Nguyễn-Şahin ?');
    await post(as.spip, `${base}/${c.id}/entretiens/${interview.id}/annuler`, {}, 303);
    expect(await queryOne(`SELECT status FROM appointments WHERE id = $1`, [interview.appointmentId])).toEqual({ status: 'CANCELLED' });
    expect(await queryOne(`SELECT status FROM family_visit_interviews WHERE id = $1`, [interview.id])).toEqual({ status: 'CANCELLED' });
    await mailTo(family.email, `Rendez-vous du % annulé (réf. ${appointment.reference})`);
    const after = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(after.text('interview-status')).toBe('Annulé');
    expect(after.text('history')).toContain('Entretien annulé par le SPIP.');
  });

  it('a family that cancels its convocation on « Mes rendez-vous » cancels the interview, and the history says so', async () => {
    const c = await newCase();
    await post(
      as.spip,
      `${base}/${c.id}/entretiens`,
      { requestId: c.visitorRequest.id, status: 'SCHEDULED', day: dayFromNow(8), time: '09:00', mode: 'VISIO' },
      303,
    );
    const { id, appointmentId } = await queryOne<{ id: string; appointmentId: string }>(
      `SELECT id, appointment_id AS "appointmentId" FROM family_visit_interviews WHERE request_id = $1`,
      [c.visitorRequest.id],
    );
    const lucja = await signInFamily(suite.app.url, family);
    const confirm = page(await lucja.get(`/mes-rendez-vous/${appointmentId}/annuler`).expect(200));
    await lucja.post(`/mes-rendez-vous/${appointmentId}/annuler`).type('form').send({ _csrf: confirm.csrf() }).expect(303);
    expect(await queryOne(`SELECT status FROM family_visit_interviews WHERE id = $1`, [id])).toEqual({ status: 'CANCELLED' });
    const file = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(file.text('interview-status')).toBe('Annulé');
    expect(file.text('history')).toContain('Entretien annulé (convocation annulée). (La famille)');
  });

  it('reports a scheduled interview once it took place, never before', async () => {
    const c = await newCase();
    const past = await insertInterview({ requestId: c.detaineeRequest.id, counsellorId: spipId, at: new Date(Date.now() - 2 * 3_600_000) });
    const future = await insertInterview({ requestId: c.visitorRequest.id, counsellorId: spipId, at: new Date(Date.now() + 3 * DAY) });
    const file = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    const form = page(await as.spip.get(file.link('Saisir le compte rendu')).expect(200));
    expect(form.heading()).toBe('Compte rendu de l’entretien avec la personne détenue');
    const report = `${base}/${c.id}/entretiens/${past.id}/compte-rendu`;
    const empty = await post(as.spip, report, { notes: 'Entretien avec يوسف.', linkAssessment: '', preparationAssessment: 'Prête.' }, 400);
    expect(page(empty).fieldError('linkAssessment')).toBe('Évaluez le lien entre la personne détenue et le visiteur.');
    const fields = { notes: 'Entretien avec يوسف.', linkAssessment: 'Lien solide.', preparationAssessment: 'Prête.' };
    await post(as.spip, report, fields, 303);
    const early = await post(as.spip, `${base}/${c.id}/entretiens/${future.id}/compte-rendu`, fields, 409);
    expect(page(early).errors()).toEqual(['Cet entretien n’a pas encore eu lieu : saisissez le compte rendu après l’entretien.']);
    const after = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(after.texts('interview-status')).toEqual(['Réalisé', 'Prévu']);
    expect(after.text('cpu-missing')).not.toContain('Entretien à réaliser avec la personne détenue.');
  });

  it('the demo SPIP counsellor finds a UVF case to instruct in the Nord establishment', async () => {
    const { agent } = await signIn(suite.app.url, STAFF.spipNord);
    const queue = page(await agent.get('/etablissements/CPNORD/uvf/dossiers?statut=INSTRUCTION').expect(200));
    expect(queue.texts('queue-row').length).toBeGreaterThan(0);
    expect(queue.texts('queue-days-left').some((d) => / jours restants$/.test(d))).toBe(true);
  });

  it('refuses a parloir agent, and another establishment’s counsellor does not find the case', async () => {
    const c = await newCase();
    const doc = await insertFamilyVisitDocument(suite.docs, c.visitorRequest.id);
    await as.parloir.get(base).expect(403);
    await as.parloir.get(`${base}/${c.id}`).expect(403);
    await as.spipElsewhere.get(`${base}/${c.id}`).expect(403);
    const theirs = `/etablissements/${elsewhere.code}/uvf/dossiers`;
    expect(page(await as.spipElsewhere.get(theirs).expect(200)).texts('queue-reference')).not.toContain(c.reference);
    await as.spipElsewhere.get(`${theirs}/${c.id}`).expect(404);
    await as.spipElsewhere.get(`${theirs}/${c.id}/documents/${doc.id}`).expect(404);
    const own = await insertFamilyVisitCase({ establishmentId: elsewhere.id, detaineeId: (await insertDetainee(elsewhere.id)).id });
    csrfPages.set(as.spipElsewhere, `${theirs}/${own.id}`);
    await post(as.spipElsewhere, `${theirs}/${c.id}/entretiens`, interviewDone(c.detaineeRequest.id), 404);
    await post(as.spipElsewhere, `${theirs}/${c.id}/cpu`, { cpuOn: dayFromNow(0), opinion: 'FAVOURABLE' }, 404);
  });
});

describe('a minor of a UVF / PF case, and the days left on the establishment’s calendar', () => {
  beforeAll(() => {
    // The head's CSRF token comes from a page of theirs with a form.
    csrfPages.set(as.chef, `/etablissements/${establishment.code}/delegations`);
  });

  /**
   * A UVF case of the detainee with Łucja's request and her baby Zeynep's (a year old on the first
   * wished day, accompanied by Łucja, leaving at 15:00 with her grand-father), interviews still to do;
   * Zeynep signed nothing.
   */
  async function caseWithBaby(o: { consent?: boolean } = {}) {
    const c = await newCase();
    const baby = await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: detainee.id },
      {
        familyAccountId: family.id,
        visitorGivenName: 'Zeynep',
        visitorFamilyName: 'Nguyễn-Şahin',
        visitorBirthdate: '2026-01-15',
        relationship: 'DESCENDANT',
        rulesAcknowledged: false,
      },
    );
    await query(`UPDATE family_visit_requests SET accompanied_by = $2, child_exit_time = '15:00', child_carer = $3 WHERE id = $1`, [
      baby.id,
      c.visitorRequest.id,
      'Ahmet Şahin, son grand-père',
    ]);
    if (o.consent !== false)
      await insertFamilyVisitDocument(suite.docs, baby.id, {
        kind: 'PARENTAL_CONSENT',
        consentGivenBy: 'Łucja Nguyễn-Şahin et محمد Haddad',
      });
    return { ...c, baby };
  }

  /** The head fills the decision form, reads the confirmation back, and signs. */
  async function grant(caseId: string, requestId: string) {
    const url = `${base}/${caseId}/decisions/${requestId}`;
    const confirmation = page(await post(as.chef, url, { decision: 'GRANT', hours: '24' }, 200));
    return as.chef.post(url).type('form').send(confirmation.formFields(url));
  }

  it('a baby is ready for the CPU with the parental consent as written commitment, after an interview held with the accompanying adult present', async () => {
    const c = await caseWithBaby({ consent: false });
    const before = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(before.text('cpu-missing')).toContain('Entretien à réaliser avec Zeynep Nguyễn-Şahin.');
    expect(before.text('cpu-missing')).toContain(
      'Autorisation écrite des titulaires de l’autorité parentale à joindre pour Zeynep Nguyễn-Şahin : elle vaut son engagement à respecter le règlement.',
    );
    expect(before.text('cpu-missing')).not.toContain('Règlement à faire signer par Zeynep');
    // Only a minor's interview is held with the accompanying adult present.
    const adult = await post(
      as.spip,
      `${base}/${c.id}/entretiens`,
      interviewDone(c.visitorRequest.id, { withAccompanyingAdult: 'oui' }),
      400,
    );
    expect(page(adult).fieldError('withAccompanyingAdult')).toBe(
      'Seul l’entretien d’un visiteur mineur se tient en présence de l’adulte qui l’accompagne : décochez la case.',
    );
    expect(page(adult).value('notes')).toBe('Entretien serein, projet de visite préparé avec la famille.');
    expect(page(adult).value('withAccompanyingAdult')).toBe('oui');
    for (const r of [c.detaineeRequest.id, c.visitorRequest.id]) await post(as.spip, `${base}/${c.id}/entretiens`, interviewDone(r), 303);
    await post(
      as.spip,
      `${base}/${c.id}/entretiens`,
      interviewDone(c.baby.id, { mode: 'IN_PERSON', withAccompanyingAdult: 'oui', notes: 'Zeynep joue, sa mère parle pour elle.' }),
      303,
    );
    const noConsent = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(noConsent.text('cpu-missing')).not.toContain('Entretien à réaliser avec Zeynep');
    expect(noConsent.text('cpu-missing')).toContain('Autorisation écrite des titulaires de l’autorité parentale à joindre pour Zeynep');
    await post(as.spip, `${base}/${c.id}/cpu`, { cpuOn: dayFromNow(0), opinion: 'FAVOURABLE' }, 409);
    await insertFamilyVisitDocument(suite.docs, c.baby.id, {
      kind: 'PARENTAL_CONSENT',
      consentGivenBy: 'Łucja Nguyễn-Şahin et محمد Haddad',
    });
    const ready = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(ready.has('cpu-ready')).toBe(true);
    expect(ready.texts('applicant-rules')[2]).toBe(
      'Engagement à respecter le règlement : l’accord des titulaires de l’autorité parentale en tient lieu',
    );
    expect(ready.texts('interview')[2]).toContain('Réalisé');
    expect(ready.texts('interview')[2]).toContain('en présentiel, en présence de l’adulte qui l’accompagne');
    expect(ready.text('history')).toContain(
      'Entretien réalisé avec Zeynep Nguyễn-Şahin (en présentiel, en présence de l’adulte qui l’accompagne).',
    );
    const audited = await queryOne<{ after: { withAccompanyingAdult: boolean } }>(
      `SELECT after FROM audit_log WHERE action = 'FAMILY_VISIT_INTERVIEW_DONE' AND after->>'requestId' = $1`,
      [c.baby.id],
    );
    expect(audited.after.withAccompanyingAdult).toBe(true);
    await post(as.spip, `${base}/${c.id}/cpu`, { cpuOn: dayFromNow(0), opinion: 'FAVOURABLE' }, 303);
    // The head authorises the baby without any signed rules: the consent is the commitment.
    expect((await grant(c.id, c.detaineeRequest.id)).status).toBe(303);
    expect((await grant(c.id, c.visitorRequest.id)).status).toBe(303);
    expect((await grant(c.id, c.baby.id)).status).toBe(303);
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [c.baby.id])).toEqual({ status: 'GRANTED' });
  });

  it('the head reads a minor’s arrangements on the case page: the accompanying adult, the consent and its capacity, the exit time and carer, and no link to the greffe’s page', async () => {
    const c = await caseWithBaby();
    const asHead = page(await as.chef.get(`${base}/${c.id}`).expect(200));
    expect(asHead.texts('minor-arrangements')).toHaveLength(1);
    expect(asHead.text('minor-arrangements')).toContain('Visiteur mineur : 1 an le premier jour souhaité');
    expect(asHead.text('minor-companion')).toBe('Adulte qui l’accompagne : Łucja Nguyễn-Şahin');
    expect(asHead.text('minor-consent')).toBe(
      'Accord des titulaires de l’autorité parentale : Les deux parents, donné par Łucja Nguyễn-Şahin et محمد Haddad',
    );
    expect(asHead.text('minor-exit')).toBe('Sortie de l’enfant à 15:00 (en journée), confié à Ahmet Şahin, son grand-père');
    expect(asHead.text('minor-judge')).toBe('Juge des enfants : aucun suivi connu du SPIP');
    expect(asHead.has('juvenile-judge-link')).toBe(false);
    // The greffe's page of the case's requests (adding a request, a document received) is not the head's: no link to a 403.
    expect(asHead.has('case-requests-link')).toBe(false);
    await as.chef.get(`${base}/${c.id}/demandes`).expect(403);
    const asSpip = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(asSpip.text('minor-companion')).toBe('Adulte qui l’accompagne : Łucja Nguyễn-Şahin');
    await as.spip.get(asSpip.link('Ajouter la demande d’un visiteur ou un document reçu par courrier')).expect(200);
  });

  it('a minor followed by a juge des enfants: the case waits for the opinion asked through the PJJ, recorded, audited and shown to the head', async () => {
    const c = await caseWithBaby();
    for (const r of [c.detaineeRequest.id, c.visitorRequest.id, c.baby.id])
      await insertInterview({ requestId: r, counsellorId: spipId, at: new Date(Date.now() - DAY), status: 'DONE' });
    const file = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(file.has('cpu-ready')).toBe(true);
    const url = file.link('Renseigner le suivi par un juge des enfants');
    expect(url).toBe(`${base}/${c.id}/juge-des-enfants/${c.baby.id}`);
    expect(page(await as.spip.get(url).expect(200)).heading()).toBe('Suivi de Zeynep Nguyễn-Şahin par un juge des enfants');
    const incomplete = await post(as.spip, url, { followed: 'YES', askedOn: dayFromNow(-3), opinion: 'AWAITED' }, 400);
    expect(page(incomplete).fieldError('pjjService')).toBe(
      'Indiquez le service de la PJJ en charge de la mesure, qui transmet la demande d’avis.',
    );
    expect(page(incomplete).value('askedOn')).toBe(dayFromNow(-3));
    const asked = { followed: 'YES', pjjService: 'STEMO de Łódź-sur-Loire', askedOn: dayFromNow(-3), opinion: 'AWAITED', receivedOn: '' };
    await post(as.spip, url, asked, 303);
    const waiting = page(await as.spip.get(`${base}/${c.id}`).expect(200));
    expect(waiting.text('cpu-missing')).toContain('Avis du juge des enfants qui suit Zeynep Nguyễn-Şahin à recevoir (demandé par la PJJ).');
    expect(waiting.text('minor-judge')).toContain('avis pas encore reçu');
    const refused = await post(as.spip, `${base}/${c.id}/cpu`, { cpuOn: dayFromNow(0), opinion: 'FAVOURABLE' }, 409);
    expect(page(refused).errors()[0]).toContain('Avis du juge des enfants qui suit Zeynep Nguyễn-Şahin à recevoir');
    // The form shows what is recorded; the opinion comes back, never dated before it was asked.
    const recorded = page(await as.spip.get(url).expect(200)).formFields(url);
    expect(recorded).toMatchObject({ followed: 'YES', pjjService: 'STEMO de Łódź-sur-Loire', askedOn: dayFromNow(-3), opinion: 'AWAITED' });
    const early = await post(as.spip, url, { ...recorded, opinion: 'RESERVED', receivedOn: dayFromNow(-4) }, 400);
    expect(page(early).fieldError('receivedOn')).toBe('L’avis ne peut pas avoir été reçu avant d’avoir été demandé.');
    await post(
      as.spip,
      url,
      { ...recorded, opinion: 'RESERVED', receivedOn: dayFromNow(0), notes: 'Visites à préparer avec l’éducatrice.' },
      303,
    );
    const asHead = page(await as.chef.get(`${base}/${c.id}`).expect(200));
    expect(asHead.has('cpu-ready')).toBe(true);
    expect(asHead.text('minor-judge')).toContain('suivi — avis demandé le');
    expect(asHead.text('minor-judge')).toContain('par l’intermédiaire de la PJJ (STEMO de Łódź-sur-Loire) ; avis réservé reçu le');
    expect(asHead.text('minor-judge')).toContain('Observations : Visites à préparer avec l’éducatrice.');
    expect(asHead.text('history')).toContain('Avis du juge des enfants qui suit Zeynep Nguyễn-Şahin reçu le');
    const audit = await query<{ before: { opinion: string | null } | null; after: { opinion: string | null; pjjService: string } }>(
      `SELECT before, after FROM audit_log WHERE action = 'FAMILY_VISIT_JUVENILE_JUDGE_OPINION' AND entity_id = $1 AND establishment_id = $2 ORDER BY id`,
      [c.baby.id, establishment.id],
    );
    expect(audit.map((a) => [a.before?.opinion, a.after.opinion])).toEqual([
      [undefined, null],
      [null, 'RESERVED'],
    ]);
    expect(audit[0].after.pjjService).toBe('STEMO de Łódź-sur-Loire');
    // Only a minor's request has a juge des enfants' opinion; the head reads it but records nothing.
    await as.spip.get(`${base}/${c.id}/juge-des-enfants/${c.visitorRequest.id}`).expect(404);
    await post(as.spip, `${base}/${c.id}/juge-des-enfants/${c.visitorRequest.id}`, { followed: 'NO' }, 404);
    await post(as.chef, url, { followed: 'NO' }, 403);
    await post(as.spip, `${base}/${c.id}/cpu`, { cpuOn: dayFromNow(0), opinion: 'FAVOURABLE' }, 303);
  });

  it('a juge des enfants’ page with an id that is not one answers 404, not 400', async () => {
    const c = await caseWithBaby();
    await as.spip.get(`${base}/pas-un-uuid/juge-des-enfants/${c.baby.id}`).expect(404);
    await as.spip.get(`${base}/${c.id}/juge-des-enfants/pas-un-uuid`).expect(404);
  });

  it('counts the days left in the establishment’s time zone: a request received at 00:30 in Paris was received that day, as on the decision page', async () => {
    const own = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Đặng', legalStatus: 'CONDAMNE' });
    const c = await insertFamilyVisitCase({ establishmentId: establishment.id, detaineeId: own.id });
    const receivedAt = new Date('2026-03-09T23:30:00Z'); // 10 March 2026, 00:30 in Paris; still 9 March in UTC
    await insertDetaineeRequest(c.id, { receivedAt });
    await insertVisitorRequest(
      { caseId: c.id, establishmentId: establishment.id, detaineeId: own.id },
      { visitorGivenName: 'Łucja', visitorFamilyName: 'Nguyễn-Şahin', receivedAt },
    );
    await suite.app.setClock('2026-04-10T10:00:00Z', { frozen: true });
    try {
      const queue = page(await as.spip.get(`${base}?q=${own.ecrouNumber}`).expect(200));
      expect(queue.texts('queue-reference')).toEqual([c.reference]);
      expect(queue.text('queue-days-left')).toBe('30 jours restants');
      const file = page(await as.chef.get(`${base}/${c.id}`).expect(200));
      expect(file.texts('applicant-received').map((t) => t.slice(0, 'Reçue le 10 mars 2026'.length))).toEqual([
        'Reçue le 10 mars 2026',
        'Reçue le 10 mars 2026',
      ]);
      expect(file.texts('applicant-days-left')).toEqual([
        '30 jours avant la fin du délai de 2 mois',
        '30 jours avant la fin du délai de 2 mois',
      ]);
      expect(file.texts('decision-status')[0]).toContain('à décider au plus tard le 10 mai 2026');
    } finally {
      await suite.app.resetClock();
    }
  });
});
