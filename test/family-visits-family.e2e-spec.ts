import { uniquePhone } from './factories/appointments';
import { dayFromToday, postForm } from './factories/family-visit-requests';
import { insertDetaineeRequest, insertFamilyVisitCase, insertFamilyVisitDocument } from './factories/family-visits-instruction';
import { insertUnit } from './factories/family-visits-units';
import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { permitsApp } from './helpers/permits';
import { type Agent, FAMILY, signIn, signInAgent, signInFamily, STAFF } from './helpers/sign-in';

const suite = permitsApp();
const DAY = 86_400_000;

/** An overseas establishment: times are said on its clock (Cayenne, UTC−3, no summer time). */
let guyane: EstablishmentRow;
let detainee: DetaineeRow;
let counsellor: Agent;

beforeAll(async () => {
  guyane = await insertEstablishment({ name: 'Centre pénitentiaire de Rémire-Montjoly', timeZone: 'America/Cayenne' });
  detainee = await insertDetainee(guyane.id, { firstName: 'يوسف', lastName: 'Ben Ałi' });
  counsellor = await signInAgent(
    suite.app.url,
    await insertAgent([{ establishmentId: guyane.id, role: 'SPIP_COUNSELLOR' }], { givenName: 'Małgorzata', usualName: 'Wójcik' }),
  );
});

/** A family account holding permits for the detainee, signed in. */
async function familyWith(visitors: { givenName: string; familyName: string; birthdate: string }[], o: { mobilePhone?: string } = {}) {
  const family = await insertFamily({ givenName: visitors[0].givenName, familyName: visitors[0].familyName, mobilePhone: o.mobilePhone });
  const permits = [];
  for (const v of visitors)
    permits.push(
      await insertPermit({
        establishmentId: guyane.id,
        detaineeId: detainee.id,
        familyAccountId: family.id,
        visitorGivenName: v.givenName,
        visitorFamilyName: v.familyName,
        visitorBirthdate: v.birthdate,
      }),
    );
  return { family, permits, agent: await signInFamily(suite.app.url, family) };
}

/** The family's requests as filed online (UVF, about six weeks from now), by permit id. */
async function fileOnline(who: { agent: Agent; permits: { id: string }[] }, from: string, companions: Record<string, string> = {}) {
  const res = await postForm(who.agent, `/uvf/nouvelle/${detainee.id}`, `/uvf/nouvelle/${detainee.id}`, {
    kind: 'UVF',
    wishedFrom: from,
    wishedTo: from,
    hours: '24',
    visitors: who.permits.map((p) => p.id),
    ...Object.fromEntries(Object.entries(companions).map(([child, adult]) => [`accompagnant-${child}`, adult])),
  });
  expect(res.status).toBe(303);
  const rows = await query<{ id: string; permitId: string; caseId: string }>(
    `SELECT id, permit_id AS "permitId", case_id AS "caseId" FROM family_visit_requests WHERE permit_id = ANY($1::uuid[])`,
    [who.permits.map((p) => p.id)],
  );
  return { caseId: rows[0].caseId, requestOf: (permitId: string) => rows.find((r) => r.permitId === permitId)!.id };
}

/** The counsellor schedules an interview with an applicant of the case (a convocation when the family can get it). */
async function scheduleInterview(caseId: string, requestId: string, day: string, time: string, mode = 'IN_PERSON') {
  const casePath = `/etablissements/${guyane.code}/uvf/dossiers/${caseId}`;
  const [y, m, d] = day.split('-');
  const res = await postForm(counsellor, casePath, `${casePath}/entretiens`, {
    requestId,
    status: 'SCHEDULED',
    day: `${d}/${m}/${y}`,
    time,
    mode,
  });
  expect(res.status).toBe(303);
  return queryOne<{ id: string; appointmentId: string }>(
    `SELECT id, appointment_id AS "appointmentId" FROM family_visit_interviews WHERE request_id = $1 ORDER BY created_at DESC LIMIT 1`,
    [requestId],
  );
}

