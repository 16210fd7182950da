import { mondayOf, weekLabel } from '../src/visits/booking-weeks.rules';
import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { everyWeek } from './helpers/booking-weeks';
import { type HtmlPage, page } from './helpers/html';
import { waitFor } from './helpers/processes';
import { signInFamily, type Agent } from './helpers/sign-in';
import { insertDetainee, insertFamily } from './factories/people';
import { insertPermit } from './factories/permits';
import {
  at,
  dayIn,
  insertBookingSetup,
  insertRoom,
  insertSlotTemplate,
  insertVisit,
  setVisitSettings,
  weekdayOf,
} from './factories/visits';

const suite = appForTests();

/** The booking form of the signed-in family, read as a page: the week shown by default, or the week of a slot. */
async function bookingForm(agent: Agent, slot?: string) {
  return page(await agent.get(slot ? `/visites/reserver?semaine=${slot.split('|')[1]}` : '/visites/reserver').expect(200));
}

/**
 * Why a slot of the page cannot be taken, as the family reads it: its own line (« Indisponible : … »,
 * « Complet »), or its day's when every slot of the day shares the reason; null when it is offered.
 */
function whyNot(p: HtmlPage, slot: string): string | null {
  const own = p.$(`[data-testid="slot-unavailable"][data-slot="${slot}"] [data-testid="slot-reason"]`);
  if (own.length) return squash(own.text());
  const day = p.$(`[data-testid="slot-day"][data-day="${slot.split('|')[1]}"] [data-testid="slot-day-unavailable"]`);
  return day.length ? squash(day.text()) : null;
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The room named in the label of an offered slot. */
function roomName(p: HtmlPage, slot: string): string {
  return /· (.+?) \d+ places? libres?$/.exec(p.labelOf('slot', slot))?.[1] ?? '';
}

const PARIS = 'Europe/Paris';
const LONG = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const HOUR = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit' });

/** « mardi 24 novembre 2026 à 14 h 00 », as the pages write an instant on the establishment's clock. */
function whenOf(d: Date): string {
  return `${LONG.format(d)} à ${HOUR.format(d).replace(':', ' h ')}`;
}

/** « Mardi 24 novembre », the heading of a day's slots. */
function dayHeading(day: string): string {
  const label = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(`${day}T12:00:00Z`),
  );
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Sends the booking form as the browser would (visitor ticked, hidden fields), with `fields` on top. */
async function sendBooking(agent: Agent, fields: Record<string, string | string[]>) {
  const form = await bookingForm(agent);
  return agent
    .post('/visites/reserver')
    .type('form')
    .send({ ...form.formFields('/visites/reserver'), ...fields });
}

describe('a family books a visit online', () => {
  it('sees only the detainee and visitors of its permits, open slots with free places, books once even when the form is sent twice', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'Łucja', familyName: 'Nguyễn-Şahin' },
      detainee: { firstName: 'محمد', lastName: 'Haddad' },
    });
    // Another family visits another detainee of the same establishment: none of it is shown.
    const stranger = await insertDetainee(setup.establishment.id, { firstName: 'Ştefan', lastName: 'Ionescu' });
    await insertPermit({
      establishmentId: setup.establishment.id,
      detaineeId: stranger.id,
      familyAccountId: (await insertFamily()).id,
      visitorGivenName: 'Ana',
      visitorFamilyName: 'Ionescu',
    });
    const agent = await signInFamily(suite.app.url, setup.family);
    const form = await bookingForm(agent);
    expect(form.text('chosen')).toBe(`Visite à محمد Haddad — ${setup.establishment.name}.`);
    // One visitor holds a permit: she is the one who comes, and the slots are shown for her.
    expect(form.options('permitIds')).toEqual([setup.permit.id]);
    expect(form.text('coming')).toBe('Qui vient : Łucja Nguyễn-Şahin.');
    const [slot] = form.options('slot');
    expect(slot).toMatch(new RegExp(`^${setup.template.id}\\|\\d{4}-\\d{2}-\\d{2}$`));
    expect(form.labelOf('slot', slot)).toContain('10 places libres');

    const none = await sendBooking(agent, {});
    expect(none.status).toBe(400);
    expect(page(none).errors()).toEqual(['Choisissez un créneau']);

    const fields = { ...form.formFields('/visites/reserver'), slot };
    const first = await agent.post('/visites/reserver').type('form').send(fields).expect(303);
    const again = await agent.post('/visites/reserver').type('form').send(fields).expect(303);
    expect(again.headers.location).toBe(first.headers.location);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(first.headers.location)![1];
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE family_account_id = $1`, [setup.family.id])).toEqual([{ n: 1 }]);
    // « Mes visites » is now « Mes visites et rendez-vous »: the old address leads there with its notice.
    const mine = page(await agent.get(first.headers.location).redirects(1).expect(200));
    expect(mine.text('booked')).toContain(`Référence : ${reference}.`);
    expect(mine.texts('appointment-reference')).toEqual([reference]);

    const mail = await waitFor(
      'convocation',
      async () =>
        (
          await query<{ body: string; attachments: string[] }>(
            `SELECT body, attachments FROM demo_inbox
              WHERE recipient = $1 AND subject LIKE 'Rendez-vous confirmé%' AND body LIKE '%' || $2 || '%'`,
            [setup.family.email, reference],
          )
        )[0],
      20000,
    );
    expect(mail.body).toContain('une pièce d’identité en cours de validité');
    expect([...mail.attachments].sort()).toEqual(['convocation-qr.png (image/png)', 'rendez-vous.ics (text/calendar)']);
    expect(mail.body).toContain(`donnez la référence ${reference} ou montrez le code QR`);
    // The entitlement of a condamné (1 a week by default) is used for that week: the slot says so before it is chosen.
    const after = await bookingForm(agent, slot);
    expect(after.options('slot')).not.toContain(slot);
    // The day's only slot cannot be taken: the day says why, once.
    const used = whyNot(after, slot);
    expect(used).toMatch(
      /^Vous avez déjà une visite cette semaine-là : .+\. La personne détenue a droit à 1 visite par semaine\. Choisissez un créneau d’une autre semaine\.$/,
    );
    const sameWeek = await agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...fields, key: 'another-key' });
    expect(sameWeek.status).toBe(409);
    expect(page(sameWeek).errors()).toEqual([used]);
  });

  it('cancelling the visit from "Mes rendez-vous" frees its place, in the same transaction', async () => {
    const setup = await insertBookingSetup({ family: { givenName: 'Ayşe', familyName: 'Yılmaz' } });
    const agent = await signInFamily(suite.app.url, setup.family);
    const [slot] = (await bookingForm(agent)).options('slot');
    await sendBooking(agent, { slot }).then((r) => expect(r.status).toBe(303));
    const v = await queryOne<{ id: string; appointmentId: string; slotId: string }>(
      `SELECT id, appointment_id AS "appointmentId", slot_id AS "slotId" FROM visits WHERE family_account_id = $1`,
      [setup.family.id],
    );
    expect(await query(`SELECT booked FROM visit_slots WHERE id = $1`, [v.slotId])).toEqual([{ booked: 1 }]);
    const confirm = page(await agent.get(`/mes-rendez-vous/${v.appointmentId}/annuler`).expect(200));
    await agent.post(`/mes-rendez-vous/${v.appointmentId}/annuler`).type('form').send({ _csrf: confirm.csrf() }).expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [v.id])).toEqual([{ status: 'CANCELLED' }]);
    expect(await query(`SELECT booked FROM visit_slots WHERE id = $1`, [v.slotId])).toEqual([{ booked: 0 }]);
    expect(await query(`SELECT count(*)::int AS n FROM visit_visitors WHERE visit_id = $1 AND active`, [v.id])).toEqual([{ n: 0 }]);
    expect((await bookingForm(agent, slot)).labelOf('slot', slot)).toContain('10 places libres');
    const mine = page(await agent.get('/mes-rendez-vous').expect(200));
    expect(mine.has('upcoming-appointment')).toBe(false);
    expect(mine.texts('other-appointment')).toEqual([expect.stringContaining('Visite au parloir — Avec ')]);
    expect(mine.texts('other-appointment')).toEqual([expect.stringMatching(/\(annulée\)$/)]);
  });

  it('before choosing, each slot says why the family cannot take it: its week used, a minor alone, full; slots by day, places written out', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'Łukasz', familyName: 'Wiśniewski' },
      detainee: { firstName: 'Şükrü', lastName: 'Yılmaz' },
    });
    const e = setup.establishment.id;
    await setVisitSettings(e, { openOnHolidays: true }); // the same days whatever the date of the run
    const child = await insertPermit({
      establishmentId: e,
      detaineeId: setup.detainee.id,
      familyAccountId: setup.family.id,
      visitorGivenName: 'Zofia',
      visitorFamilyName: 'Wiśniewska',
      visitorBirthdate: '2015-06-01',
    });
    // The weekly slot of the setup (14:00, 10 places) and another of 1 place at 16:00, on four days of the window.
    const [d1, d2, d3, d4] = [3, 10, 17, 24].map((n) => dayIn(n));
    const roomB = await insertRoom(e, { name: 'Parloir B' });
    const small = await insertSlotTemplate(roomB.id, { dayOfWeek: weekdayOf(d1), start: '16:00', end: '17:00', capacity: 1 });
    // d2: the small slot is full (another detainee's visit).
    await insertVisit({
      establishmentId: e,
      roomId: roomB.id,
      templateId: small.id,
      detaineeId: (await insertDetainee(e)).id,
      startsAt: at(d2, '16:00'),
      capacity: 1,
    });
    // d3: the family's own visit uses the detainee's week; d4: another family's visit does.
    const mine = await insertVisit({
      establishmentId: e,
      roomId: setup.room.id,
      templateId: setup.template.id,
      detaineeId: setup.detainee.id,
      familyAccountId: setup.family.id,
      permitIds: [setup.permit.id],
      startsAt: at(d3, '14:00'),
      channel: 'ONLINE',
    });
    await insertVisit({ establishmentId: e, roomId: roomB.id, detaineeId: setup.detainee.id, startsAt: at(d4, '09:00') });
    const agent = await signInFamily(suite.app.url, setup.family);

    // Two visitors hold a permit: the family says who comes first, then sees the slots for them.
    const first = await bookingForm(agent);
    expect(first.options('slot')).toEqual([]);
    expect(first.options('visiteurs').sort()).toEqual([setup.permit.id, child.id].sort());
    const nobody = await agent.get(`/visites/reserver?detenu=${setup.detainee.id}&etape=creneaux`).expect(400);
    expect(page(nobody).errors()).toEqual(['Choisissez qui vient à la visite']);

    const forBoth = `/visites/reserver?detenu=${setup.detainee.id}&etape=creneaux&visiteurs=${setup.permit.id}&visiteurs=${child.id}`;
    const both = page(await agent.get(forBoth).expect(200));
    expect(both.text('coming')).toBe('Qui vient : Łukasz Wiśniewski, Zofia Wiśniewska. Modifier les visiteurs');
    // One week at a time: by default the first with a slot they may take (d1's), each of the others by its link.
    expect(both.texts('slot-day-label')).toEqual([dayHeading(d1)]);
    const [w1, w2, w3, w4] = (await everyWeek(agent, forBoth)).filter((w) => w.texts('slot-day-label').length > 0);
    expect([w1, w2, w3, w4].map((w) => w.texts('slot-day-label'))).toEqual([d1, d2, d3, d4].map((d) => [dayHeading(d)]));
    const big = (d: string) => `${setup.template.id}|${d}`;
    const one = (d: string) => `${small.id}|${d}`;
    expect([w1, w2, w3, w4].map((w) => w.options('slot'))).toEqual([[big(d1), one(d1)], [big(d2)], [], []]);
    expect(w1.labelOf('slot', big(d1))).toBe(`14 h 00 – 15 h 00 · ${roomName(w1, big(d1))} 10 places libres`);
    expect(w1.labelOf('slot', one(d1))).toBe('16 h 00 – 17 h 00 · Parloir B 1 place libre');
    expect(whyNot(w2, one(d2))).toBe('Complet');
    expect(w2.$(`[data-slot="${one(d2)}"] [data-testid="waitlist-button"]`).attr('value')).toBe(one(d2));
    expect(whyNot(w3, big(d3))).toBe(
      `Vous avez déjà une visite cette semaine-là : ${whenOf(at(d3, '14:00'))}. La personne détenue a droit à 1 visite par semaine. Choisissez un créneau d’une autre semaine.`,
    );
    expect(whyNot(w3, one(d3))).toBe(whyNot(w3, big(d3)));
    // Another family's visit is not told: only that the week is used.
    expect(whyNot(w4, big(d4))).toBe(
      'Le nombre de visites de la semaine pour cette personne détenue est atteint. Choisissez un créneau d’une autre semaine.',
    );

    // The child alone: no slot, each day says why.
    const forChild = `/visites/reserver?detenu=${setup.detainee.id}&etape=creneaux&visiteurs=${child.id}`;
    const alone = page(await agent.get(`${forChild}&semaine=${d1}`).expect(200));
    expect(alone.options('slot')).toEqual([]);
    const under16 =
      'Un enfant de moins de 16 ans vient accompagné d’un adulte titulaire d’un permis de visite. Choisissez aussi un adulte qui vient avec lui.';
    expect(alone.texts('slot-day-unavailable')).toEqual([under16]);
    expect(page(await agent.get(`${forChild}&semaine=${d4}`).expect(200)).texts('slot-day-unavailable')).toEqual([under16]);
    // « Modifier les visiteurs » goes back to the question, with those who were chosen ticked.
    const change = page(await agent.get(alone.link('Modifier')).expect(200));
    expect(change.value('visiteurs')).toBe(child.id);
    expect(change.options('slot')).toEqual([]);

    // The move page of the family's visit says the same, without the visit itself: its own slot is its current time.
    const move = page(await agent.get(`/visites/${mine.id}/deplacer`).expect(200));
    expect(whyNot(move, big(d3))).toBe('C’est l’horaire actuel de la visite.');
    expect(move.options('slot')).toEqual([big(d1), one(d1), big(d2), one(d3)]);
    expect(whyNot(move, one(d2))).toBe('Complet');
    expect(move.has('waitlist-button')).toBe(false);
    expect(whyNot(move, big(d4))).toBe(
      'Le nombre de visites de la semaine pour cette personne détenue est atteint. Choisissez un créneau d’une autre semaine.',
    );

    // Where families may not book online, the page says whom to call instead of showing slots.
    await setVisitSettings(e, { onlineBooking: false });
    const closed = page(await agent.get(`/visites/reserver?detenu=${setup.detainee.id}&visiteurs=${setup.permit.id}`).expect(200));
    expect(closed.text('staff-only')).toBe(
      'Dans cet établissement, les visites ne se réservent pas en ligne. Pour réserver, appelez le parloir de l’établissement ou allez sur place.',
    );
    expect(closed.options('slot')).toEqual([]);
  });

  it('a family without permit is told how to get one', async () => {
    const agent = await signInFamily(suite.app.url, await insertFamily({ givenName: 'Nguyễn', familyName: 'Thị Hoa' }));
    const form = await bookingForm(agent);
    expect(form.text('no-permit')).toContain('Vous n’avez pas encore de permis de visite actif');
  });

  it('refuses, in French, ids that are not UUIDs: the detainee, the visitors and the slot, for a booking and for the waiting list', async () => {
    const setup = await insertBookingSetup({ family: { givenName: 'Zofia', familyName: 'Wiśniewska' } });
    const agent = await signInFamily(suite.app.url, setup.family);
    const [slot] = (await bookingForm(agent)).options('slot');
    const day = slot.split('|')[1];
    for (const action of ['book', 'wait']) {
      const detainee = await sendBooking(agent, { slot, action, detaineeId: 'x' });
      expect(detainee.status).toBe(400);
      expect(page(detainee).errors()).toEqual(['Choisissez la personne détenue que vous visitez']);
      const visitors = await sendBooking(agent, { slot, action, permitIds: ['x', setup.permit.id] });
      expect(visitors.status).toBe(400);
      expect(page(visitors).errors()).toEqual(['Choisissez les visiteurs dans la liste']);
      for (const bad of [`x|${day}`, `${setup.template.id}|2026-13-45`, `${setup.template.id}`, [slot, slot]]) {
        const res = await sendBooking(agent, { slot: bad, action });
        expect(res.status).toBe(400);
        expect(page(res).errors()).toEqual(['Choisissez un créneau']);
      }
    }
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE family_account_id = $1`, [setup.family.id])).toEqual([{ n: 0 }]);
    expect(await query(`SELECT count(*)::int AS n FROM visit_waitlist WHERE family_account_id = $1`, [setup.family.id])).toEqual([
      { n: 0 },
    ]);
  });
});

