import { DataSource } from 'typeorm';
import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { optionsOfEveryWeek } from './helpers/booking-weeks';
import { page } from './helpers/html';
import { openDataSource, services, testConfig } from './helpers/notifications';
import { signInAgent, signInFamily, type Agent } from './helpers/sign-in';
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
import {
  at,
  dayIn,
  insertRoom,
  insertSlot,
  insertSlotTemplate,
  insertVisit,
  insertWaitlistEntry,
  setVisitSettings,
  weekdayOf,
} from './factories/visits';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { VisitBookingService } = require('../dist/src/visits/visit-booking.service') as typeof import('../src/visits/visit-booking.service');
const { WaitlistService } = require('../dist/src/visits/waitlist.service') as typeof import('../src/visits/waitlist.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
/* eslint-enable @typescript-eslint/no-require-imports */
type FamiliesService = import('../src/families/families.service').FamiliesService;

/**
 * What happens to booked visits afterwards: moving one, the waiting list of a full slot (a freed
 * place held for the first family waiting, then the next), and the "À revoir" queue when a permit is
 * suspended or a detainee leaves.
 */
const suite = appForTests();
let ds: DataSource;
let parloir: { row: AgentRow; agent: Agent };
beforeAll(async () => {
  ds = await openDataSource(2);
  // The visiting-room agent of the file; each test gives them a role in its own establishment.
  const row = await insertAgentElsewhere('PARLOIR_AGENT', {
    givenName: 'Siobhán',
    usualName: 'Ó Briain',
  });
  parloir = { row, agent: await signInAgent(suite.app.url, row) };
});
afterAll(async () => {
  await ds?.destroy();
});

/** The day in three days (the first occurrence of the weekly slots below) and the day in four. */
const DAY = dayIn(3);
const NEXT_DAY = dayIn(4);

/**
 * An establishment with a one-place slot (in three days at 10:00) and a four-place one (the day
 * after), and families each holding a permit for a condamné of their own (names outside Latin-1).
 */
async function visitingRoom(o: { establishment?: EstablishmentRow } = {}) {
  const establishment = o.establishment ?? (await insertEstablishment());
  const room = await insertRoom(establishment.id, { name: 'Parloir avec séparation', kind: 'SEPARATION', cabins: 4 });
  const small = await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(DAY), start: '10:00', end: '11:00', capacity: 1 });
  const other = await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(NEXT_DAY), start: '10:00', end: '11:00', capacity: 4 });
  return { establishment, room, small, other, smallAt: at(DAY, '10:00') };
}

interface Household {
  family: FamilyRow;
  detaineeId: string;
  permitId: string;
}

/** A family holding a permit for a condamné of its own (enough to put it on a waiting list). */
async function household(establishmentId: string, givenName: string, familyName: string): Promise<Household> {
  const detainee = await insertDetainee(establishmentId);
  const f = await insertFamily({ givenName, familyName });
  const permit = await insertPermit({
    establishmentId,
    detaineeId: detainee.id,
    familyAccountId: f.id,
    visitorGivenName: givenName,
    visitorFamilyName: familyName,
  });
  return { family: f, detaineeId: detainee.id, permitId: permit.id };
}

/** The same, signed in. */
async function family(establishmentId: string, givenName: string, familyName: string): Promise<Household & { agent: Agent }> {
  const h = await household(establishmentId, givenName, familyName);
  return { ...h, agent: await signInFamily(suite.app.url, h.family) };
}

/** The n-th open occurrence of a weekly slot on the family's booking form (week after week). */
async function slotValue(agent: Agent, templateId: string, nth = 0): Promise<string> {
  const all = (await optionsOfEveryWeek(agent, '/visites/reserver')).filter((v) => v.startsWith(`${templateId}|`));
  if (!all[nth]) throw new Error('slot not offered');
  return all[nth];
}

/** The family books the slot (or joins its waiting list) from its booking form. */
async function book(agent: Agent, slot: string, action: 'book' | 'wait', over: Record<string, string | string[]> = {}) {
  const form = page(await agent.get('/visites/reserver').expect(200));
  return agent
    .post('/visites/reserver')
    .type('form')
    .send({ ...form.formFields('/visites/reserver'), slot, action, ...over });
}

