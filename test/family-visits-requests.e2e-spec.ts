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
import { query, queryOne } from './helpers/db';
import { onePagePdf } from './helpers/files';
import { HtmlPage, page } from './helpers/html';
import { filesIn, permitsApp } from './helpers/permits';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

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
    const visitor = await postForm(counsellor, casePath, `${caseBase}/visiteurs`, {
      permitId: permits[0].id,
      receivedOn: dayFromToday(-1),
      channel: 'LETTER',
    });
    expect(visitor.status).toBe(303);
    const after = page(await counsellor.get(casePath).expect(200));
    expect(after.texts('request-applicant')).toEqual(['La personne détenue', 'Łucja NOWAK-حداد']);
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
    expect(page(notMinor).errors()).toEqual(['L’accord de l’autorité parentale ne concerne que la demande d’un visiteur mineur.']);
  });

  it('a wrong duration is refused in French (UVF 7 h, PF 8 h), and so is a period in the past', async () => {
    const uvf = await enterDetaineeRequest(counsellor, { hours: '7' });
    expect(uvf.status).toBe(422);
    expect(page(uvf).errors()).toEqual(['Une visite en UVF dure de 6 à 72 heures, par tranches de 6 heures.']);
    const pf = await enterDetaineeRequest(counsellor, { kind: 'PF', hours: '8' });
    expect(pf.status).toBe(422);
    expect(page(pf).errors()).toEqual(['Un parloir familial dure au plus 6 heures (un créneau ou deux créneaux cumulés).']);
    const past = await enterDetaineeRequest(counsellor, { wishedFrom: dayFromToday(-3) });
    expect(page(past).errors()).toEqual(['La période souhaitée ne peut pas commencer dans le passé.']);
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

    // The staff's detainee request joins the family's case (overlapping period, same kind).
    const joined = await enterDetaineeRequest(counsellor, { wishedFrom: TO, wishedTo: dayFromToday(45) });
    expect(joined.status).toBe(303);
    const caseId = joined.headers.location.split('/').slice(-2)[0];
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
    expect(page(night).errors()).toEqual(['Un enfant ne peut sortir qu’en journée, entre 08 h 00 et 20 h 00.']);
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
    expect(page(notAFile).errors()).toEqual(['Le fichier doit être un PDF, une image JPEG ou PNG.']);
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
    const download = await agent.get(docUrl).buffer(true).expect(200);
    expect(Buffer.compare(download.body as Buffer, pdf)).toBe(0);
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
    expect(page(bad).errors()).toEqual(['Un parloir familial dure au plus 6 heures (un créneau ou deux créneaux cumulés).']);
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
    expect(page(refused).errors()).toEqual(['Nasrin عباس n’a pas de permis de visite valide pour cette personne détenue.']);
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
    expect(page(again).errors()).toEqual(['Nguyễn Thị ÁNH a déjà une demande en cours pour cette visite.']);
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

  it('« UVF et parloirs familiaux » is in the family navigation', async () => {
    const agent = await signInFamily(suite.app.url, await insertFamily({ givenName: 'Ayşe', familyName: 'Öztürk' }));
    const home = page(await agent.get('/mon-espace').expect(200));
    expect(home.link('UVF et parloirs familiaux')).toBe('/uvf');
  });
});