describe('the booking page shows one week at a time', () => {
  /** A family with one visitor, a weekly slot on the day 3 days ahead (open on public holidays: the same days whatever the date). */
  async function weekly() {
    const setup = await insertBookingSetup({
      family: { givenName: 'Łucja', familyName: 'Nguyễn-Şahin' },
      detainee: { firstName: 'محمد', lastName: 'Haddad' },
    });
    await setVisitSettings(setup.establishment.id, { openOnHolidays: true });
    const agent = await signInFamily(suite.app.url, setup.family);
    const slotOn = (day: string) => `${setup.template.id}|${day}`;
    return { setup, agent, slotOn };
  }

  it('opens on the first week with a slot to take and links to the weeks before and after, keeping who comes', async () => {
    const { setup, agent, slotOn } = await weekly();
    const [d1, d2, d3, d4] = [3, 10, 17, 24].map((n) => dayIn(n));
    const first = await bookingForm(agent);
    expect(first.text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d1))}`);
    expect(first.texts('slot-day-label')).toEqual([dayHeading(d1)]);
    expect(first.options('slot')).toEqual([slotOn(d1)]);
    expect(first.formFields('/visites/reserver').semaine).toBe(mondayOf(d1));

    // Week after week to the end of the booking window (28 days), then back: the same weeks.
    const weeks = await everyWeek(agent, '/visites/reserver');
    expect(weeks.map((w) => w.text('week-position'))).toEqual(weeks.map((_, i) => `Semaine ${i + 1} sur ${weeks.length}`));
    expect(weeks[0].has('week-previous')).toBe(false);
    expect(weeks.at(-1)!.has('week-next')).toBe(false);
    expect(weeks.flatMap((w) => w.options('slot'))).toEqual([d1, d2, d3, d4].map(slotOn));
    for (const w of weeks) {
      // Every week names the detainee and who comes, in their own script; its links keep them.
      expect(w.text('chosen')).toBe(`Visite à محمد Haddad — ${setup.establishment.name}.`);
      expect(w.text('coming')).toBe('Qui vient : Łucja Nguyễn-Şahin.');
      for (const id of ['week-previous', 'week-next']) {
        const href = w.testId(id).attr('href');
        if (href)
          expect(href).toMatch(
            new RegExp(
              `^/visites/reserver\\?detenu=${setup.detainee.id}&visiteurs=${setup.permit.id}&semaine=\\d{4}-\\d{2}-\\d{2}#semaine$`,
            ),
          );
      }
    }
    // The links say which week they lead to, for screen readers.
    const second = page(await agent.get(first.testId('week-next').attr('href')!).expect(200));
    expect(first.text('week-next')).toBe(`Semaine suivante : ${weekLabel(mondayOf(d2))}`);
    expect(second.text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d2))}`);
    expect(second.text('week-previous')).toBe(`Semaine précédente : ${weekLabel(mondayOf(d1))}`);

    // Any day of a week shows it, as AAAA-MM-JJ or JJ/MM/AAAA.
    const third = page(await agent.get(`/visites/reserver?semaine=${d3}`).expect(200));
    expect(third.options('slot')).toEqual([slotOn(d3)]);
    const typed = `${d4.slice(8, 10)}/${d4.slice(5, 7)}/${d4.slice(0, 4)}`;
    expect(page(await agent.get(`/visites/reserver?semaine=${encodeURIComponent(typed)}`).expect(200)).options('slot')).toEqual([
      slotOn(d4),
    ]);
  });

  it('skips the first weeks when no slot can be taken there, and says so', async () => {
    const { setup, agent, slotOn } = await weekly();
    const [d1, d2] = [3, 10].map((n) => dayIn(n));
    // The detainee (a condamné: 1 visit a week) already has a visit that week.
    await insertVisit({
      establishmentId: setup.establishment.id,
      roomId: setup.room.id,
      detaineeId: setup.detainee.id,
      startsAt: at(d1, '09:00'),
    });
    const form = await bookingForm(agent);
    expect(form.options('slot')).toEqual([slotOn(d2)]);
    const why = '(la semaine précédente indique|les semaines précédentes indiquent) pourquoi';
    expect(form.text('week-skipped')).toMatch(
      new RegExp(`^Aucun créneau n’est disponible avant le ${dayHeading(mondayOf(d2)).toLowerCase()} : ${why}\\.$`),
    );
    const before = page(await agent.get(`/visites/reserver?semaine=${d1}`).expect(200));
    expect(whyNot(before, slotOn(d1))).toBe(
      'Le nombre de visites de la semaine pour cette personne détenue est atteint. Choisissez un créneau d’une autre semaine.',
    );
    expect(before.has('week-skipped')).toBe(false);
  });

  it('a week that is not one, or outside the booking window, says why and shows the first week instead', async () => {
    const { agent, slotOn } = await weekly();
    const d1 = dayIn(3);
    const notAWeek = 'La semaine demandée n’existe pas. Voici la première semaine où réserver.';
    const queries = [
      'semaine=demain',
      'semaine=2026-02-30',
      'semaine=2026-W50',
      `semaine=${d1}&semaine=${d1}`,
      `semaine=${'9'.repeat(5000)}`,
    ];
    for (const query of queries) {
      const res = await agent.get(`/visites/reserver?${query}`).expect(200);
      expect([query, page(res).text('week-notice')]).toEqual([query, notAWeek]);
      expect(page(res).options('slot')).toEqual([slotOn(d1)]);
    }
    const past = page(await agent.get(`/visites/reserver?semaine=${dayIn(-14)}`).expect(200));
    expect(past.text('week-notice')).toBe(
      `La semaine ${weekLabel(mondayOf(dayIn(-14)))} est passée. Voici la première semaine où réserver.`,
    );
    expect(past.options('slot')).toEqual([slotOn(d1)]);
    const far = page(await agent.get(`/visites/reserver?semaine=${dayIn(60)}`).expect(200));
    expect(far.text('week-notice')).toBe(
      `La semaine ${weekLabel(mondayOf(dayIn(60)))} n’est pas encore ouverte à la réservation : ` +
        'les visites se réservent au plus 28 jours à l’avance. Voici la première semaine où réserver.',
    );
    expect(far.options('slot')).toEqual([slotOn(d1)]);
    // A week that is fine says nothing.
    expect(page(await agent.get(`/visites/reserver?semaine=${d1}`).expect(200)).has('week-notice')).toBe(false);
  });

  it('a refused booking shows the week of the slot chosen, still ticked, or the week the form showed', async () => {
    const { setup, agent, slotOn } = await weekly();
    const [d3, d4] = [17, 24].map((n) => dayIn(n));
    const third = page(await agent.get(`/visites/reserver?semaine=${d3}`).expect(200));
    const fields = third.formFields('/visites/reserver');
    expect(fields.semaine).toBe(mondayOf(d3));
    // No slot chosen: the week the form showed, again.
    const none = await agent.post('/visites/reserver').type('form').send(fields).expect(400);
    expect(page(none).errors()).toEqual(['Choisissez un créneau']);
    expect(page(none).text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d3))}`);
    // A slot of another week refused (here, a bad detainee id): that slot's week, the slot still ticked.
    const refused = await agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...fields, slot: slotOn(d4), detaineeId: 'x' })
      .expect(400);
    expect(page(refused).errors()).toEqual(['Choisissez la personne détenue que vous visitez']);
    expect(page(refused).text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d4))}`);
    expect(page(refused).value('slot')).toBe(slotOn(d4));
    // Full meanwhile: refused with the reason, on the slot's week.
    await query(`UPDATE slot_templates SET capacity = 1 WHERE id = $1`, [setup.template.id]);
    await insertVisit({
      establishmentId: setup.establishment.id,
      roomId: setup.room.id,
      templateId: setup.template.id,
      detaineeId: (await insertDetainee(setup.establishment.id)).id,
      startsAt: at(d4, '14:00'),
      capacity: 1,
    });
    const full = await agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...fields, slot: slotOn(d4) })
      .expect(409);
    expect(page(full).text('week-label')).toBe(`Semaine ${weekLabel(mondayOf(d4))}`);
    expect(whyNot(page(full), slotOn(d4))).toBe('Complet');
    expect(page(full).has('waitlist-button')).toBe(true);
  });
});
