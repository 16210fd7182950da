import { addMonths } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { dayFromToday, postForm, requestsOfCase } from './factories/family-visit-requests';
import { DataSource } from 'typeorm';
import { query, queryOne } from './helpers/db';
import { openDataSource, services, testConfig } from './helpers/notifications';
import { onePagePdf } from './helpers/files';
import { HtmlPage, page } from './helpers/html';
import { binary, filesIn, pdfText, permitsApp } from './helpers/permits';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

/* The built modules, as the app runs them (the implicit rejection job). */
/* eslint-disable @typescript-eslint/no-require-imports */
const { FamilyVisitDecisionsService } =
  require('../dist/src/family-visits/decisions.service') as typeof import('../src/family-visits/decisions.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
/* eslint-enable @typescript-eslint/no-require-imports */

const suite = permitsApp();

let establishment: EstablishmentRow;
let detainee: DetaineeRow;
let counsellor: Agent;

const FROM = dayFromToday(40);
const TO = dayFromToday(42);
/** Minor on FROM (about 12), adult (about 40). */
const CHILD_BIRTHDATE = `${Number(FROM.slice(0, 4)) - 12}-05-05`;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź' });
  detainee = await insertDetainee(establishment.id, { lastName: 'Haddad', firstName: 'محمد' });
  const spip = await insertAgent([{ establishmentId: establishment.id, role: 'SPIP_COUNSELLOR' }], {
    givenName: 'Zoë',
    usualName: 'Łukasiewicz',
  });
  counsellor = await signInAgent(suite.app.url, spip);
});

const base = () => `/etablissements/${establishment.code}/uvf`;

async function enterDetaineeRequest(agent: Agent, fields: Record<string, string>) {
  return postForm(agent, `${base()}/demandes/nouvelle`, `${base()}/demandes/nouvelle`, {
    ecrou: detainee.ecrouNumber,
    receivedOn: dayFromToday(-2),
    kind: 'UVF',
    wishedFrom: FROM,
    wishedTo: TO,
    hours: '24',
    ...fields,
  });
}

async function familyWithPermits(
  visitors: { givenName: string; familyName: string; birthdate: string }[],
  status: 'ACTIVE' | 'SUSPENDED' = 'ACTIVE',
) {
  const family = await insertFamily({
    givenName: visitors[0].givenName,
    familyName: visitors[0].familyName,
    birthdate: visitors[0].birthdate,
  });
  const permits = [];
  for (const v of visitors) {
    permits.push(
      await insertPermit({
        establishmentId: establishment.id,
        detaineeId: detainee.id,
        familyAccountId: family.id,
        visitorGivenName: v.givenName,
        visitorFamilyName: v.familyName,
        visitorBirthdate: v.birthdate,
        status,
      }),
    );
  }
  return { family, permits, agent: await signInFamily(suite.app.url, family) };
}