/** The family's visit on a weekly slot. */
function visitOn(familyId: string, templateId: string) {
  return queryOne<{ id: string; reference: string; slotId: string; appointmentId: string }>(
    `SELECT v.id, v.reference, v.slot_id AS "slotId", v.appointment_id AS "appointmentId"
       FROM visits v JOIN visit_slots s ON s.id = v.slot_id WHERE s.template_id = $1 AND v.family_account_id = $2 AND v.status = 'BOOKED'`,
    [templateId, familyId],
  );
}

function places(slotId: string) {
  return queryOne(`SELECT booked, held FROM visit_slots WHERE id = $1`, [slotId]);
}

/** The family cancels its visit from "Mes rendez-vous". */
async function cancelOnline(agent: Agent, appointmentId: string) {
  const confirm = page(await agent.get(`/mes-rendez-vous/${appointmentId}/annuler`).expect(200));
  await agent.post(`/mes-rendez-vous/${appointmentId}/annuler`).type('form').send({ _csrf: confirm.csrf() }).expect(303);
}

/** The waiting list's background job, in-process, on a clock stopped at `now`. */
function waitlistAt(now: Date) {
  const clock = new Clock();
  clock.set(now, { frozen: true });
  const { appointments, notifications } = services(ds);
  const families = null as unknown as FamiliesService; // the expiry job reads no family account
  const booking = new VisitBookingService(ds, new AuditService(), appointments, clock);
  return new WaitlistService(ds, booking, notifications, families, new AuditService(), clock, testConfig());
}

