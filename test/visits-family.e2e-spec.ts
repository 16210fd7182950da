import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { waitFor } from './helpers/processes';
import { signInFamily, type Agent } from './helpers/sign-in';
import { insertDetainee, insertFamily } from './factories/people';
import { insertPermit } from './factories/permits';
import { insertBookingSetup } from './factories/visits';

const suite = appForTests();

/** The booking form of the signed-in family, read as a page. */
async function bookingForm(agent: Agent) {
  return page(await agent.get('/visites/reserver').expect(200));
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
    expect(form.options('permitIds')).toEqual([setup.permit.id]);
    expect(form.labelOf('permitIds', setup.permit.id)).toBe('Łucja Nguyễn-Şahin');
    const [slot] = form.options('slot');
    expect(slot).toMatch(new RegExp(`^${setup.template.id}\\|\\d{4}-\\d{2}-\\d{2}$`));
    expect(form.labelOf('slot', slot)).toContain('10 place(s) libre(s)');

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
    expect((await bookingForm(agent)).labelOf('slot', slot)).toContain('9 place(s) libre(s)');

    // The entitlement of a condamné (1 a week by default) is used for that week.
    const sameWeek = await agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...fields, key: 'another-key' });
    expect([409, 400]).toContain(sameWeek.status);
    expect(page(sameWeek).errors()).toEqual([
      expect.stringMatching(/La personne détenue a déjà une visite à ce moment-là|Le nombre de visites de la semaine/),
    ]);
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
    expect((await bookingForm(agent)).labelOf('slot', slot)).toContain('10 place(s) libre(s)');
    const mine = page(await agent.get('/mes-rendez-vous').expect(200));
    expect(mine.has('upcoming-appointment')).toBe(false);
    expect(mine.texts('other-appointment')).toEqual([expect.stringContaining('Visite au parloir — Avec ')]);
    expect(mine.texts('other-appointment')).toEqual([expect.stringMatching(/\(annulée\)$/)]);
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