describe('UVF / family parlour requests', () => {
  it('staff enter a detainee’s request then a visitor’s from a letter, each its own request in one case, and add a document received', async () => {
    const { permits } = await familyWithPermits([{ givenName: 'Łucja', familyName: 'Nowak-حداد', birthdate: '1985-03-14' }]);
    const res = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(60), wishedTo: dayFromToday(61) });
    expect(res.status).toBe(303);
    const casePath = res.headers.location;
    const caseBase = casePath.replace(/\/demandes$/, '');
    const caseId = caseBase.split('/').pop()!;
    const shown = page(await counsellor.get(casePath).expect(200));
    expect(shown.heading()).toMatch(/^Dossier UV-[A-HJ-NP-Z2-9]{8}$/);
    expect(shown.text('case-detainee')).toBe(`محمد HADDAD (${detainee.ecrouNumber})`);
    // The visitor's letter asks for 12 hours on the same days: kept on the visitor's own request.
    const visitor = await postForm(counsellor, casePath, `${caseBase}/visiteurs`, {
      permitId: permits[0].id,
      receivedOn: dayFromToday(-1),
      channel: 'LETTER',
      hours: '12',
    });
    expect(visitor.status).toBe(303);
    const after = page(await counsellor.get(casePath).expect(200));
    expect(after.texts('request-applicant')).toEqual(['La personne détenue', 'Łucja NOWAK-حداد']);
    expect(after.texts('request-period').map((p) => p.replace(/^.*, /, ''))).toEqual(['24 h', '12 h']);
    expect(after.texts('request-status')).toEqual(['Reçue, en cours d’instruction', 'Reçue, en cours d’instruction']);
    const rows = await requestsOfCase(caseId);
    expect(rows.map((r) => [r.applicant, r.channel])).toEqual([
      ['DETAINEE', 'LETTER'],
      ['VISITOR', 'LETTER'],
    ]);
    const audit = await query(`SELECT action FROM audit_log WHERE entity_id = ANY($1::text[])`, [rows.map((r) => r.id)]);
    expect(audit).toHaveLength(2);
    const events = await query(`SELECT kind FROM family_visit_events WHERE case_id = $1`, [caseId]);
    expect(events).toHaveLength(2);

    // The detainee's signed rules, received by post, added by the counsellor.
    const detaineeRequest = rows.find((r) => r.applicant === 'DETAINEE')!;
    const upload = await counsellor
      .post(`${caseBase}/documents`)
      .field('_csrf', after.csrf())
      .field('requestId', detaineeRequest.id)
      .field('kind', 'RULES_ACKNOWLEDGEMENT')
      .attach('fichier', await onePagePdf('Règlement signé'), 'reglement.pdf');
    expect(upload.status).toBe(303);
    const withDocument = page(await counsellor.get(casePath).expect(200));
    expect(withDocument.texts('document')).toEqual(['Règlement signé']);
    const acknowledged = await queryOne<{ at: Date | null }>(
      `SELECT rules_acknowledged_at AS at FROM family_visit_requests WHERE id = $1`,
      [detaineeRequest.id],
    );
    expect(acknowledged.at).not.toBeNull();
    const uploaded = await query<{ establishmentId: string }>(
      `SELECT a.establishment_id AS "establishmentId" FROM audit_log a JOIN family_visit_documents d ON d.id::text = a.entity_id
        WHERE a.action = 'FAMILY_VISIT_DOCUMENT_UPLOADED' AND d.request_id = $1`,
      [detaineeRequest.id],
    );
    expect(uploaded).toEqual([{ establishmentId: establishment.id }]);
    // A consent only for a minor's request.
    const notMinor = await counsellor
      .post(`${caseBase}/documents`)
      .field('_csrf', after.csrf())
      .field('requestId', detaineeRequest.id)
      .field('kind', 'PARENTAL_CONSENT')
      .field('consentGivenBy', 'Łucja Nowak')
      .field('consentCapacity', 'BOTH_PARENTS')
      .field('consentCompanion', 'Łucja Nowak')
      .attach('fichier', await onePagePdf('Accord'), 'accord.pdf');
    expect(notMinor.status).toBe(422);
    expect(page(notMinor).errors()).toEqual([
      'L’accord de l’autorité parentale ne concerne que la demande d’un visiteur mineur. Choisissez un autre document.',
    ]);
  });

  it('a wrong duration is refused in French (UVF 7 h, PF 8 h), and so is a period in the past', async () => {
    const uvf = await enterDetaineeRequest(counsellor, { hours: '7' });
    expect(uvf.status).toBe(422);
    expect(page(uvf).errors()).toEqual([
      'Une visite en UVF dure de 6 à 72 heures, par tranches de 6 heures. Choisissez une durée dans la liste.',
    ]);
    const pf = await enterDetaineeRequest(counsellor, { kind: 'PF', hours: '8' });
    expect(pf.status).toBe(422);
    expect(page(pf).errors()).toEqual([
      'Un parloir familial dure au plus 6 heures (un créneau ou deux créneaux cumulés). Choisissez une durée plus courte.',
    ]);
    const past = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(-3) });
    expect(page(past).errors()).toEqual([
      'La période souhaitée ne peut pas commencer dans le passé. Choisissez un jour à partir d’aujourd’hui.',
    ]);
  });

  it('a family files online with a minor and the accompanying adult, sends the consent, and sees its requests', async () => {
    const { family, permits, agent } = await familyWithPermits([
      { givenName: 'Şükrü', familyName: 'Nguyễn', birthdate: '1984-02-02' },
      { givenName: 'Ełżbieta', familyName: 'Nguyễn', birthdate: CHILD_BIRTHDATE },
    ]);
    const [adult, child] = permits;
    const choose = page(await agent.get('/uvf/nouvelle').expect(200));
    expect(choose.texts('detainee')).toEqual([`محمد HADDAD — ${establishment.name}`]);
    const res = await postForm(agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
      kind: 'UVF',
      wishedFrom: FROM,
      wishedTo: TO,
      hours: '48',
      visitors: [adult.id, child.id],
      [`accompagnant-${child.id}`]: adult.id,
    });
    expect(res.status).toBe(303);
    const list = page(await agent.get(res.headers.location).expect(200));
    expect(list.has('sent')).toBe(true);
    expect(list.texts('request-visitor').sort()).toEqual(['Ełżbieta NGUYỄN', 'Şükrü NGUYỄN']);
    expect(list.texts('request-kind')).toEqual(['Unité de vie familiale (UVF)', 'Unité de vie familiale (UVF)']);
    const rows = await query<{ id: string; permitId: string; accompaniedBy: string | null; channel: string; familyAccountId: string }>(
      `SELECT id, permit_id AS "permitId", accompanied_by AS "accompaniedBy", channel, family_account_id AS "familyAccountId"
         FROM family_visit_requests WHERE permit_id = ANY($1::uuid[])`,
      [[adult.id, child.id]],
    );
    const adultRequest = rows.find((r) => r.permitId === adult.id)!;
    const childRequest = rows.find((r) => r.permitId === child.id)!;
    expect(childRequest.accompaniedBy).toBe(adultRequest.id);
    expect(rows.every((r) => r.channel === 'ONLINE' && r.familyAccountId === family.id)).toBe(true);
    const mail = await queryOne<{ subject: string }>(
      `SELECT subject FROM notifications WHERE template = 'family-visit-request-received' AND data->>'reference' = $1`,
      [list.text('request-reference')],
    );
    expect(mail.subject).toBe(`Demande de visite en unité de vie familiale (UVF) reçue (dossier ${list.text('request-reference')})`);

    // The staff's detainee request: the family's case waits for it (same kind, overlapping period); the staff choose it explicitly.
    const familyCase = (
      await queryOne<{ caseId: string }>(`SELECT case_id AS "caseId" FROM family_visit_requests WHERE id = $1`, [adultRequest.id])
    ).caseId;
    const toChoose = await enterDetaineeRequest(counsellor, { wishedFrom: TO, wishedTo: dayFromToday(45) });
    expect(toChoose.status).toBe(422);
    expect(page(toChoose).errors()).toEqual([
      'Des demandes de visiteurs attendent déjà celle de cette personne détenue : choisissez le dossier qu’elle rejoint, ou un nouveau dossier.',
    ]);
    expect(page(toChoose).texts('case-choice')).toEqual([
      expect.stringContaining(`Joindre au dossier existant ${list.text('request-reference')}`),
      'Nouveau dossier',
    ]);
    const joined = await enterDetaineeRequest(counsellor, { wishedFrom: TO, wishedTo: dayFromToday(45), caseChoice: familyCase });
    expect(joined.status).toBe(303);
    const caseId = joined.headers.location.split('/').slice(-2)[0];
    expect(caseId).toBe(familyCase);
    expect((await requestsOfCase(caseId)).map((r) => r.applicant)).toEqual(['DETAINEE', 'VISITOR', 'VISITOR']);

    // The consent for the minor: who gave it, in what capacity, the child's exit time (daytime only).
    const requestUrl = `/uvf/demandes/${childRequest.id}`;
    const form = page(await agent.get(requestUrl).expect(200));
    const pdf = await onePagePdf('Accord parental');
    expect(form.$('#consentCompanion').length).toBe(1);
    const night = await agent
      .post(`${requestUrl}/documents`)
      .field('_csrf', form.csrf())
      .field('kind', 'PARENTAL_CONSENT')
      .field('consentGivenBy', 'Şükrü Nguyễn')
      .field('consentCapacity', 'SOLE_HOLDER')
      .field('consentCompanion', 'NGUYEN Sukru')
      .field('childExitTime', '22:30')
      .attach('fichier', pdf, 'accord.pdf');
    expect(night.status).toBe(422);
    expect(page(night).errors()).toEqual([
      'Un enfant ne peut sortir qu’en journée, entre 08 h 00 et 20 h 00. Indiquez une heure dans ces horaires.',
    ]);
    // The consent names the adult who will accompany the child: someone else is refused, and naming no one too.
    const someoneElse = await agent
      .post(`${requestUrl}/documents`)
      .field('_csrf', form.csrf())
      .field('kind', 'PARENTAL_CONSENT')
      .field('consentGivenBy', 'Şükrü Nguyễn')
      .field('consentCapacity', 'SOLE_HOLDER')
      .field('consentCompanion', 'Ayşe Nguyễn')
      .attach('fichier', pdf, 'accord.pdf');
    expect(someoneElse.status).toBe(422);
    expect(page(someoneElse).errors()).toEqual([
      'L’accord nomme Ayşe Nguyễn, mais l’adulte qui accompagne Ełżbieta NGUYỄN est Şükrü NGUYỄN : l’accord doit nommer l’adulte qui accompagnera l’enfant.',
    ]);
    expect(page(someoneElse).$('#consentCompanion').val()).toBe('Ayşe Nguyễn');
    const noOne = await agent
      .post(`${requestUrl}/documents`)
      .field('_csrf', form.csrf())
      .field('kind', 'PARENTAL_CONSENT')
      .field('consentGivenBy', 'Şükrü Nguyễn')
      .field('consentCapacity', 'SOLE_HOLDER')
      .attach('fichier', pdf, 'accord.pdf');
    expect(noOne.status).toBe(400);
    expect(page(noOne).errors()).toEqual(['Indiquez l’adulte qui accompagnera l’enfant, tel que l’accord le nomme.']);
    const notAFile = await agent
      .post(`${requestUrl}/documents`)
      .field('_csrf', form.csrf())
      .field('kind', 'PARENTAL_CONSENT')
      .field('consentGivenBy', 'Şükrü Nguyễn')
      .field('consentCapacity', 'SOLE_HOLDER')
      .field('consentCompanion', 'Şükrü Nguyễn')
      .attach('fichier', Buffer.from('pas un pdf'), 'accord.pdf');
    expect(page(notAFile).errors()).toEqual([
      'Le fichier doit être un PDF, une image JPEG ou PNG. Choisissez un fichier dans l’un de ces formats, ou prenez une photo du document.',
    ]);
    await agent
      .post(`${requestUrl}/documents`)
      .field('_csrf', form.csrf())
      .field('kind', 'PARENTAL_CONSENT')
      .field('consentGivenBy', 'Şükrü Nguyễn')
      .field('consentCapacity', 'SOLE_HOLDER')
      .field('consentCompanion', 'şükrü NGUYEN')
      .field('childExitTime', '17:00')
      .field('childCarer', 'Ayşe Nguyễn')
      .attach('fichier', pdf, 'accord.pdf')
      .expect(303);
    const shown = page(await agent.get(requestUrl).expect(200));
    expect(shown.texts('document')).toEqual(['Accord de l’autorité parentale (Le seul titulaire de l’autorité parentale, Şükrü Nguyễn)']);
    expect(shown.text('consent-companion')).toBe('adulte accompagnant nommé : şükrü NGUYEN');
    expect(shown.text('child-exit')).toBe('à 17:00, confié à Ayşe Nguyễn');
    // Audited with the establishment, like every change of the case.
    const consentAudit = await query<{ establishmentId: string; actorType: string }>(
      `SELECT a.establishment_id AS "establishmentId", a.actor_type AS "actorType" FROM audit_log a
         JOIN family_visit_documents d ON d.id::text = a.entity_id
        WHERE a.action = 'FAMILY_VISIT_DOCUMENT_UPLOADED' AND d.request_id = $1`,
      [childRequest.id],
    );
    expect(consentAudit).toEqual([{ establishmentId: establishment.id, actorType: 'FAMILY' }]);
    const docUrl = shown.$('[data-testid="document"]').attr('href')!;
    const download = await agent.get(docUrl).buffer(true).parse(binary).expect(200);
    // What is stored is the PDF rewritten without scripts or metadata: the same page.
    expect(await pdfText(download.body as Buffer)).toBe('Accord parental');
    // Stored encrypted, under the family visits' own folder.
    const stored = filesIn(suite.docs.dir).filter((f) => f.includes('family-visits'));
    expect(stored.length).toBeGreaterThan(0);
    // The staff of the establishment can read it too.
    const staffDoc = docUrl.replace('/uvf/documents/', `${base()}/documents/`);
    await counsellor.get(staffDoc).expect(200);

    // The signed rules of the adult: the rules count as acknowledged.
    const adultUrl = `/uvf/demandes/${adultRequest.id}`;
    const adultPage = page(await agent.get(adultUrl).expect(200));
    await agent
      .post(`${adultUrl}/documents`)
      .field('_csrf', adultPage.csrf())
      .field('kind', 'RULES_ACKNOWLEDGEMENT')
      .attach('fichier', await onePagePdf('Règlement signé'), 'reglement.pdf')
      .expect(303);
    expect(page(await agent.get(adultUrl).expect(200)).text('rules')).toMatch(/^Reçu le /);

    // Another family sees nothing of it.
    const other = await familyWithPermits([{ givenName: 'Ōtsuka', familyName: 'Kowalczyk', birthdate: '1990-01-01' }]);
    await other.agent.get(requestUrl).expect(404);
    await other.agent.get(docUrl).expect(404);
    expect(page(await other.agent.get('/uvf').expect(200)).has('request')).toBe(false);

    // Another establishment's staff cannot reach the case nor the document.
    const elsewhere = await insertEstablishment();
    const stranger = await signInAgent(suite.app.url, await insertAgent([{ establishmentId: elsewhere.id, role: 'SPIP_COUNSELLOR' }]));
    const refused = await stranger.get(`${base()}/dossiers/${caseId}/demandes`);
    expect([403, 404]).toContain(refused.status);
    expect([403, 404]).toContain((await stranger.get(staffDoc)).status);
    await stranger.get(`/etablissements/${elsewhere.code}/uvf/dossiers/${caseId}/demandes`).expect(404);
  });

  it('a minor without an accompanying adult is refused, even over 16', async () => {
    const seventeen = `${Number(FROM.slice(0, 4)) - 17}-01-01`;
    const { permits, agent } = await familyWithPermits([
      { givenName: 'Ayşe', familyName: 'Kılıç', birthdate: '1980-01-01' },
      { givenName: 'Łukasz', familyName: 'Kılıç', birthdate: seventeen },
    ]);
    const res = await postForm(agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
      kind: 'PF',
      wishedFrom: FROM,
      wishedTo: FROM,
      hours: '6',
      visitors: [permits[1].id],
    });
    expect(res.status).toBe(422);
    expect(page(res).errors()).toEqual(['Łukasz KILIÇ est mineur : choisissez l’adulte qui l’accompagne parmi les visiteurs.']);
    const bad = await postForm(agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
      kind: 'PF',
      wishedFrom: FROM,
      wishedTo: FROM,
      hours: '8',
      visitors: [permits[0].id],
    });
    expect(page(bad).errors()).toEqual([
      'Un parloir familial dure au plus 6 heures (un créneau ou deux créneaux cumulés). Choisissez une durée plus courte.',
    ]);
    expect(await query(`SELECT 1 FROM family_visit_requests WHERE permit_id = ANY($1::uuid[])`, [permits.map((p) => p.id)])).toHaveLength(
      0,
    );
  });

  it('a visitor without an active permit is refused', async () => {
    const suspended = await familyWithPermits([{ givenName: 'Nasrin', familyName: 'عباس', birthdate: '1979-09-09' }], 'SUSPENDED');
    // Online: the detainee is not offered, and the form is not reachable.
    expect(page(await suspended.agent.get('/uvf/nouvelle').expect(200)).has('no-detainee')).toBe(true);
    await suspended.agent.get(`/uvf/nouvelle/${detainee.id}`).expect(404);
    // Staff: the permit is not offered, and posting it anyway is refused.
    const res = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(90), wishedTo: dayFromToday(90) });
    const casePath = res.headers.location;
    const caseBase = casePath.replace(/\/demandes$/, '');
    const shown = page(await counsellor.get(casePath).expect(200));
    expect(shown.$(`option[value="${suspended.permits[0].id}"]`).length).toBe(0);
    const refused = await postForm(counsellor, casePath, `${caseBase}/visiteurs`, {
      permitId: suspended.permits[0].id,
      receivedOn: dayFromToday(0),
      channel: 'EMAIL',
    });
    expect(refused.status).toBe(422);
    expect(page(refused).errors()).toEqual([
      'Nasrin عباس n’a pas de permis de visite valide pour cette personne détenue. Demandez d’abord un permis de visite pour cette personne.',
    ]);
  });

  it('the acknowledgement e-mail gives the day of receipt, the day of the implicit rejection, the department and the recourse routes; a prévenu’s request goes to the magistrate', async () => {
    await query(`UPDATE establishments SET address = $2, phone = $3, interregional_direction = $4 WHERE id = $1`, [
      establishment.id,
      '12 ulica Piotrkowska, 90-001 Łódź',
      '01 23 45 67 89',
      'Direction interrégionale des services pénitentiaires de Lyon',
    ]);
    const { family, permits, agent } = await familyWithPermits([{ givenName: 'Thị Ánh', familyName: 'Nguyễn', birthdate: '1990-04-04' }]);
    const fileFor = async (detaineeId: string, permitId: string) => {
      const res = await postForm(agent, `/uvf/nouvelle/${detaineeId}`, `/uvf/nouvelle/${detaineeId}`, {
        kind: 'PF',
        wishedFrom: dayFromToday(70),
        wishedTo: dayFromToday(71),
        hours: '3',
        visitors: [permitId],
      });
      expect(res.status).toBe(303);
      const reference = new URL(res.headers.location, 'http://p2v.test').searchParams.get('envoyee');
      const mail = await queryOne<{ text: string; html: string }>(
        `SELECT body_text AS text, body_html AS html FROM notifications WHERE template = 'family-visit-request-received' AND data->>'reference' = $1`,
        [reference],
      );
      const { receivedAt } = await queryOne<{ receivedAt: Date }>(
        `SELECT received_at AS "receivedAt" FROM family_visit_requests WHERE permit_id = $1`,
        [permitId],
      );
      return { text: mail.text, html: new HtmlPage(mail.html), receivedAt };
    };
    const longDay = (day: Date) =>
      new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(day);

    // A condamné: the head decides within two months, silence is an implicit rejection.
    const condamne = await fileFor(detainee.id, permits[0].id);
    const receivedDay = new Date(`${formatInTimeZone(condamne.receivedAt, establishment.timeZone, 'yyyy-MM-dd')}T00:00:00Z`);
    expect(condamne.text).toContain(
      `Nous avons bien reçu le ${longDay(receivedDay)} votre demande de visite en parloir familial pour rendre visite à محمد HADDAD`,
    );
    expect(condamne.text).toContain('Ce message vaut accusé de réception.');
    expect(condamne.text).toContain(
      `Sans réponse de l'établissement au ${longDay(addMonths(receivedDay, 2))}, votre demande sera considérée comme rejetée (décision implicite de rejet).`,
    );
    expect(condamne.text).toContain(
      'Service chargé de votre demande : Centre pénitentiaire de Łódź — 12 ulica Piotrkowska, 90-001 Łódź — téléphone 01 23 45 67 89',
    );
    expect(condamne.text).toContain('En cas de rejet, exprès ou implicite :');
    expect(condamne.text).toContain(
      'par un recours hiérarchique auprès du directeur interrégional des services pénitentiaires (Direction interrégionale des services pénitentiaires de Lyon)',
    );
    expect(condamne.text).toContain('article R. 421-1 du code de justice administrative');
    expect(condamne.text).not.toContain('magistrat');
    expect(condamne.html.text('implicit-rejection')).toBe(
      `Sans réponse de l’établissement au ${longDay(addMonths(receivedDay, 2))}, votre demande sera considérée comme rejetée (décision implicite de rejet).`,
    );

    // A prévenu: the request goes to the magistrate in charge; no implicit rejection, no administrative recourse announced.
    const prevenu = await insertDetainee(establishment.id, { lastName: 'Kowalski', firstName: 'Łukasz', legalStatus: 'PREVENU' });
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: prevenu.id,
      familyAccountId: family.id,
      visitorGivenName: 'Thị Ánh',
      visitorFamilyName: 'Nguyễn',
      visitorBirthdate: '1990-04-04',
    });
    const toMagistrate = await fileFor(prevenu.id, permit.id);
    expect(toMagistrate.text).toContain(
      "Łukasz KOWALSKI est en détention provisoire : le chef d'établissement transmet la demande, avec son avis, au magistrat chargé de la procédure, qui décide. Il n'y a pas de rejet implicite : vous serez informé(e) de la réponse du magistrat.",
    );
    expect(toMagistrate.text).toContain('Service chargé de votre demande : Centre pénitentiaire de Łódź');
    expect(toMagistrate.text).not.toContain('décision implicite de rejet');
    expect(toMagistrate.text).not.toContain('tribunal administratif');
    expect(toMagistrate.html.has('implicit-rejection')).toBe(false);
  });

  it('a family adds online a child whose accompanying adult already filed: the child joins the adult’s case, accompanied by the adult’s request', async () => {
    const from = dayFromToday(100);
    const { permits, agent } = await familyWithPermits([
      { givenName: 'Nguyễn Thị', familyName: 'Ánh', birthdate: '1988-08-08' },
      { givenName: 'Łukasz', familyName: 'Ánh', birthdate: `${Number(from.slice(0, 4)) - 8}-02-02` },
    ]);
    const [adult, child] = permits;
    const file = (fields: Record<string, string | string[]>) =>
      postForm(agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
        kind: 'UVF',
        wishedFrom: from,
        wishedTo: dayFromToday(102),
        hours: '24',
        ...fields,
      });
    expect((await file({ visitors: [adult.id] })).status).toBe(303);
    // Choosing the adult again is refused: the adult's request is already there.
    const again = await file({ visitors: [adult.id, child.id], [`accompagnant-${child.id}`]: adult.id });
    expect(again.status).toBe(422);
    expect(page(again).errors()).toEqual([
      'Nguyễn Thị ÁNH a déjà une demande en cours pour cette visite. Retirez cette personne des visiteurs.',
    ]);
    // The child alone, accompanied by the adult who already filed.
    const added = await file({ visitors: [child.id], [`accompagnant-${child.id}`]: adult.id });
    expect(added.status).toBe(303);
    const rows = await query<{ id: string; permitId: string; caseId: string; accompaniedBy: string | null }>(
      `SELECT id, permit_id AS "permitId", case_id AS "caseId", accompanied_by AS "accompaniedBy"
         FROM family_visit_requests WHERE permit_id = ANY($1::uuid[])`,
      [[adult.id, child.id]],
    );
    const adultRequest = rows.find((r) => r.permitId === adult.id)!;
    const childRequest = rows.find((r) => r.permitId === child.id)!;
    expect(childRequest.caseId).toBe(adultRequest.caseId);
    expect(childRequest.accompaniedBy).toBe(adultRequest.id);
    const shown = page(await agent.get(`/uvf/demandes/${childRequest.id}`).expect(200));
    expect(shown.text('companion')).toBe('Nguyễn Thị ÁNH');
    expect(shown.texts('family-request-name')).toEqual(['Nguyễn Thị ÁNH', 'Łukasz ÁNH']);
  });

  it('a family withdraws its own request after a confirmation page: withdrawn, in the history, audited, e-mailed; the case left with nothing closes; never implicitly rejected; once decided it cannot be withdrawn', async () => {
    const { permits, agent } = await familyWithPermits([{ givenName: 'Łukasz', familyName: 'Nowak-حداد', birthdate: '1982-07-07' }]);
    const filed = await postForm(agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
      kind: 'UVF',
      wishedFrom: dayFromToday(130),
      wishedTo: dayFromToday(131),
      hours: '24',
      visitors: [permits[0].id],
    });
    expect(filed.status).toBe(303);
    const r = await queryOne<{ id: string; caseId: string }>(
      `SELECT id, case_id AS "caseId" FROM family_visit_requests WHERE permit_id = $1`,
      [permits[0].id],
    );
    const url = `/uvf/demandes/${r.id}`;
    const before = page(await agent.get(url).expect(200));
    expect(before.link('Retirer cette demande')).toBe(`${url}/retrait`);
    const confirm = page(await agent.get(`${url}/retrait`).expect(200));
    expect(confirm.heading()).toBe('Retirer la demande de Łukasz NOWAK-حداد ?');
    expect(confirm.has('confirm-withdraw')).toBe(true);
    const done = await agent.post(`${url}/retrait`).type('form').send({ _csrf: confirm.csrf() });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(url);
    const after = page(await agent.get(url).expect(200));
    expect(after.text('request-status')).toBe('Retirée');
    expect(after.text('withdrawn-on')).toMatch(/^le \d{1,2} \S+ \d{4}$/);
    expect(after.has('withdraw-link')).toBe(false);
    expect(after.texts('history-event').join(' ')).toContain('Demande de Łukasz NOWAK-حداد retirée en ligne.');
    expect(after.texts('history-event').join(' ')).toContain(
      'Dossier clos : chaque demande est décidée ou retirée, aucune visite n’aura lieu.',
    );
    expect(await queryOne(`SELECT status FROM family_visit_cases WHERE id = $1`, [r.caseId])).toEqual({ status: 'CLOSED' });
    expect(
      await query(
        `SELECT actor_type AS "actorType", establishment_id AS "establishmentId" FROM audit_log WHERE action = $1 AND entity_id = $2`,
        ['FAMILY_VISIT_REQUEST_WITHDRAWN', r.id],
      ),
    ).toEqual([{ actorType: 'FAMILY', establishmentId: establishment.id }]);
    const mail = await queryOne<{ subject: string; text: string }>(
      `SELECT subject, body_text AS text FROM notifications WHERE template = 'family-visit-request-withdrawn' AND entity_id = $1`,
      [r.id],
    );
    expect(mail.subject).toMatch(/^Demande de visite en unité de vie familiale \(UVF\) retirée \(dossier UV-/);
    expect(mail.text).toContain(
      'La demande de visite en unité de vie familiale (UVF) de Łukasz NOWAK-حداد pour rendre visite à محمد HADDAD',
    );
    expect(mail.text).toContain('est retirée à votre demande le ');
    expect(mail.text).toContain('Le dossier est clos');
    // Withdrawn is final: not again, and never implicitly rejected, even long after the two months.
    const again = await agent.post(`${url}/retrait`).type('form').send({ _csrf: confirm.csrf() });
    expect(again.status).toBe(409);
    expect(page(again).errors()).toEqual(['Cette demande est déjà retirée.']);
    await query(`UPDATE family_visit_requests SET received_at = '2025-01-06T10:00:00Z' WHERE id = $1`, [r.id]);
    const ds: DataSource = await openDataSource(2);
    try {
      const decisions = new FamilyVisitDecisionsService(ds, services(ds, testConfig()).notifications, new AuditService(), new Clock());
      await decisions.expireOverdue();
    } finally {
      await ds.destroy();
    }
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [r.id])).toEqual({ status: 'WITHDRAWN' });

    // A decided request cannot be withdrawn: the page says so, and posting anyway is refused (409).
    await query(
      `UPDATE family_visit_requests SET status = 'GRANTED', withdrawn_at = NULL, granted_hours = 24, decided_at = now() WHERE id = $1`,
      [r.id],
    );
    const decided = page(await agent.get(`${url}/retrait`).expect(200));
    expect(decided.text('cannot-withdraw')).toBe('Cette demande est déjà décidée : elle ne peut plus être retirée.');
    expect(decided.has('confirm-withdraw')).toBe(false);
    const refused = await agent.post(`${url}/retrait`).type('form').send({ _csrf: confirm.csrf() });
    expect(refused.status).toBe(409);
    expect(page(refused).errors()).toEqual(['Cette demande est déjà décidée : elle ne peut plus être retirée.']);
    expect(await queryOne(`SELECT status FROM family_visit_requests WHERE id = $1`, [r.id])).toEqual({ status: 'GRANTED' });
    // Another family cannot reach it.
    const other = await familyWithPermits([{ givenName: 'Şükrü', familyName: 'Öztürk', birthdate: '1975-05-05' }]);
    await other.agent.get(`${url}/retrait`).expect(404);
  });

  it('a withdrawn request’s scheduled SPIP interview is cancelled with it: its convocation cancelled, the family told, no reminder left', async () => {
    const { permits, agent } = await familyWithPermits([{ givenName: 'Thị Mai', familyName: 'Nguyễn-Łoś', birthdate: '1984-02-02' }]);
    const filed = await postForm(agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
      kind: 'UVF',
      wishedFrom: dayFromToday(140),
      wishedTo: dayFromToday(141),
      hours: '24',
      visitors: [permits[0].id],
    });
    expect(filed.status).toBe(303);
    const r = await queryOne<{ id: string; caseId: string }>(
      `SELECT id, case_id AS "caseId" FROM family_visit_requests WHERE permit_id = $1`,
      [permits[0].id],
    );
    const casePath = `${base()}/dossiers/${r.caseId}`;
    const [y, m, d] = dayFromToday(6).split('-');
    const scheduled = await postForm(counsellor, casePath, `${casePath}/entretiens`, {
      requestId: r.id,
      status: 'SCHEDULED',
      day: `${d}/${m}/${y}`,
      time: '10:30',
      mode: 'IN_PERSON',
    });
    expect(scheduled.status).toBe(303);
    const interview = await queryOne<{ id: string; appointmentId: string }>(
      `SELECT id, appointment_id AS "appointmentId" FROM family_visit_interviews WHERE request_id = $1`,
      [r.id],
    );
    const reminders = () =>
      query<{ status: string }>(`SELECT status FROM notifications WHERE entity_id = $1 AND category = 'REMINDER' ORDER BY send_after`, [
        interview.appointmentId,
      ]);
    expect((await reminders()).length).toBeGreaterThan(0);
    expect((await reminders()).every((n) => n.status === 'PENDING')).toBe(true);

    const url = `/uvf/demandes/${r.id}`;
    const confirm = page(await agent.get(`${url}/retrait`).expect(200));
    expect((await agent.post(`${url}/retrait`).type('form').send({ _csrf: confirm.csrf() })).status).toBe(303);

    expect(await queryOne(`SELECT status FROM family_visit_interviews WHERE id = $1`, [interview.id])).toEqual({ status: 'CANCELLED' });
    expect(await queryOne(`SELECT status FROM appointments WHERE id = $1`, [interview.appointmentId])).toEqual({ status: 'CANCELLED' });
    expect((await reminders()).map((n) => n.status).filter((s) => s === 'PENDING' || s === 'SENDING')).toEqual([]);
    expect(
      await query(`SELECT template FROM notifications WHERE entity_id = $1 AND category = 'TRANSACTIONAL' ORDER BY created_at`, [
        interview.appointmentId,
      ]),
    ).toContainEqual({ template: 'appointment-cancelled' });
    const family = page(await agent.get(url).expect(200));
    expect(family.text('interview-status')).toBe('Annulé');
    const staff = page(await counsellor.get(casePath).expect(200));
    expect(staff.text('interview-status')).toBe('Annulé');
    expect(staff.text('history')).toContain('Entretien annulé : la demande est retirée.');
    expect(
      await query(`SELECT actor_type AS "actorType" FROM audit_log WHERE action = 'FAMILY_VISIT_INTERVIEW_CANCELLED' AND entity_id = $1`, [
        interview.id,
      ]),
    ).toEqual([{ actorType: 'FAMILY' }]);
  });

  it('the SPIP or the greffe record the withdrawal of any request of the case from a letter, with its date: the family told, the queue left, the case closed once nothing is left', async () => {
    const { permits, agent } = await familyWithPermits([{ givenName: 'Nguyễn Thị', familyName: 'Ánh', birthdate: '1991-01-01' }]);
    const entered = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(150), wishedTo: dayFromToday(151) });
    const casePath = entered.headers.location;
    const caseBase = casePath.replace(/\/demandes$/, '');
    const caseId = caseBase.split('/').pop()!;
    expect(
      (
        await postForm(counsellor, casePath, `${caseBase}/visiteurs`, {
          permitId: permits[0].id,
          receivedOn: dayFromToday(-1),
          channel: 'LETTER',
        })
      ).status,
    ).toBe(303);
    const [detaineeRequest, visitorRequest] = await requestsOfCase(caseId);
    const greffe = await signInAgent(
      suite.app.url,
      await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], { givenName: 'Şükrü', usualName: 'Kowalczyk' }),
    );
    const shown = page(await greffe.get(casePath).expect(200));
    expect(shown.texts('withdraw-link')).toHaveLength(2);
    const withdrawUrl = `${caseBase}/demandes/${visitorRequest.id}/retrait`;
    const confirm = page(await greffe.get(withdrawUrl).expect(200));
    expect(confirm.heading()).toBe('Enregistrer le retrait de la demande de Nguyễn Thị ÁNH ?');
    const future = await greffe
      .post(withdrawUrl)
      .type('form')
      .send({ _csrf: confirm.csrf(), withdrawnOn: dayFromToday(3) });
    expect(future.status).toBe(422);
    expect(page(future).errors()).toEqual(['La date du retrait ne peut pas être dans le futur.']);
    const tooEarly = await greffe
      .post(withdrawUrl)
      .type('form')
      .send({ _csrf: confirm.csrf(), withdrawnOn: dayFromToday(-5) });
    expect(page(tooEarly).errors()).toEqual(['La date du retrait ne peut pas précéder la réception de la demande.']);
    const withdrawnOn = dayFromToday(0);
    expect((await greffe.post(withdrawUrl).type('form').send({ _csrf: confirm.csrf(), withdrawnOn })).status).toBe(303);
    const after = page(await greffe.get(casePath).expect(200));
    expect(after.texts('request-status')).toEqual(['Reçue, en cours d’instruction', 'Retirée']);
    expect(after.texts('request-withdrawn-on')).toHaveLength(1);
    expect(after.text('case-status')).toBe('En instruction');
    const stored = await queryOne<{ status: string; day: string }>(
      `SELECT status, to_char(withdrawn_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day FROM family_visit_requests WHERE id = $1`,
      [visitorRequest.id],
    );
    expect(stored).toEqual({ status: 'WITHDRAWN', day: withdrawnOn });
    const mail = await queryOne<{ text: string }>(
      `SELECT body_text AS text FROM notifications WHERE template = 'family-visit-request-withdrawn' AND entity_id = $1`,
      [visitorRequest.id],
    );
    expect(mail.text).toContain("est retirée : l'établissement a enregistré le retrait que vous lui avez adressé le ");
    expect(mail.text).not.toContain('Le dossier est clos');
    const family = page(await agent.get(`/uvf/demandes/${visitorRequest.id}`).expect(200));
    expect(family.texts('history-event').join(' ')).toContain(
      'Demande de Nguyễn Thị ÁNH retirée le ' + withdrawnOn.split('-').reverse().join('/') + ' (retrait enregistré par l’établissement).',
    );
    // The detainee gives up too (the SPIP records it): nothing is left, the case is closed and leaves the queue of cases in instruction.
    const detaineeConfirm = page(await counsellor.get(`${caseBase}/demandes/${detaineeRequest.id}/retrait`).expect(200));
    expect(
      (
        await counsellor
          .post(`${caseBase}/demandes/${detaineeRequest.id}/retrait`)
          .type('form')
          .send({ _csrf: detaineeConfirm.csrf(), withdrawnOn })
      ).status,
    ).toBe(303);
    expect(page(await counsellor.get(casePath).expect(200)).text('case-status')).toBe('Clos');
    const reference = after.heading().replace('Dossier ', '');
    const queue = page(await counsellor.get(`${base()}/dossiers?statut=INSTRUCTION&q=${detainee.ecrouNumber}`).expect(200));
    expect(queue.texts('queue-reference')).not.toContain(reference);
    expect(
      (
        await query(
          `SELECT actor_type AS "actorType" FROM audit_log WHERE action = 'FAMILY_VISIT_REQUEST_WITHDRAWN' AND entity_id = ANY($1::text[])`,
          [[detaineeRequest.id, visitorRequest.id]],
        )
      ).map((a) => a.actorType),
    ).toEqual(['AGENT', 'AGENT']);
    // Once decided, no withdrawal: 409.
    await query(
      `UPDATE family_visit_requests SET status = 'REFUSED', decision_motivation = $2, decision_facts = $2, refusal_ground = 'SECURITY', withdrawn_at = NULL WHERE id = $1`,
      [visitorRequest.id, 'Motivation en fait et en droit, pour le test du refus.'],
    );
    const decided = await greffe.post(withdrawUrl).type('form').send({ _csrf: confirm.csrf(), withdrawnOn });
    expect(decided.status).toBe(409);
    expect(page(decided).errors()).toEqual(['Cette demande est déjà décidée : elle ne peut plus être retirée.']);
  });

  it('each request keeps its own wished period and duration; two families asking for the same period make two cases; the detainee’s request joins the case the staff choose', async () => {
    const fileFor = async (who: { agent: Agent; permits: { id: string }[] }, kind: string, from: number, to: number, hours: string) => {
      const res = await postForm(who.agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
        kind,
        wishedFrom: dayFromToday(from),
        wishedTo: dayFromToday(to),
        hours,
        visitors: who.permits.map((p) => p.id),
      });
      expect(res.status).toBe(303);
      return queryOne<{ id: string; caseId: string }>(
        `SELECT id, case_id AS "caseId" FROM family_visit_requests WHERE permit_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [who.permits[0].id],
      );
    };
    const nowak = await familyWithPermits([{ givenName: 'Łukasz', familyName: 'Nowak', birthdate: '1980-03-03' }]);
    const nguyen = await familyWithPermits([{ givenName: 'Nguyễn Thị', familyName: 'Ánh', birthdate: '1983-04-04' }]);
    // Two ex-partners ask for the same weeks: two cases, never one visit.
    const a = await fileFor(nowak, 'UVF', 200, 203, '24');
    const b = await fileFor(nguyen, 'UVF', 201, 204, '48');
    expect(b.caseId).not.toBe(a.caseId);
    const nguyenPage = page(await nguyen.agent.get(`/uvf/demandes/${b.id}`).expect(200));
    expect(nguyenPage.texts('family-request-name')).toEqual(['Nguyễn Thị ÁNH']);
    const longDay = (n: number) => {
      const [y, m, d] = dayFromToday(n).split('-').map(Number);
      return new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
        new Date(Date.UTC(y, m - 1, d)),
      );
    };
    expect(nguyenPage.text('request-period')).toBe(`du ${longDay(201)} au ${longDay(204)}, 48 heures`);

    // The detainee's letter names the Nowak family: the staff choose that case among the two waiting.
    const choose = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(200), wishedTo: dayFromToday(205), hours: '12' });
    expect(choose.status).toBe(422);
    const choices = page(choose).texts('case-choice');
    expect(choices).toHaveLength(3);
    expect(choices[0]).toContain('Łukasz NOWAK');
    expect(choices[1]).toContain('Nguyễn Thị ÁNH');
    expect(choices[2]).toBe('Nouveau dossier');
    // The values typed are kept.
    expect(page(choose).$('#wishedTo').val()).toBe(dayFromToday(205));
    const joined = await enterDetaineeRequest(counsellor, {
      wishedFrom: dayFromToday(200),
      wishedTo: dayFromToday(205),
      hours: '12',
      caseChoice: a.caseId,
    });
    expect(joined.status).toBe(303);
    const staffPage = page(await counsellor.get(joined.headers.location).expect(200));
    expect(staffPage.texts('request-applicant')).toEqual(['La personne détenue', 'Łukasz NOWAK']);
    expect(staffPage.texts('request-period')).toEqual([
      `du ${longDay(200)} au ${longDay(205)}, 12 h`,
      `du ${longDay(200)} au ${longDay(203)}, 24 h`,
    ]);
    // The case keeps the first request's wish.
    expect(staffPage.text('case-period')).toBe(`du ${longDay(200)} au ${longDay(203)}, 24 heures`);
    const stored = await query<{ applicant: string; wishedFrom: string; wishedHours: number }>(
      `SELECT applicant, to_char(wished_from, 'YYYY-MM-DD') AS "wishedFrom", wished_hours AS "wishedHours"
         FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant`,
      [a.caseId],
    );
    expect(stored).toEqual([
      { applicant: 'DETAINEE', wishedFrom: dayFromToday(200), wishedHours: 12 },
      { applicant: 'VISITOR', wishedFrom: dayFromToday(200), wishedHours: 24 },
    ]);

    // The staff may also open a new case for the detainee's request, explicitly.
    const fresh = await enterDetaineeRequest(counsellor, {
      kind: 'PF',
      wishedFrom: dayFromToday(220),
      wishedTo: dayFromToday(221),
      hours: '6',
    });
    expect(fresh.status).toBe(303);
    const freshCase = fresh.headers.location.split('/').slice(-2)[0];
    // A family then files for that period: it joins the case holding the detainee's request, with its own wish…
    const c = await fileFor(nowak, 'PF', 221, 221, '3');
    expect(c.caseId).toBe(freshCase);
    expect(
      await queryOne(
        `SELECT to_char(wished_from, 'YYYY-MM-DD') AS "from", wished_hours AS hours FROM family_visit_requests WHERE id = $1`,
        [c.id],
      ),
    ).toEqual({ from: dayFromToday(221), hours: 3 });
    // …but another family does not join a case where the first family already is.
    const d = await fileFor(nguyen, 'PF', 220, 220, '6');
    expect(d.caseId).not.toBe(freshCase);
  });

  it('a visitor’s request entered by the staff joins the case only for an overlapping period, and is judged minor or not on its own first wished day', async () => {
    // The visitor turns 18 on the second day of the case: a minor on the case's first day, an adult on their own.
    let n = 301;
    while (dayFromToday(n).slice(5) === '02-29') n++;
    const eighteenth = `${Number(dayFromToday(n).slice(0, 4)) - 18}${dayFromToday(n).slice(4)}`;
    const { permits } = await familyWithPermits([{ givenName: 'Şükrü', familyName: 'Łęcki', birthdate: eighteenth }]);
    const entered = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(n - 1), wishedTo: dayFromToday(n + 2) });
    expect(entered.status).toBe(303);
    const casePath = entered.headers.location;
    const visitors = casePath.replace(/\/demandes$/, '/visiteurs');
    const fields = { permitId: permits[0].id, receivedOn: dayFromToday(-1), channel: 'LETTER' };
    const june = await postForm(counsellor, casePath, visitors, {
      ...fields,
      wishedFrom: dayFromToday(n + 40),
      wishedTo: dayFromToday(n + 41),
    });
    expect(june.status).toBe(422);
    expect(page(june).fieldError('wishedFrom')).toBe('La période souhaitée ne recoupe pas celle du dossier : ouvrez un nouveau dossier.');
    expect(page(june).$('#wishedFrom').val()).toBe(dayFromToday(n + 40));
    // On the case's first day this visitor is a minor with no adult: refused.
    const asCase = await postForm(counsellor, casePath, visitors, fields);
    expect(asCase.status).toBe(422);
    expect(page(asCase).fieldError('permitId')).toBe('Şükrü ŁĘCKI est mineur : choisissez l’adulte qui l’accompagne parmi les visiteurs.');
    // From their own first day, an adult: the request joins the case, alone.
    expect(
      (await postForm(counsellor, casePath, visitors, { ...fields, wishedFrom: dayFromToday(n), wishedTo: dayFromToday(n + 1) })).status,
    ).toBe(303);
    const [, visitor] = await requestsOfCase(casePath.split('/').slice(-2)[0]);
    expect(visitor).toMatchObject({ permitId: permits[0].id, accompaniedBy: null, status: 'RECEIVED' });
  });

  it('the family’s withdrawal page with an id that is not one answers 404, not 400', async () => {
    const { agent } = await familyWithPermits([{ givenName: 'Łucja', familyName: 'Nguyễn', birthdate: '1990-02-02' }]);
    await agent.get('/uvf/demandes/pas-un-uuid/retrait').expect(404);
  });

  it('the staff’s withdrawal page with an id that is not one answers 404, not 400', async () => {
    const entered = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(160), wishedTo: dayFromToday(161) });
    const caseBase = entered.headers.location.replace(/\/demandes$/, '');
    const [detaineeRequest] = await requestsOfCase(caseBase.split('/').pop()!);
    await counsellor.get(`${caseBase}/demandes/pas-un-uuid/retrait`).expect(404);
    await counsellor.get(`${base()}/dossiers/pas-un-uuid/demandes/${detaineeRequest.id}/retrait`).expect(404);
  });

  it('« UVF et parloirs familiaux » is in the family navigation', async () => {
    const agent = await signInFamily(suite.app.url, await insertFamily({ givenName: 'Ayşe', familyName: 'Öztürk' }));
    const home = page(await agent.get('/mon-espace').expect(200));
    expect(home.link('UVF et parloirs familiaux')).toBe('/uvf');
  });
});
