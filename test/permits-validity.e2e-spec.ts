import { query, queryOne } from './helpers/db';
import { optionsOfEveryWeek } from './helpers/booking-weeks';
import { photoPng } from './helpers/files';
import { page } from './helpers/html';
import { permitsApp } from './helpers/permits';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';
import {
  type AgentRow,
  grantRole,
  insertAgentElsewhere,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { setPermitTerms } from './factories/validity';
import { at, dayIn, insertRoom, insertSlotTemplate, insertVisit, insertWaitlistEntry, weekdayOf } from './factories/visits';

/**
 * A permit is permanent or limited (end date, number of visits) and may set conditions of place and
 * time (R341-1): booking, moving, the waiting list and the door check all enforce them, through HTTP.
 */
const suite = permitsApp();
let parloirRow: AgentRow;
let parloir: Agent;
beforeAll(async () => {
  // The visiting-room agent of the file; each test gives them a role in its own establishment.
  parloirRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Siobhán', usualName: 'Ó Briain' });
  parloir = await signInAgent(suite.app.url, parloirRow);
});

/** The visit day: in three days (outside the notice), and a week later. */
const DAY = dayIn(3);
const WEEK_LATER = dayIn(10);
const YESTERDAY = dayIn(-1);
const frDate = (d: string) => d.split('-').reverse().join('/');

/**
 * An establishment with an ordinary room (14:00–15:00) and a room with a separation device
 * (16:00–17:00), both on the weekday of DAY; a family holding a permit for a condamné.
 */
async function visitingRoom(o: { establishment?: EstablishmentRow } = {}) {
  const establishment = o.establishment ?? (await insertEstablishment());
  const ordinaryRoom = await insertRoom(establishment.id, { name: 'Parloir familles', kind: 'ORDINARY' });
  const separationRoom = await insertRoom(establishment.id, { name: 'Parloir hygiaphone', kind: 'SEPARATION' });
  const ordinary = await insertSlotTemplate(ordinaryRoom.id, { dayOfWeek: weekdayOf(DAY), start: '14:00', end: '15:00' });
  const separation = await insertSlotTemplate(separationRoom.id, { dayOfWeek: weekdayOf(DAY), start: '16:00', end: '17:00' });
  const detainee = await insertDetainee(establishment.id, { firstName: 'Yusuf', lastName: 'Kaya' });
  const family: FamilyRow = await insertFamily({ givenName: 'Ayşe', familyName: 'Kaya' });
  const permit = await insertPermit({
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    familyAccountId: family.id,
    visitorGivenName: 'Ayşe',
    visitorFamilyName: 'Kaya',
  });
  await grantRole(parloirRow.id, establishment.id, 'PARLOIR_AGENT');
  const agent = await signInFamily(suite.app.url, family);
  // The token of the family's booking form, taken while the permit is still plain (the session's token).
  const csrf = page(await agent.get('/visites/reserver').expect(200)).csrf();
  return { establishment, ordinaryRoom, separationRoom, ordinary, separation, detainee, family, permit, agent, csrf };
}

type Room = Awaited<ReturnType<typeof visitingRoom>>;

/** The slots the family's booking form offers for a weekly slot, week after week. */
async function offered(r: Room, templateId: string): Promise<string[]> {
  return (await optionsOfEveryWeek(r.agent, '/visites/reserver')).filter((v) => v.startsWith(`${templateId}|`));
}

/** The family books (or joins the waiting list of) a slot, even one its form does not offer. */
async function familyBooks(r: Room, slot: string, action: 'book' | 'wait' = 'book') {
  return r.agent
    .post('/visites/reserver')
    .type('form')
    .send({ _csrf: r.csrf, key: `k-${slot}-${action}`, detaineeId: r.detainee.id, permitIds: r.permit.id, slot, action });
}

/** The agent's booking form for the detainee (its fields: CSRF token, idempotency key). */
async function staffForm(r: Room) {
  const url = `/etablissements/${r.establishment.code}/visites/reserver`;
  return page(await parloir.get(`${url}?ecrou=${r.detainee.ecrouNumber}`).expect(200)).formFields(url);
}

/** The visiting room books for the family, by phone (`fields`: of a form read before, else read now). */
async function staffBooks(r: Room, slot: string, fields?: Record<string, string>) {
  const url = `/etablissements/${r.establishment.code}/visites/reserver`;
  return parloir
    .post(url)
    .type('form')
    .send({
      ...(fields ?? (await staffForm(r))),
      ecrou: r.detainee.ecrouNumber,
      permitIds: r.permit.id,
      slot,
      channel: 'PHONE',
      phone: '06 12 34 56 78',
      confirme: 'oui', // as if read back and confirmed
    });
}

function visitsOf(detaineeId: string) {
  return query(`SELECT count(*)::int AS n FROM visits WHERE detainee_id = $1 AND status <> 'CANCELLED'`, [detaineeId]);
}

/** A visit of the room's detainee with its permit, in the ordinary room (`familyAccountId` when a family booked it). */
function permitVisit(r: Room, startsAt: Date, familyAccountId?: string) {
  return insertVisit({
    establishmentId: r.establishment.id,
    roomId: r.ordinaryRoom.id,
    detaineeId: r.detainee.id,
    ...(familyAccountId ? { familyAccountId } : {}),
    permitIds: [r.permit.id],
    startsAt,
  });
}

/** The door: the arrival page of a visit, and one tap on a visitor. */
async function door(r: Room, visitId: string, visitorId: string, fields: Record<string, string>) {
  const base = `/etablissements/${r.establishment.code}/parloir/visites/${visitId}`;
  const visitPage = page(await parloir.get(base).expect(200));
  const res = await parloir
    .post(`${base}/visiteurs/${visitorId}`)
    .type('form')
    .send({ _csrf: visitPage.csrf(), ...fields });
  return { visitPage, res };
}

describe('an expired permit (valid until yesterday)', () => {
  it('cannot be booked by the family or by the visiting room, nor put on a waiting list', async () => {
    const r = await visitingRoom();
    await setPermitTerms(r.permit.id, { validTo: YESTERDAY });
    const expired = `Un des permis est expiré : il n’était valable que jusqu’au ${frDate(YESTERDAY)}.`;
    const expiredForFamily = `${expired} Pour venir, demandez un nouveau permis de visite.`;
    expect(await offered(r, r.ordinary.id)).toEqual([]);
    const slot = `${r.ordinary.id}|${DAY}`;

    const family = await familyBooks(r, slot);
    expect(family.status).toBe(400);
    expect(page(family).errors()).toEqual([expiredForFamily]);
    const staff = await staffBooks(r, slot);
    expect(staff.status).toBe(400);
    expect(page(staff).errors()).toEqual([expired]);
    const wait = await familyBooks(r, slot, 'wait');
    expect(wait.status).toBe(400);
    expect(page(wait).errors()).toEqual([expiredForFamily]);

    expect(await visitsOf(r.detainee.id)).toEqual([{ n: 0 }]);
    expect(await query(`SELECT count(*)::int AS n FROM visit_waitlist WHERE detainee_id = $1`, [r.detainee.id])).toEqual([{ n: 0 }]);
  });

  it('a visit cannot be moved to a day after the permit’s end', async () => {
    const r = await visitingRoom();
    await setPermitTerms(r.permit.id, { validTo: DAY });
    const visit = await insertVisit({
      establishmentId: r.establishment.id,
      roomId: r.ordinaryRoom.id,
      templateId: r.ordinary.id,
      detaineeId: r.detainee.id,
      familyAccountId: r.family.id,
      permitIds: [r.permit.id],
      startsAt: at(DAY, '14:00'),
    });
    const movePage = page(await r.agent.get(`/visites/${visit.id}/deplacer`).expect(200));
    // Only the other slot of the same day is offered: none after the end of the permit.
    expect(movePage.options('slot')).toEqual([`${r.separation.id}|${DAY}`]);
    const late = await r.agent
      .post(`/visites/${visit.id}/deplacer`)
      .type('form')
      .send({ _csrf: movePage.csrf(), slot: `${r.ordinary.id}|${WEEK_LATER}` });
    expect(late.status).toBe(400);
    expect(page(late).errors()).toEqual([
      `La visite ne peut pas être déplacée sur ce créneau. Un des permis est expiré : il n’était valable que jusqu’au ${frDate(DAY)}. Pour venir, demandez un nouveau permis de visite.`,
    ]);
    expect(
      await queryOne(`SELECT to_char(lower(during) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day FROM visits WHERE id = $1`, [
        visit.id,
      ]),
    ).toEqual({
      day: DAY,
    });
  });

  it('cannot be checked in at the door: the agent reads why and can only refuse', async () => {
    const r = await visitingRoom();
    await setPermitTerms(r.permit.id, { validTo: YESTERDAY });
    const visit = await permitVisit(r, at(dayIn(0), '23:00'));
    const [visitor] = visit.visitorIds;
    const { visitPage, res } = await door(r, visit.id, visitor, { status: 'ARRIVED' });
    expect(visitPage.text('visitor-warning')).toBe(
      `Le permis de ce visiteur est expiré : il n’était valable que jusqu’au ${frDate(YESTERDAY)}. La visite n’est pas possible : refusez l’accès.`,
    );
    expect(visitPage.$(`#visitor-${visitor} input[value="ARRIVED"] + button`).attr('disabled')).toBeDefined();
    expect(visitPage.$(`#reason-${visitor} option[selected]`).attr('value')).toBe('PERMIT_INVALID');
    expect(res.status).toBe(409);
    expect(page(res).errors()).toEqual([
      `Le permis de ce visiteur est expiré : il n’était valable que jusqu’au ${frDate(YESTERDAY)}. Refusez l’accès avec le motif « permis non valable pour cette visite ».`,
    ]);
    const refused = await door(r, visit.id, visitor, { status: 'REFUSED', reason: 'PERMIT_INVALID' });
    expect(refused.res.status).toBe(303);
    expect(await query(`SELECT check_status, refusal_reason FROM visit_visitors WHERE id = $1`, [visitor])).toEqual([
      { check_status: 'REFUSED', refusal_reason: 'PERMIT_INVALID' },
    ]);
  });
});

describe('a permit for a number of visits', () => {
  it('used up by an earlier visit: refused at the door, the visit page says why; without the limit the same visitor is let in', async () => {
    const r = await visitingRoom();
    await setPermitTerms(r.permit.id, { maxVisits: 1 });
    await permitVisit(r, at(dayIn(-7), '14:00'));
    const visit = await permitVisit(r, at(dayIn(0), '23:00'));
    const [visitor] = visit.visitorIds;
    const { visitPage, res } = await door(r, visit.id, visitor, { status: 'ARRIVED' });
    expect(visitPage.text('visitor-warning')).toMatch(/1 visite/);
    expect(res.status).toBe(409);
    // Without the limit, the same visitor is let in.
    await setPermitTerms(r.permit.id, { maxVisits: null });
    const unlimited = await door(r, visit.id, visitor, { status: 'ARRIVED' });
    expect(unlimited.visitPage.$('[data-testid="visitor-warning"]').length).toBe(0);
    expect(unlimited.res.status).toBe(303);
  });
});

describe('the waiting list', () => {
  it('does not offer a freed place to a family whose permit will have expired by then: the next family gets it', async () => {
    const r = await visitingRoom();
    const small = await insertSlotTemplate(r.ordinaryRoom.id, { dayOfWeek: weekdayOf(DAY), start: '10:00', end: '11:00', capacity: 1 });
    const startsAt = at(DAY, '10:00');
    const someone = await insertDetainee(r.establishment.id);
    const taken = await insertVisit({
      establishmentId: r.establishment.id,
      roomId: r.ordinaryRoom.id,
      templateId: small.id,
      detaineeId: someone.id,
      startsAt,
      capacity: 1,
    });
    // The Kaya family joined when its permit ran until after the visit; it now ends before.
    const first = await insertWaitlistEntry({
      establishmentId: r.establishment.id,
      templateId: small.id,
      day: DAY,
      startsAt,
      familyAccountId: r.family.id,
      detaineeId: r.detainee.id,
      permitIds: [r.permit.id],
    });
    await setPermitTerms(r.permit.id, { validTo: dayIn(1) });
    const other = await insertDetainee(r.establishment.id);
    const nextFamily = await insertFamily({ givenName: 'Văn An', familyName: 'Nguyễn' });
    const nextPermit = await insertPermit({
      establishmentId: r.establishment.id,
      detaineeId: other.id,
      familyAccountId: nextFamily.id,
      visitorGivenName: 'Văn An',
      visitorFamilyName: 'Nguyễn',
    });
    const second = await insertWaitlistEntry({
      establishmentId: r.establishment.id,
      templateId: small.id,
      day: DAY,
      startsAt,
      familyAccountId: nextFamily.id,
      detaineeId: other.id,
      permitIds: [nextPermit.id],
    });

    const base = `/etablissements/${r.establishment.code}/parloir/visites/${taken.id}`;
    const visitPage = page(await parloir.get(base).expect(200));
    await parloir
      .post(`${base}/annuler`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), confirm: 'oui', reason: 'FAMILY_REQUEST' })
      .expect(303);

    expect(await query(`SELECT id, status FROM visit_waitlist WHERE template_id = $1 ORDER BY created_at`, [small.id])).toEqual([
      { id: first.id, status: 'EXPIRED' },
      { id: second.id, status: 'OFFERED' },
    ]);
    expect(
      await query(`SELECT after->>'reason' AS reason FROM audit_log WHERE action = 'WAITLIST_NOT_OFFERED' AND entity_id = $1`, [first.id]),
    ).toEqual([{ reason: `Un des permis est expiré : il n’était valable que jusqu’au ${frDate(dayIn(1))}.` }]);
  });
});