/** Sets a request's decision straight in the database, as the head's decision would leave it. */
async function decide(requestId: string, status: 'GRANTED' | 'REFUSED') {
  await query(
    `UPDATE family_visit_requests SET status = $2, decided_at = now(), granted_hours = $3, decision_motivation = $4 WHERE id = $1`,
    [
      requestId,
      status,
      status === 'GRANTED' ? 24 : null,
      status === 'REFUSED' ? 'Motivation en fait et en droit, pour le test du refus.' : null,
    ],
  );
}

describe('« Mes demandes UVF / parloir familial »: the page of a request', () => {
  it('shows the status of each of the family’s requests with the minor’s companion, whether the detainee’s request came, and the history meant for the family', async () => {
    const from = dayFromToday(40);
    const nguyen = await familyWith([
      { givenName: 'Łucja', familyName: 'Nguyễn', birthdate: '1984-02-02' },
      { givenName: 'Ełżbieta', familyName: 'Nguyễn', birthdate: `${Number(from.slice(0, 4)) - 9}-05-05` },
    ]);
    const [adult, child] = nguyen.permits;
    const filed = await fileOnline(nguyen, from, { [child.id]: adult.id });
    const adultUrl = `/uvf/demandes/${filed.requestOf(adult.id)}`;

    const before = page(await nguyen.agent.get(adultUrl).expect(200));
    expect(before.heading()).toBe('Demande de Łucja NGUYỄN');
    expect(before.text('request-status')).toBe('Reçue, en cours d’instruction');
    expect(before.texts('family-request-name')).toEqual(['Łucja NGUYỄN', 'Ełżbieta NGUYỄN']);
    expect(before.texts('family-request-status')).toEqual(['Reçue, en cours d’instruction', 'Reçue, en cours d’instruction']);
    expect(before.texts('family-request')[1]).toContain('mineur, accompagné par Łucja NGUYỄN');
    expect(before.text('detainee-request')).toContain('pas encore reçue');
    expect(
      before
        .texts('history-event')
        .map((e) => e.split(' — ')[1])
        .sort(),
    ).toEqual(['Demande de Ełżbieta NGUYỄN déposée en ligne.', 'Demande de Łucja NGUYỄN déposée en ligne.']);
    expect(before.has('no-interview')).toBe(true);
    expect(before.has('stay')).toBe(false);

    // The detainee's request arrives; the child's request is refused, the adult's granted.
    await insertDetaineeRequest(filed.caseId);
    await query(
      `INSERT INTO family_visit_events (case_id, kind, message, visible_to_family, actor_type) VALUES ($1, 'NOTE', 'Note interne du SPIP.', false, 'SYSTEM')`,
      [filed.caseId],
    );
    await decide(filed.requestOf(child.id), 'REFUSED');
    await decide(filed.requestOf(adult.id), 'GRANTED');
    const after = page(await nguyen.agent.get(adultUrl).expect(200));
    expect(after.text('request-status')).toBe('Accordée');
    expect(after.text('granted-hours')).toBe('pour une visite de 24 heures');
    expect(after.texts('family-request-status')).toEqual(['Accordée', 'Refusée']);
    expect(after.text('detainee-request')).toContain('reçue par l’établissement');
    expect(after.text('history')).not.toContain('Note interne');
    const childPage = page(await nguyen.agent.get(after.$('a[data-testid="family-request-name"]').attr('href')!).expect(200));
    expect(childPage.heading()).toBe('Demande de Ełżbieta NGUYỄN');
    expect(childPage.text('companion')).toBe('Łucja NGUYỄN');
  });

  it('gives the rules of the establishment’s units of the kind to read before signing them, and asks a child for no signed rules: the parental consent commits the child', async () => {
    const unit = await insertUnit(guyane.id, { name: 'UVF Żuraw' });
    await query(`UPDATE family_units SET house_rules = $2 WHERE id = $1`, [unit.id, 'Pas d’alcool.\nLes draps sont fournis.']);
    await insertUnit(guyane.id, { kind: 'PF', name: 'PF Őz' });
    const from = dayFromToday(45);
    const family = await familyWith([
      { givenName: 'Şükrü', familyName: 'Đặng', birthdate: '1979-03-03' },
      { givenName: 'Ánh', familyName: 'Đặng', birthdate: `${Number(from.slice(0, 4)) - 6}-01-01` },
    ]);
    const [adult, child] = family.permits;
    const filed = await fileOnline(family, from, { [child.id]: adult.id });
    const adultPage = page(await family.agent.get(`/uvf/demandes/${filed.requestOf(adult.id)}`).expect(200));
    expect(adultPage.texts('unit-rules')).toEqual([expect.stringContaining('Règlement de « UVF Żuraw »')]);
    expect(adultPage.text('unit-rules')).toContain('Les draps sont fournis.');
    expect(adultPage.has('rules-upload')).toBe(true);
    const childPage = page(await family.agent.get(`/uvf/demandes/${filed.requestOf(child.id)}`).expect(200));
    expect(childPage.has('rules-upload')).toBe(false);
    expect(childPage.text('minor-rules')).toContain('aucun règlement signé n’est demandé pour Ánh ĐẶNG');
    await query(`UPDATE family_units SET active = false WHERE id = $1`, [unit.id]);
  });

  it('shows a convocation on the establishment’s clock with its place, reminders planned like a visit’s, and a link to cancel it on « Mes rendez-vous »', async () => {
    const phone = uniquePhone().e164;
    const ayse = await familyWith([{ givenName: 'Ayşe', familyName: 'Kılıç', birthdate: '1979-09-09' }], { mobilePhone: phone });
    const filed = await fileOnline(ayse, dayFromToday(50));
    const requestId = filed.requestOf(ayse.permits[0].id);
    const day = dayFromToday(6);
    const interview = await scheduleInterview(filed.caseId, requestId, day, '14:30');
    expect(interview.appointmentId).not.toBeNull();

    // Reminders as for a visit: by e-mail 2 days before, by SMS the day before (the family gave a mobile number).
    const { startsAt } = await queryOne<{ startsAt: Date }>(`SELECT starts_at AS "startsAt" FROM appointments WHERE id = $1`, [
      interview.appointmentId,
    ]);
    const reminders = await query<{ channel: string; sendAfter: Date }>(
      `SELECT channel, send_after AS "sendAfter" FROM notifications
        WHERE entity_type = 'appointment' AND entity_id = $1 AND category = 'REMINDER' ORDER BY send_after`,
      [interview.appointmentId],
    );
    expect(reminders).toEqual([
      { channel: 'EMAIL', sendAfter: new Date(startsAt.getTime() - 2 * DAY) },
      { channel: 'SMS', sendAfter: new Date(startsAt.getTime() - DAY) },
    ]);

    const url = `/uvf/demandes/${requestId}`;
    const shown = page(await ayse.agent.get(url).expect(200));
    expect(shown.text('interview-when')).toMatch(/ à 14 h 30 \(heure locale\)$/);
    expect(shown.text('interview-mode')).toBe('En présentiel');
    expect(shown.text('interview-where')).toBe(`SPIP, accueil du public, ${guyane.name}`);
    expect(shown.text('interview-status')).toBe('Prévu');
    expect(shown.has('interview-convocation')).toBe(true);
    const cancelUrl = shown.$('[data-testid="interview-cancel"]').attr('href')!;
    expect(cancelUrl).toBe(`/mes-rendez-vous/${interview.appointmentId}/annuler`);
    expect(shown.link('Mes rendez-vous')).toBe('/mes-rendez-vous');
    // Nothing of the counsellor's own history (the interview's event is the staff's).
    expect(shown.text('history')).not.toContain('Entretien prévu');

    const confirm = page(await ayse.agent.get(cancelUrl).expect(200));
    await ayse.agent.post(cancelUrl).type('form').send({ _csrf: confirm.csrf() }).expect(303);
    const cancelled = page(await ayse.agent.get(url).expect(200));
    expect(cancelled.text('interview-status')).toBe('Annulé');
    expect(cancelled.has('interview-cancel')).toBe(false);
    expect(
      await query(`SELECT status FROM notifications WHERE entity_id = $1 AND category = 'REMINDER'`, [interview.appointmentId]),
    ).toEqual([{ status: 'CANCELLED' }, { status: 'CANCELLED' }]);
  });

  it('shows the stay booked for a granted request, on the establishment’s clock, with a link to the stay’s page, and none to a family whose request was refused', async () => {
    const c = await insertFamilyVisitCase({ establishmentId: guyane.id, detaineeId: detainee.id, status: 'DECIDED' });
    await insertDetaineeRequest(c.id);
    const granted = await familyWith([{ givenName: 'Şükrü', familyName: 'Öztürk', birthdate: '1970-01-01' }]);
    const refused = await familyWith([{ givenName: 'Nasrin', familyName: 'عباس', birthdate: '1975-07-07' }]);
    const requestOf = async (family: FamilyRow, permitId: string) =>
      (
        await queryOne<{ id: string }>(
          `INSERT INTO family_visit_requests (case_id, applicant, permit_id, family_account_id, channel, received_at)
           VALUES ($1, 'VISITOR', $2, $3, 'ONLINE', now()) RETURNING id`,
          [c.id, permitId, family.id],
        )
      ).id;
    const grantedId = await requestOf(granted.family, granted.permits[0].id);
    const refusedId = await requestOf(refused.family, refused.permits[0].id);
    await decide(grantedId, 'GRANTED');
    await decide(refusedId, 'REFUSED');
    const unit = await insertUnit(guyane.id, { name: 'UVF Świt', accessible: true });
    const startsAt = new Date(`${dayFromToday(7)}T13:00:00Z`); // 10:00 in Cayenne
    const { id: stayId } = await queryOne<{ id: string }>(
      `INSERT INTO family_visit_stays (case_id, unit_id, during, visitors) VALUES ($1, $2, tstzrange($3, $4, '[)'), 1) RETURNING id`,
      [c.id, unit.id, startsAt, new Date(startsAt.getTime() + DAY)],
    );
    const shown = page(await granted.agent.get(`/uvf/demandes/${grantedId}`).expect(200));
    expect(shown.text('stay-dates')).toMatch(/^Du .+ à 10 h 00 au .+ à 10 h 00 \(heure locale\)$/);
    expect(shown.text('stay-status')).toBe('Réservé');
    expect(shown.text('stay')).toContain('UVF Świt');
    expect(shown.$('[data-testid="stay-link"]').attr('href')).toBe(`/uvf/sejours/${stayId}`);
    // The other family of the case, refused, sees no stay and nothing of the granted family.
    const other = page(await refused.agent.get(`/uvf/demandes/${refusedId}`).expect(200));
    expect(other.has('stay')).toBe(false);
    expect(other.texts('family-request-name')).toEqual(['Nasrin عباس']);
    // A cancelled stay is not shown.
    await query(`UPDATE family_visit_stays SET status = 'CANCELLED', end_reason = 'Unité indisponible (travaux)' WHERE id = $1`, [stayId]);
    expect(page(await granted.agent.get(`/uvf/demandes/${grantedId}`).expect(200)).has('stay')).toBe(false);
  });

  it('a family never sees another family’s request, documents, convocations or history, even in the same case (404)', async () => {
    const from = dayFromToday(70);
    const mine = await familyWith([{ givenName: 'Łucja', familyName: 'Kowalczyk', birthdate: '1988-08-08' }]);
    const theirs = await familyWith([{ givenName: 'Ōtsuka', familyName: 'Şahin', birthdate: '1990-01-01' }]);
    const myFiling = await fileOnline(mine, from);
    // Their request is put in the same case by the counsellor, from their letter (online, another family opens its own case).
    const casePath = `/etablissements/${guyane.code}/uvf/dossiers/${myFiling.caseId}/demandes`;
    const entered = await postForm(counsellor, casePath, casePath.replace(/demandes$/, 'visiteurs'), {
      permitId: theirs.permits[0].id,
      receivedOn: dayFromToday(-1),
      channel: 'LETTER',
    });
    expect(entered.status).toBe(303);
    const theirFiling = { caseId: myFiling.caseId };
    const myRequest = myFiling.requestOf(mine.permits[0].id);
    const theirRequest = (
      await queryOne<{ id: string }>(`SELECT id FROM family_visit_requests WHERE permit_id = $1`, [theirs.permits[0].id])
    ).id;
    const doc = await insertFamilyVisitDocument(suite.docs, theirRequest);
    const convocation = await scheduleInterview(theirFiling.caseId, theirRequest, dayFromToday(9), '09:00', 'VISIO');

    await mine.agent.get(`/uvf/demandes/${theirRequest}`).expect(404);
    await mine.agent.get(`/uvf/documents/${doc.id}`).expect(404);
    await mine.agent.get(`/mes-rendez-vous/${convocation.appointmentId}/annuler`).expect(404);
    const csrf = page(await mine.agent.get(`/uvf/demandes/${myRequest}`).expect(200)).csrf();
    await mine.agent.post(`/mes-rendez-vous/${convocation.appointmentId}/annuler`).type('form').send({ _csrf: csrf }).expect(404);
    expect(await queryOne(`SELECT status FROM appointments WHERE id = $1`, [convocation.appointmentId])).toEqual({ status: 'BOOKED' });

    const myPage = page(await mine.agent.get(`/uvf/demandes/${myRequest}`).expect(200));
    expect(myPage.texts('family-request-name')).toEqual(['Łucja KOWALCZYK']);
    expect(myPage.has('interview')).toBe(false);
    expect(myPage.text('history')).not.toContain('Ōtsuka');
    expect(myPage.mainText()).not.toContain('ŞAHIN');
    const list = page(await mine.agent.get('/uvf').expect(200));
    expect(list.texts('request-visitor')).toEqual(['Łucja KOWALCZYK']);
    // Theirs, as they see it: their convocation, in the morning on the establishment's clock.
    const theirPage = page(await theirs.agent.get(`/uvf/demandes/${theirRequest}`).expect(200));
    expect(theirPage.text('interview-when')).toMatch(/ à 09 h 00 \(heure locale\)$/);
    expect(theirPage.text('interview-mode')).toBe('En visioconférence');
  });
});