describe('the waiting list and moving a visit', () => {
  it('a full slot offers the waiting list instead of a booking', async () => {
    const { establishment, small } = await visitingRoom();
    const aylin = await family(establishment.id, 'Aylin', 'Öztürk');
    const karim = await family(establishment.id, 'Kərim', 'Əliyev');
    const slot = await slotValue(aylin.agent, small.id);
    expect((await book(aylin.agent, slot, 'book')).status).toBe(303);

    // Before choosing: the full slot says so, with no radio, and offers its waiting list (a form of its own).
    const form = page(await karim.agent.get(`/visites/reserver?semaine=${slot.split('|')[1]}`).expect(200));
    expect(form.options('slot')).not.toContain(slot);
    const fullSlot = form.$(`[data-testid="slot-unavailable"][data-slot="${slot}"]`);
    expect(fullSlot.find('[data-testid="slot-reason"]').text()).toBe('Complet');
    const button = fullSlot.find('[data-testid="waitlist-button"]');
    expect(button.attr('form')).toBe('liste-attente');
    expect(button.attr('name')).toBe('attente');
    expect(button.attr('value')).toBe(slot);
    // The command still refuses a full slot posted anyway.
    const full = await book(karim.agent, slot, 'book');
    expect(full.status).toBe(409);
    expect(page(full).errors()).toEqual(['Ce créneau est complet. Choisissez un autre créneau ou inscrivez-vous sur la liste d’attente.']);
    // The waiting-list button sends its form: the detainee, the visitors, and the slot as `attente`.
    const waitlistForm = form.$('form#liste-attente');
    const waitlistFields = Object.fromEntries(
      waitlistForm
        .find('input[name]')
        .toArray()
        .map((e) => [form.$(e).attr('name')!, form.$(e).attr('value') ?? '']),
    );
    expect(waitlistFields).toMatchObject({ detaineeId: karim.detaineeId, permitIds: karim.permitId });
    const joined = await karim.agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...waitlistFields, attente: slot });
    expect(joined.status).toBe(303);
    expect(joined.headers.location).toBe('/visites?attente=1');
    const twice = await book(karim.agent, slot, 'wait');
    expect(twice.status).toBe(409);
    expect(page(twice).errors()).toEqual([
      'Vous êtes déjà sur la liste d’attente de ce créneau. Attendez : si une place se libère, elle vous sera proposée par e-mail et SMS.',
    ]);
    const mine = page(await karim.agent.get('/mes-rendez-vous').expect(200));
    expect(mine.texts('waitlist-entry')).toEqual([expect.stringContaining('vous êtes la prochaine famille')]);
    const audit = await query(`SELECT actor_label AS label FROM audit_log WHERE action = 'WAITLIST_JOINED' AND actor_id = $1`, [
      karim.family.id,
    ]);
    expect(audit).toEqual([{ label: 'Kərim Əliyev' }]);
  });

  it('joining the waiting list takes the checks of a booking: detainee held in that establishment, active permits, visitors, entitlement', async () => {
    const { establishment, room, small, smallAt } = await visitingRoom();
    // The one place is taken.
    const someone = await insertDetainee(establishment.id);
    await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      templateId: small.id,
      detaineeId: someone.id,
      startsAt: smallAt,
      capacity: 1,
    });
    const slot = `${small.id}|${DAY}`;
    // One family, visiting four detainees: one held in another establishment, and three here, with a
    // permit suspended, a permit of a child, and a detainee whose visit of the week is already booked.
    const {
      family: f,
      detaineeId: elsewhere,
      permitId: elsewherePermit,
    } = await household((await insertEstablishment()).id, 'Zeynep', 'Kaya');
    const permitFor = async (o: { status?: 'SUSPENDED'; visitorBirthdate?: string } = {}) => {
      const d = await insertDetainee(establishment.id);
      const p = await insertPermit({
        establishmentId: establishment.id,
        detaineeId: d.id,
        familyAccountId: f.id,
        visitorGivenName: 'Zeynep',
        visitorFamilyName: 'Kaya',
        ...o,
      });
      return { detaineeId: d.id, permitIds: p.id };
    };
    const suspended = await permitFor({ status: 'SUSPENDED' });
    const child = await permitFor({ visitorBirthdate: '2016-06-01' });
    const used = await permitFor();
    await insertVisit({ establishmentId: establishment.id, roomId: room.id, detaineeId: used.detaineeId, startsAt: at(DAY, '16:00') });
    const agent = await signInFamily(suite.app.url, f);
    // The CSRF token of the family's booking form (the form itself names the detainee: the requests below name others).
    const csrf = page(await agent.get(`/visites/reserver?detenu=${elsewhere}`).expect(200)).csrf();
    const wait = (request: { detaineeId: string; permitIds: string }) =>
      agent
        .post('/visites/reserver')
        .type('form')
        .send({ _csrf: csrf, key: 'k', slot, action: 'wait', ...request });

    const wrongPlace = await wait({ detaineeId: elsewhere, permitIds: elsewherePermit });
    expect(wrongPlace.status).toBe(400);
    expect(page(wrongPlace).errors()).toEqual(['La personne détenue n’est pas dans cet établissement.']);
    const notActive = await wait(suspended);
    expect(notActive.status).toBe(400);
    expect(page(notActive).errors()).toEqual([
      'Un des permis est suspendu : son titulaire ne peut pas venir pour l’instant. La lettre de l’établissement dit pourquoi et jusqu’à quand. Pour une question, appelez le parloir.',
    ]);
    const alone = await wait(child);
    expect(alone.status).toBe(400);
    expect(page(alone).errors()).toEqual([
      'Un enfant de moins de 16 ans vient accompagné d’un adulte titulaire d’un permis de visite. Choisissez aussi un adulte qui vient avec lui.',
    ]);
    const entitlement = await wait(used);
    expect(entitlement.status).toBe(409);
    expect(page(entitlement).errors()).toEqual([
      'Le nombre de visites de la semaine pour cette personne détenue est atteint. Choisissez un créneau d’une autre semaine.',
    ]);

    // No entry was made, so no place will ever be held for an offer that cannot be confirmed.
    expect(await query(`SELECT count(*)::int AS n FROM visit_waitlist WHERE template_id = $1`, [small.id])).toEqual([{ n: 0 }]);
  });

  it('moving a visit keeps its reference, takes the new place, and holds the freed one for the family waiting', async () => {
    const { establishment, small, other, smallAt } = await visitingRoom();
    const aylin = await family(establishment.id, 'Aylin', 'Öztürk');
    const karim = await household(establishment.id, 'Kərim', 'Əliyev');
    const slot = await slotValue(aylin.agent, small.id);
    expect((await book(aylin.agent, slot, 'book')).status).toBe(303);
    const visit = await visitOn(aylin.family.id, small.id);
    const entry = await insertWaitlistEntry({
      establishmentId: establishment.id,
      templateId: small.id,
      day: DAY,
      startsAt: smallAt,
      familyAccountId: karim.family.id,
      detaineeId: karim.detaineeId,
      permitIds: [karim.permitId],
    });

    const movePage = page(await aylin.agent.get(`/visites/${visit.id}/deplacer`).expect(200));
    const target = movePage.options('slot').find((v) => v.startsWith(`${other.id}|`))!;
    const none = await aylin.agent.post(`/visites/${visit.id}/deplacer`).type('form').send({ _csrf: movePage.csrf() }).expect(400);
    expect(page(none).errors()).toEqual(['Choisissez le nouveau créneau']);
    const notUuid = await aylin.agent
      .post(`/visites/${visit.id}/deplacer`)
      .type('form')
      .send({ _csrf: movePage.csrf(), slot: `x|${NEXT_DAY}` })
      .expect(400);
    expect(page(notUuid).errors()).toEqual(['Choisissez le nouveau créneau']);
    const moved = await aylin.agent
      .post(`/visites/${visit.id}/deplacer`)
      .type('form')
      .send({ _csrf: movePage.csrf(), slot: target })
      .expect(303);
    expect(moved.headers.location).toBe(`/visites?deplacee=${visit.reference}`);

    const after = await queryOne(
      `SELECT v.reference, s.template_id AS "templateId", a.starts_at = lower(v.during) AS "appointmentFollows"
         FROM visits v JOIN visit_slots s ON s.id = v.slot_id JOIN appointments a ON a.id = v.appointment_id WHERE v.id = $1`,
      [visit.id],
    );
    expect(after).toEqual({ reference: visit.reference, templateId: other.id, appointmentFollows: true });
    expect(await places(visit.slotId)).toEqual({ booked: 0, held: 1 });
    expect(
      await query(`SELECT count(*)::int AS n FROM notifications WHERE template = 'appointment-moved' AND entity_id = $1`, [
        visit.appointmentId,
      ]),
    ).toEqual([{ n: 1 }]);

    expect(await queryOne(`SELECT status, offer_expires_at > now() AS open FROM visit_waitlist WHERE id = $1`, [entry.id])).toEqual({
      status: 'OFFERED',
      open: true,
    });
    const offer = await queryOne<{ channel: string; body: string }>(
      `SELECT channel, body_text AS body FROM notifications WHERE template = 'waitlist-offer' AND entity_id = $1`,
      [entry.id],
    );
    expect(offer.channel).toBe('EMAIL');
    expect(offer.body).toContain(`/visites/liste-attente/${entry.id}`);

    // The held place is not for anyone else.
    const third = await family(establishment.id, 'Łukasz', 'Wiśniewski');
    const thirdForm = page(await third.agent.get(`/visites/reserver?semaine=${slot.split('|')[1]}`).expect(200));
    expect(thirdForm.options('slot')).not.toContain(slot);
    expect(thirdForm.$(`[data-testid="slot-unavailable"][data-slot="${slot}"] [data-testid="slot-reason"]`).text()).toBe('Complet');
  });

  it('the family offered the place confirms it: a visit with its convocation', async () => {
    const { establishment, room, small, smallAt } = await visitingRoom();
    const karim = await family(establishment.id, 'Kərim', 'Əliyev');
    const slot = await insertSlot({ roomId: room.id, templateId: small.id, startsAt: smallAt, capacity: 1, held: 1 });
    const entry = await insertWaitlistEntry({
      establishmentId: establishment.id,
      templateId: small.id,
      day: DAY,
      startsAt: smallAt,
      familyAccountId: karim.family.id,
      detaineeId: karim.detaineeId,
      permitIds: [karim.permitId],
      offerExpiresAt: new Date(Date.now() + 6 * 3600_000),
    });
    const offer = page(await karim.agent.get(`/visites/liste-attente/${entry.id}`).expect(200));
    expect(offer.text('offer')).toContain('Une place s’est libérée');
    const stranger = await signInFamily(suite.app.url, await insertFamily({ givenName: 'Ana', familyName: 'Ştefănescu' }));
    await stranger.get(`/visites/liste-attente/${entry.id}`).expect(404);
    const done = await karim.agent
      .post(`/visites/liste-attente/${entry.id}/confirmer`)
      .type('form')
      .send({ _csrf: offer.csrf() })
      .expect(303);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(done.headers.location)![1];
    expect(await places(slot.id)).toEqual({ booked: 1, held: 0 });
    const confirmed = await queryOne(
      `SELECT w.status, v.reference, v.appointment_id IS NOT NULL AS convocation
         FROM visit_waitlist w JOIN visits v ON v.id = w.visit_id WHERE w.id = $1`,
      [entry.id],
    );
    expect(confirmed).toEqual({ status: 'BOOKED', reference, convocation: true });
  });

  it('an offer not answered in time goes to the next family, and the place back to everyone when nobody waits', async () => {
    const { establishment, small, smallAt } = await visitingRoom();
    // Offers of an hour here: those of the other tests (12 hours) are not due when this one's are.
    await setVisitSettings(establishment.id, { waitlistOfferHours: 1 });
    const aylin = await family(establishment.id, 'Aylin', 'Öztürk');
    const [first, next] = [await family(establishment.id, 'Ewa', 'Łukasiewicz'), await household(establishment.id, 'Linh', 'Trần')];
    expect((await book(aylin.agent, await slotValue(aylin.agent, small.id), 'book')).status).toBe(303);
    const visit = await visitOn(aylin.family.id, small.id);
    const entries = [];
    for (const w of [first, next]) {
      entries.push(
        await insertWaitlistEntry({
          establishmentId: establishment.id,
          templateId: small.id,
          day: DAY,
          startsAt: smallAt,
          familyAccountId: w.family.id,
          detaineeId: w.detaineeId,
          permitIds: [w.permitId],
        }),
      );
    }
    // Aylin cancels: the place is offered to the first family waiting.
    await cancelOnline(aylin.agent, visit.appointmentId);
    const offered = await queryOne<{ id: string; expires: Date }>(
      `SELECT id, offer_expires_at AS expires FROM visit_waitlist WHERE template_id = $1 AND status = 'OFFERED'`,
      [small.id],
    );
    expect(offered.id).toBe(entries[0].id);
    expect(await places(visit.slotId)).toEqual({ booked: 0, held: 1 });

    expect(await waitlistAt(new Date(offered.expires.getTime() - 60_000)).expireOffers()).toBe(0);
    expect(await waitlistAt(new Date(offered.expires.getTime() + 60_000)).expireOffers()).toBe(1);
    const statuses = () => query(`SELECT status FROM visit_waitlist WHERE template_id = $1 ORDER BY created_at, id`, [small.id]);
    expect(await statuses()).toEqual([{ status: 'EXPIRED' }, { status: 'OFFERED' }]);
    expect(await places(visit.slotId)).toEqual({ booked: 0, held: 1 });
    const nextOffer = await queryOne<{ expires: Date }>(`SELECT offer_expires_at AS expires FROM visit_waitlist WHERE id = $1`, [
      entries[1].id,
    ]);
    expect(await waitlistAt(new Date(nextOffer.expires.getTime() + 60_000)).expireOffers()).toBe(1);
    expect(await statuses()).toEqual([{ status: 'EXPIRED' }, { status: 'EXPIRED' }]);
    expect(await places(visit.slotId)).toEqual({ booked: 0, held: 0 });

    const late = page(await first.agent.get('/mes-rendez-vous').expect(200));
    expect(late.has('waitlist-entry')).toBe(false);
    const form = page(await first.agent.get('/visites/reserver').expect(200));
    const tooLate = await first.agent
      .post(`/visites/liste-attente/${offered.id}/confirmer`)
      .type('form')
      .send({ _csrf: form.csrf() })
      .expect(409);
    expect(page(tooLate).errors()).toEqual([
      'Aucune place ne vous est proposée pour ce créneau. Retrouvez vos inscriptions dans « Mes visites et rendez-vous ».',
    ]);
    expect(await places(visit.slotId)).toEqual({ booked: 0, held: 0 });
  });
});