describe('limits and conditions', () => {
  it('a permit for one visit, already used, cannot book a second', async () => {
    const r = await visitingRoom();
    await setPermitTerms(r.permit.id, { maxVisits: 1 });
    await permitVisit(r, at(dayIn(-7), '14:00'), r.family.id);
    const second = await familyBooks(r, `${r.ordinary.id}|${DAY}`);
    expect(second.status).toBe(400);
    expect(page(second).errors()).toEqual([
      'Un des permis ne permet que 1 visite : elle est déjà réservée ou faite. Pour une autre visite, demandez un nouveau permis de visite.',
    ]);
    expect(await visitsOf(r.detainee.id)).toEqual([{ n: 1 }]);
  });

  it('a separation-room permit is offered and books only a separation room, and is refused an ordinary one', async () => {
    const r = await visitingRoom();
    await setPermitTerms(r.permit.id, { roomCondition: 'SEPARATION' });
    expect(await offered(r, r.ordinary.id)).toEqual([]);
    expect(await offered(r, r.separation.id)).toContain(`${r.separation.id}|${DAY}`);
    const ordinary = await familyBooks(r, `${r.ordinary.id}|${DAY}`);
    expect(ordinary.status).toBe(400);
    expect(page(ordinary).errors()).toEqual([
      'Un des permis impose un parloir particulier : parloir avec dispositif de séparation. Choisissez un créneau dans ce parloir.',
    ]);
    const staffUrl = `/etablissements/${r.establishment.code}/visites/reserver?ecrou=${r.detainee.ecrouNumber}`;
    expect((await optionsOfEveryWeek(parloir, staffUrl)).filter((v) => v.startsWith(`${r.ordinary.id}|`))).toEqual([]);
    // Both pages say why before the slot is chosen (the week of the day), in the booking's words.
    const staffForm = page(await parloir.get(`${staffUrl}&semaine=${DAY}`).expect(200));
    const familyForm = page(await r.agent.get(`/visites/reserver?semaine=${DAY}`).expect(200));
    // The family reads its catalog (the room's label, and what to do), the visiting room the permit's French.
    expect(familyForm.$(`[data-slot="${r.ordinary.id}|${DAY}"] [data-testid="slot-reason"]`).text()).toBe(
      'Indisponible : Un des permis impose un parloir particulier : parloir avec dispositif de séparation. Choisissez un créneau dans ce parloir.',
    );
    expect(staffForm.$(`[data-slot="${r.ordinary.id}|${DAY}"] [data-testid="slot-reason"]`).text()).toBe(
      'Indisponible : Un des permis impose un parloir particulier : parloir avec dispositif de séparation.',
    );
    expect((await familyBooks(r, `${r.separation.id}|${DAY}`)).status).toBe(303);
    expect(
      await query(
        `SELECT r.kind FROM visits v JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id WHERE v.detainee_id = $1`,
        [r.detainee.id],
      ),
    ).toEqual([{ kind: 'SEPARATION' }]);
  });

  it('a permit for some days and hours refuses a slot outside them', async () => {
    const r = await visitingRoom();
    const otherDay = (weekdayOf(DAY) % 7) + 1;
    await setPermitTerms(r.permit.id, { allowedDays: [otherDay] });
    const wrongDay = await staffBooks(r, `${r.ordinary.id}|${DAY}`);
    expect(wrongDay.status).toBe(400);
    expect(page(wrongDay).errors()).toEqual(['Un des permis ne permet pas de visite ce jour-là.']);
    await setPermitTerms(r.permit.id, { allowedDays: null, allowedFrom: '09:00', allowedTo: '15:00' });
    expect(await offered(r, r.separation.id)).toEqual([]);
    const wrongHour = await familyBooks(r, `${r.separation.id}|${DAY}`);
    expect(wrongHour.status).toBe(400);
    expect(page(wrongHour).errors()).toEqual([
      'Un des permis ne permet de visite que de 09 h 00 à 15 h 00. Choisissez un créneau dans ces horaires.',
    ]);
    expect((await familyBooks(r, `${r.ordinary.id}|${DAY}`)).status).toBe(303);
  });

  it('a permit on hold (the magistrate is asked) is refused at booking and at the door', async () => {
    const r = await visitingRoom();
    const fields = await staffForm(r); // read while the permit is listed: on hold, it is not
    await setPermitTerms(r.permit.id, { status: 'ON_HOLD' });
    const onHold = 'Un des permis est en attente de la réponse du magistrat : aucune visite n’est possible pour l’instant.';
    const family = await familyBooks(r, `${r.ordinary.id}|${DAY}`);
    expect(family.status).toBe(400);
    expect(page(family).errors()).toEqual([`${onHold} Attendez sa réponse pour réserver.`]);
    const staff = await staffBooks(r, `${r.ordinary.id}|${DAY}`, fields);
    expect(staff.status).toBe(400);
    expect(page(staff).errors()).toEqual([onHold]);

    const visit = await permitVisit(r, at(dayIn(0), '23:00'));
    const { res } = await door(r, visit.id, visit.visitorIds[0], { status: 'ARRIVED' });
    expect(res.status).toBe(409);
    expect(page(res).errors()).toEqual([
      'Le permis de ce visiteur est en attente de la réponse du magistrat : aucune visite n’est possible pour l’instant. ' +
        'Refusez l’accès avec le motif « permis non valable pour cette visite ».',
    ]);
    expect(await query(`SELECT check_status FROM visit_visitors WHERE id = $1`, [visit.visitorIds[0]])).toEqual([{ check_status: null }]);
  });
});