describe('the UVF / PF demo', () => {
  it('Camille sees on /uvf her request under instruction with its convocation, and her authorised visit with its stay next week', async () => {
    const { agent } = await signIn(suite.app.url, FAMILY.camille);
    const list = page(await agent.get('/uvf').expect(200));
    expect(list.texts('request-status').sort()).toEqual(['Accordée', 'Reçue, en cours d’instruction']);
    const links = list.$('a[data-testid="request-visitor"]').toArray();
    const pages = await Promise.all(links.map(async (a) => page(await agent.get(list.$(a).attr('href')!).expect(200))));
    const open = pages.find((p) => p.text('request-status') === 'Reçue, en cours d’instruction')!;
    expect(open.text('interview-status')).toBe('Prévu');
    expect(open.text('interview-when')).toMatch(/\(heure de Paris\)$/);
    expect(open.has('interview-cancel')).toBe(true);
    expect(open.text('history')).toContain('Demande de Camille MARTIN déposée en ligne.');
    const granted = pages.find((p) => p.text('request-status') === 'Accordée')!;
    expect(granted.text('stay')).toContain('UVF 1 — Les Tilleuls');
    expect(granted.text('stay-status')).toBe('Réservé');
    expect(granted.$('[data-testid="stay-link"]').attr('href')).toMatch(/^\/uvf\/sejours\/[0-9a-f-]{36}$/);
  });

  it('the authorised demo case is signed by the demo head, with the grant letters to the detainee and to Camille and the JAP notice; Camille reads hers on her request page', async () => {
    const [head] = await query<{ label: string }>(
      `SELECT a.first_name || ' ' || upper(a.last_name) || ', ' || coalesce(a.quality, 'chef d’établissement') AS label
         FROM agents a JOIN role_assignments ra ON ra.agent_id = a.id JOIN establishments e ON e.id = ra.establishment_id
        WHERE e.code = 'CPNORD' AND ra.role = 'HEAD_OF_ESTABLISHMENT' ORDER BY a.id LIMIT 1`,
    );
    const requests = await query<{ id: string; applicant: string; decidedAs: string | null }>(
      `SELECT r.id, r.applicant, r.decided_as AS "decidedAs" FROM family_visit_requests r JOIN family_visit_cases c ON c.id = r.case_id
         JOIN establishments e ON e.id = c.establishment_id
        WHERE e.code = 'CPNORD' AND c.status = 'DECIDED' AND r.status = 'GRANTED' ORDER BY r.applicant`,
    );
    expect(requests.map((r) => [r.applicant, r.decidedAs])).toEqual([
      ['DETAINEE', head.label],
      ['VISITOR', head.label],
    ]);
    const letters = await query<{ kind: string; toFamily: boolean; author: string; recourse: boolean; paragraphs: string[] }>(
      `SELECT kind, family_account_id IS NOT NULL AS "toFamily", author, (body->>'recourse')::boolean AS recourse, body->'paragraphs' AS paragraphs
         FROM letters WHERE family_visit_request_id = ANY($1) ORDER BY kind, family_account_id IS NOT NULL`,
      [requests.map((r) => r.id)],
    );
    expect(letters.map((l) => [l.kind, l.toFamily])).toEqual([
      ['FV_GRANT', false],
      ['FV_GRANT', false],
      ['FV_GRANT', true],
      ['FV_JAP_NOTICE', false],
      ['FV_JAP_NOTICE', false],
    ]);
    for (const l of letters) {
      expect(l.author).toBe(head.label);
      expect(l.recourse).toBe(false);
    }
    expect(letters.find((l) => l.toFamily)!.paragraphs.join(' ')).toContain(
      'J’autorise cette visite de Camille MARTIN, pour une durée de 24 heures.',
    );

    const { agent } = await signIn(suite.app.url, FAMILY.camille);
    const granted = page(await agent.get(`/uvf/demandes/${requests.find((r) => r.applicant === 'VISITOR')!.id}`).expect(200));
    expect(granted.text('request-status')).toBe('Accordée');
    expect(granted.has('no-letter')).toBe(false);
    expect(granted.texts('decision-letter')).toEqual([expect.stringContaining('Autorisation de visite — Unité de vie familiale (UVF)')]);
    expect(granted.text('history')).toContain('Votre demande est accordée pour 24 heures. Le courrier de décision est disponible.');
    const pdf = await agent.get(granted.testId('decision-letter').find('a').attr('href')!).expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
  });

  it('the Nord establishment has a UVF and a family parlour, one of them accessible, and the detainee’s interview is done', async () => {
    const units = await query<{ kind: string; accessible: boolean }>(
      `SELECT u.kind, u.accessible FROM family_units u JOIN establishments e ON e.id = u.establishment_id WHERE e.code = 'CPNORD' ORDER BY u.kind`,
    );
    expect(units.map((u) => u.kind)).toEqual(['PF', 'UVF']);
    expect(units.some((u) => u.accessible)).toBe(true);
    const { agent } = await signIn(suite.app.url, STAFF.spipNord);
    const queue = page(await agent.get('/etablissements/CPNORD/uvf/dossiers?statut=INSTRUCTION').expect(200));
    const file = page(await agent.get(queue.$('[data-testid="queue-row"] a').first().attr('href')!).expect(200));
    expect(file.texts('interview-status').sort()).toEqual(['Prévu', 'Réalisé']);
  });
});