/** The file's visiting-room agent (signed in once), given a role in the establishment. */
async function parloirAgent(establishmentId: string) {
  await grantRole(parloir.row.id, establishmentId, 'PARLOIR_AGENT');
  return parloir;
}

describe('the visiting-room agent changes a visit at the family’s request', () => {
  it('moves it with the same checks, and cancels another after confirming; the family is told', async () => {
    const { establishment, room, other } = await visitingRoom();
    const { row, agent } = await parloirAgent(establishment.id);
    const base = `/etablissements/${establishment.code}/parloir/visites`;
    const detainee = await insertDetainee(establishment.id);
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Ngọc',
      visitorFamilyName: 'Phạm',
    });
    const moving = await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      templateId: other.id,
      detaineeId: detainee.id,
      permitIds: [permit.id],
      startsAt: at(NEXT_DAY, '10:00'),
      capacity: 4,
    });
    const movePage = page(await agent.get(`${base}/${moving.id}/deplacer`).expect(200));
    const targets = movePage.options('slot').filter((v) => v.startsWith(`${other.id}|`));
    const notUuid = await agent
      .post(`${base}/${moving.id}/deplacer`)
      .type('form')
      .send({ _csrf: movePage.csrf(), slot: 'x|2026-12-09' })
      .expect(400);
    expect(page(notUuid).errors()).toEqual(['Choisissez le nouveau créneau']);
    const done = await agent
      .post(`${base}/${moving.id}/deplacer`)
      .type('form')
      .send({ _csrf: movePage.csrf(), slot: targets[1] })
      .expect(303);
    expect(done.headers.location).toBe(`${base}/${moving.id}?fait=deplacee`);
    expect(
      await query(`SELECT reference, to_char(lower(during) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day FROM visits WHERE id = $1`, [
        moving.id,
      ]),
    ).toEqual([{ reference: moving.reference, day: targets[1].split('|')[1] }]);
    expect(
      await query(`SELECT actor_id AS "agentId", actor_label AS label FROM audit_log WHERE action = 'VISIT_MOVED' AND entity_id = $1`, [
        moving.id,
      ]),
    ).toEqual([{ agentId: row.id, label: 'Siobhán Ó Briain' }]);

    // A family calls to cancel a visit booked online: it gets the cancellation message.
    const caller = await family(establishment.id, 'Aylin', 'Öztürk');
    expect((await book(caller.agent, await slotValue(caller.agent, other.id), 'book')).status).toBe(303);
    const cancelling = await visitOn(caller.family.id, other.id);
    const visitPage = page(await agent.get(`${base}/${cancelling.id}`).expect(200));
    const unconfirmed = await agent.post(`${base}/${cancelling.id}/annuler`).type('form').send({ _csrf: visitPage.csrf() }).expect(400);
    expect(page(unconfirmed).errors()).toEqual(['Choisissez le motif de l’annulation', 'Cochez la case pour confirmer l’annulation.']);
    await agent
      .post(`${base}/${cancelling.id}/annuler`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), confirm: 'oui', reason: 'FAMILY_REQUEST' })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [cancelling.id])).toEqual([{ status: 'CANCELLED' }]);
    expect(
      await query(
        `SELECT count(*)::int AS n FROM notifications WHERE template = 'appointment-cancelled' AND entity_id = $1 AND channel = 'EMAIL'`,
        [cancelling.appointmentId],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('cannot move or cancel a visit of another establishment (the scope is the agent’s establishment)', async () => {
    const here = await visitingRoom();
    const there = await visitingRoom();
    const { agent } = await parloirAgent(here.establishment.id);
    const detainee = await insertDetainee(there.establishment.id);
    const theirs = await insertVisit({
      establishmentId: there.establishment.id,
      roomId: there.room.id,
      templateId: there.other.id,
      detaineeId: detainee.id,
      startsAt: at(NEXT_DAY, '10:00'),
      capacity: 4,
    });
    const base = `/etablissements/${here.establishment.code}/parloir/visites`;
    const csrf = page(await agent.get(`/etablissements/${here.establishment.code}/parloir/import`).expect(200)).csrf();
    await agent.get(`${base}/${theirs.id}/deplacer`).expect(404);
    await agent
      .post(`${base}/${theirs.id}/deplacer`)
      .type('form')
      .send({ _csrf: csrf, slot: `${there.other.id}|${dayIn(11)}` })
      .expect(404);
    await agent.post(`${base}/${theirs.id}/annuler`).type('form').send({ _csrf: csrf, confirm: 'oui', reason: 'SECURITY' }).expect(404);
    expect(
      await query(`SELECT status, lower(during) = $2 AS unchanged FROM visits WHERE id = $1`, [theirs.id, at(NEXT_DAY, '10:00')]),
    ).toEqual([{ status: 'BOOKED', unchanged: true }]);
  });
});