describe('the establishment records and changes limits and conditions', () => {
  it('a permit recorded with conditions shows them on its page; the head changes them (audited)', async () => {
    const establishment = await insertEstablishment();
    const prevenu = await insertDetainee(establishment.id, { firstName: 'Ömer', lastName: 'Şahin', legalStatus: 'PREVENU' });
    const greffeRow = await insertAgentElsewhere('PERMITS_OFFICER', { givenName: 'Ștefan', usualName: 'Popescu' });
    await grantRole(greffeRow.id, establishment.id, 'PERMITS_OFFICER');
    const greffe = await signInAgent(suite.app.url, greffeRow);
    const permits = `/etablissements/${establishment.code}/permis`;
    const form = page(await greffe.get(`${permits}/enregistrer`).expect(200));
    const photo = await photoPng();
    const send = (fields: [string, string][]) => {
      let req = greffe.post(`${permits}/enregistrer`).field('_csrf', form.csrf());
      for (const [k, v] of fields) req = req.field(k, v);
      return req.attach('fichier', photo, 'photo.png');
    };
    const fields: [string, string][] = [
      ['ecrou', prevenu.ecrouNumber],
      ['givenName', 'Gül'],
      ['familyName', 'Haddad-Şahin'],
      ['birthdate', '03/04/1988'],
      ['relationship', 'SIBLING'],
      ['origin', 'MAGISTRATE'],
      ['validFrom', '01/11/2026'],
      ['validTo', '31/12/2026'],
      ['issuingAuthority', 'Mme Nguyễn, juge d’instruction, tribunal judiciaire de Lille'],
      ['paperReference', 'JI-2026-042'],
      ['maxVisits', '3'],
      ['roomCondition', 'SEPARATION'],
      ['allowedDays', '3'],
      ['allowedDays', '6'],
    ];
    const badHours = await send([...fields, ['allowedFrom', '14:00'], ['allowedTo', '10:00']]).expect(400);
    expect(page(badHours).fieldError('allowedTo')).toBe('L’heure de fin doit être après l’heure de début');
    const onlyOne = await send([...fields, ['allowedFrom', '14:00']]).expect(400);
    expect(page(onlyOne).fieldError('allowedTo')).toBe(
      'Saisissez une heure au format HH:MM (par exemple 09:30), ou laissez les deux heures vides',
    );
    const ok = await send([...fields, ['allowedFrom', '9:00'], ['allowedTo', '12h00'], ['conditionsNote', 'Aucun objet remis']]).expect(
      303,
    );
    const permitUrl = ok.headers.location;
    const permitPage = page(await greffe.get(permitUrl).expect(200));
    expect(permitPage.text('permit-state')).toBe('Valide');
    expect(permitPage.text('permit-limits')).toBe('Limité : jusqu’au 31/12/2026, 3 visites (0 utilisée)');
    expect(
      permitPage
        .$('[data-testid="permit-conditions"] li')
        .toArray()
        .map((li) => permitPage.$(li).text()),
    ).toEqual(['Parloir avec dispositif de séparation', 'Jours : mercredi, samedi', 'Heures : de 09 h 00 à 12 h 00', 'Aucun objet remis']);
    expect(permitPage.text('permit-issuer')).toBe('Délivré par : Mme Nguyễn, juge d’instruction, tribunal judiciaire de Lille');
    expect(permitPage.text('permit-paper-reference')).toBe('Référence du permis papier : JI-2026-042');

    // The head changes them: the separation stays, the days and hours go.
    const headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zofia', usualName: 'Łukasiewicz' });
    await grantRole(headRow.id, establishment.id, 'HEAD_OF_ESTABLISHMENT');
    const head = await signInAgent(suite.app.url, headRow);
    const conditionsUrl = `${permitUrl}/conditions`;
    const edit = page(await head.get(conditionsUrl).expect(200));
    expect(
      edit
        .$('input[name="allowedDays"][checked]')
        .toArray()
        .map((e) => edit.$(e).attr('value')),
    ).toEqual(['3', '6']);
    const badMax = await head
      .post(conditionsUrl)
      .type('form')
      .send({ _csrf: edit.csrf(), maxVisits: '0', roomCondition: 'SEPARATION' })
      .expect(400);
    expect(page(badMax).fieldError('maxVisits')).toBe('Le nombre de visites doit être au moins 1 (ou laissez vide : sans limite)');
    // The magistrate is competent for a prévenu's permit: the change is only the recording of his decision.
    expect(edit.text('conditions-authority')).toContain('Ce permis relève du magistrat chargé du dossier');
    const unnamed = await head
      .post(conditionsUrl)
      .type('form')
      .send({ _csrf: edit.csrf(), maxVisits: '', roomCondition: 'SEPARATION' })
      .expect(400);
    expect(page(unnamed).fieldError('magistrateDecision')).toContain('ses conditions ne changent que sur sa décision');
    const decision = 'Ordonnance de Mme Nguyễn, juge d’instruction, tribunal judiciaire de Lille, du 20/11/2026';
    await head
      .post(conditionsUrl)
      .type('form')
      .send({ _csrf: edit.csrf(), maxVisits: '', roomCondition: 'SEPARATION', magistrateDecision: decision })
      .expect(303);
    const after = page(await head.get(permitUrl).expect(200));
    expect(after.text('permit-limits')).toBe('Limité : jusqu’au 31/12/2026');
    expect(
      after
        .$('[data-testid="permit-conditions"] li')
        .toArray()
        .map((li) => after.$(li).text()),
    ).toEqual(['Parloir avec dispositif de séparation']);
    const permitId = permitUrl.split('/').pop();
    expect(
      await query(
        `SELECT actor_id AS "actorId", before->>'maxVisits' AS before, after->>'maxVisits' AS after FROM audit_log
                    WHERE action = 'PERMIT_CONDITIONS_PRESCRIBED' AND after->>'magistrateDecision' = $2 AND entity_id = $1`,
        [permitId, decision],
      ),
    ).toEqual([{ actorId: headRow.id, before: '3', after: null }]);
    // The parloir agent sees the page but not the change.
    await grantRole(parloirRow.id, establishment.id, 'PARLOIR_AGENT');
    await parloir.get(conditionsUrl).expect(403);
  });

  it('the head prescribes a separation room on an existing permit: the family is told, a visit booked in an ordinary room goes to « À revoir », and an ordinary room is refused from then on', async () => {
    const r = await visitingRoom();
    const headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zofia', usualName: 'Łukasiewicz' });
    await grantRole(headRow.id, r.establishment.id, 'HEAD_OF_ESTABLISHMENT');
    const head = await signInAgent(suite.app.url, headRow);
    const permitUrl = `/etablissements/${r.establishment.code}/permis/${r.permit.id}`;
    expect(page(await head.get(permitUrl).expect(200)).text('permit-conditions')).toBe('Aucune condition de lieu ni d’horaire.');
    // Already booked: one visit in the ordinary room, one in the separation room.
    const booked = async (room: string, time: string) =>
      (
        await insertVisit({
          establishmentId: r.establishment.id,
          roomId: room,
          detaineeId: r.detainee.id,
          familyAccountId: r.family.id,
          permitIds: [r.permit.id],
          startsAt: at(time === '14:00' ? DAY : WEEK_LATER, time),
        })
      ).id;
    const inOrdinary = await booked(r.ordinaryRoom.id, '14:00');
    const inSeparation = await booked(r.separationRoom.id, '16:00');
    const edit = page(await head.get(`${permitUrl}/conditions`).expect(200));
    await head.post(`${permitUrl}/conditions`).type('form').send({ _csrf: edit.csrf(), roomCondition: 'SEPARATION' }).expect(303);
    const unchanged = await head.post(`${permitUrl}/conditions`).type('form').send({ _csrf: edit.csrf(), roomCondition: 'SEPARATION' });
    expect(unchanged.status).toBe(409);
    expect(page(unchanged).errors()).toEqual(['Les limites et les conditions n’ont pas changé.']);
    const told = await query<{ body: string }>(
      `SELECT body_text AS body FROM notifications WHERE template = 'permit-conditions-changed' AND entity_id = $1`,
      [r.permit.id],
    );
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain('Ayşe Kaya');
    expect(told[0].body).toContain('- Parloir avec dispositif de séparation');
    // A restriction is a decision: a letter signed by the head, with the recourse routes, linked from the e-mail.
    const [letter] = await query<{ id: string; kind: string; author: string; recourse: boolean; familyAccountId: string }>(
      `SELECT id, kind, author, (body->>'recourse')::boolean AS recourse, family_account_id AS "familyAccountId"
         FROM letters WHERE permit_id = $1`,
      [r.permit.id],
    );
    expect(letter).toMatchObject({
      kind: 'CONDITIONS',
      author: 'Zofia ŁUKASIEWICZ, chef d’établissement',
      recourse: true,
      familyAccountId: r.family.id,
    });
    expect(told[0].body).toContain(`/courriers/${letter.id}`);
    expect(told[0].body).toContain('Décision signée par : Zofia ŁUKASIEWICZ, chef d’établissement');
    expect(told[0].body).toContain('par un recours hiérarchique auprès du directeur interrégional des services pénitentiaires');
    expect(told[0].body).toContain("l'article R. 421-1 du code de justice administrative");
    // The visit already booked in an ordinary room goes to « À revoir »; the other stays.
    expect(
      await query(`SELECT id, review_reason FROM visits WHERE id = ANY($1::uuid[]) ORDER BY lower(during)`, [[inOrdinary, inSeparation]]),
    ).toEqual([
      { id: inOrdinary, review_reason: 'Conditions du permis non respectées (Ayşe Kaya)' },
      { id: inSeparation, review_reason: null },
    ]);
    await query(`UPDATE visits SET status = 'CANCELLED' WHERE id = ANY($1::uuid[])`, [[inOrdinary, inSeparation]]);
    const ordinary = await familyBooks(r, `${r.ordinary.id}|${DAY}`);
    expect(ordinary.status).toBe(400);
    expect(page(ordinary).errors()).toEqual([
      'Un des permis impose un parloir particulier : parloir avec dispositif de séparation. Choisissez un créneau dans ce parloir.',
    ]);
  });

  it('a permits officer cannot restrict a permit (signatory only), may loosen it; the number of visits cannot fall below those used', async () => {
    const r = await visitingRoom();
    const officerRow = await insertAgentElsewhere('PERMITS_OFFICER', { givenName: 'Ștefan', usualName: 'Popescu' });
    await grantRole(officerRow.id, r.establishment.id, 'PERMITS_OFFICER');
    const officer = await signInAgent(suite.app.url, officerRow);
    const headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zofia', usualName: 'Łukasiewicz' });
    await grantRole(headRow.id, r.establishment.id, 'HEAD_OF_ESTABLISHMENT');
    const head = await signInAgent(suite.app.url, headRow);
    const conditionsUrl = `/etablissements/${r.establishment.code}/permis/${r.permit.id}/conditions`;
    const officerForm = page(await officer.get(conditionsUrl).expect(200));
    for (const fields of [
      { maxVisits: '1' },
      { roomCondition: 'SEPARATION' },
      { allowedDays: '3' },
      { allowedFrom: '09:00', allowedTo: '12:00' },
    ]) {
      const refused = await officer
        .post(conditionsUrl)
        .type('form')
        .send({ _csrf: officerForm.csrf(), ...fields })
        .expect(403);
      expect(page(refused).errors()[0]).toContain('Restreindre un permis est une décision');
    }
    expect(await queryOne(`SELECT max_visits, room_condition, allowed_days FROM permits WHERE id = $1`, [r.permit.id])).toEqual({
      max_visits: null,
      room_condition: null,
      allowed_days: null,
    });
    // Two visits already used: the head cannot leave none.
    for (const day of [DAY, WEEK_LATER]) await permitVisit(r, at(day, '14:00'), r.family.id);
    const headForm = page(await head.get(conditionsUrl).expect(200));
    const tooFew = await head.post(conditionsUrl).type('form').send({ _csrf: headForm.csrf(), maxVisits: '2' }).expect(400);
    expect(page(tooFew).fieldError('maxVisits')).toBe(
      'Ce permis a déjà servi pour 2 visites : indiquez au moins 3 visites (ou laissez vide : sans limite).',
    );
    await head.post(conditionsUrl).type('form').send({ _csrf: headForm.csrf(), maxVisits: '3', allowedDays: '3' }).expect(303);
    // The greffe loosens it (more visits, every day): no signatory, no letter, audited.
    await officer.post(conditionsUrl).type('form').send({ _csrf: officerForm.csrf(), maxVisits: '10' }).expect(303);
    expect(await queryOne(`SELECT max_visits, allowed_days FROM permits WHERE id = $1`, [r.permit.id])).toEqual({
      max_visits: 10,
      allowed_days: null,
    });
    expect(
      await query(
        `SELECT actor_id AS "actorId", after->>'signedBy' AS "signedBy" FROM audit_log WHERE action = 'PERMIT_CONDITIONS_CHANGED' AND entity_id = $1 ORDER BY id`,
        [r.permit.id],
      ),
    ).toEqual([
      { actorId: headRow.id, signedBy: 'Zofia ŁUKASIEWICZ, chef d’établissement' },
      { actorId: officerRow.id, signedBy: null },
    ]);
    expect(await query(`SELECT kind FROM letters WHERE permit_id = $1`, [r.permit.id])).toEqual([{ kind: 'CONDITIONS' }]);
  });

  it('an expired permit says so on its page', async () => {
    const r = await visitingRoom();
    await setPermitTerms(r.permit.id, { validTo: YESTERDAY });
    const permitPage = page(await parloir.get(`/etablissements/${r.establishment.code}/permis/${r.permit.id}`).expect(200));
    expect(permitPage.text('permit-state')).toBe('Expiré');
    expect(permitPage.text('permit-limits')).toBe(`Limité : jusqu’au ${frDate(YESTERDAY)}`);
  });
});