describe('the "À revoir" queue', () => {
  it('flags future visits when a permit is suspended; the agent cancels one after confirming and the family is told', async () => {
    const { establishment, other } = await visitingRoom();
    const karim = await family(establishment.id, 'Kərim', 'Əliyev');
    expect((await book(karim.agent, await slotValue(karim.agent, other.id), 'book')).status).toBe(303);
    const visit = await visitOn(karim.family.id, other.id);
    // Whatever the path (the greffe's page, an import…), the trigger flags the visit.
    await query(`UPDATE permits SET status = 'SUSPENDED', status_reason = 'Incident au parloir' WHERE id = $1`, [karim.permitId]);
    expect(await query(`SELECT review_reason FROM visits WHERE id = $1`, [visit.id])).toEqual([
      { review_reason: 'Permis suspendu (Kərim Əliyev)' },
    ]);

    const { agent } = await parloirAgent(establishment.id);
    const base = `/etablissements/${establishment.code}/parloir/a-revoir`;
    const queue = page(await agent.get(base).expect(200));
    expect(queue.texts('review-reason')).toEqual(['Motif : Permis suspendu (Kərim Əliyev)']);
    const unconfirmed = await agent.post(`${base}/${visit.id}/annuler`).type('form').send({ _csrf: queue.csrf() }).expect(400);
    expect(page(unconfirmed).fieldError(`confirm-${visit.id}`)).toBe('Cochez la case pour confirmer l’annulation.');
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual([{ status: 'BOOKED' }]);
    await agent.post(`${base}/${visit.id}/annuler`).type('form').send({ _csrf: queue.csrf(), confirm: 'oui' }).expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual([{ status: 'CANCELLED' }]);
    expect(
      await query(
        `SELECT body_text AS body FROM notifications WHERE template = 'appointment-cancelled' AND entity_id = $1 AND channel = 'EMAIL'`,
        [visit.appointmentId],
      ).then((r) => (r[0] as { body: string }).body),
    ).toContain('Motif : Visite annulée par l’établissement : Permis suspendu (Kərim Əliyev)');
    expect(
      await query(
        `SELECT count(*)::int AS n FROM notifications WHERE template = 'appointment-cancelled' AND entity_id = $1 AND channel = 'EMAIL'`,
        [visit.appointmentId],
      ),
    ).toEqual([{ n: 1 }]);
    const after = page(await agent.get(base).expect(200));
    expect(after.text('review-empty')).toBe('Aucune visite à revoir.');
  });

  it('flags them when the detainee leaves; the agent may keep one (audited)', async () => {
    const { establishment, room, other } = await visitingRoom();
    const detainee = await insertDetainee(establishment.id);
    const visit = await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      templateId: other.id,
      detaineeId: detainee.id,
      startsAt: at(NEXT_DAY, '10:00'),
    });
    await query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = now() WHERE id = $1`, [detainee.id]);
    expect(await query(`SELECT review_reason FROM visits WHERE id = $1`, [visit.id])).toEqual([
      { review_reason: 'Personne détenue libérée' },
    ]);
    const { row, agent } = await parloirAgent(establishment.id);
    const base = `/etablissements/${establishment.code}/parloir/a-revoir`;
    const queue = page(await agent.get(base).expect(200));
    expect(queue.texts('review-reason')).toEqual(['Motif : Personne détenue libérée']);
    await agent.post(`${base}/${visit.id}/garder`).type('form').send({ _csrf: queue.csrf() }).expect(303);
    expect(await query(`SELECT status, review_reason FROM visits WHERE id = $1`, [visit.id])).toEqual([
      { status: 'BOOKED', review_reason: null },
    ]);
    expect(
      await query(
        `SELECT actor_id AS "agentId", actor_label AS label FROM audit_log WHERE action = 'VISIT_REVIEW_KEPT' AND entity_id = $1`,
        [visit.id],
      ),
    ).toEqual([{ agentId: row.id, label: 'Siobhán Ó Briain' }]);
    const outsider = await insertAgentElsewhere('PARLOIR_AGENT');
    await (await signInAgent(suite.app.url, outsider)).get(base).expect(403);
  });
});
