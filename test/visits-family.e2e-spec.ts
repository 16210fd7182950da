import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { waitFor } from './helpers/processes';
import { csrfOf, FAMILY, signIn } from './helpers/sign-in';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  // Camille starts without a booking: her demo visit is cancelled the way she would do it.
  const { agent } = await signIn(app.url, FAMILY.camille);
  for (const { appointment_id: id } of await query(
    `SELECT appointment_id FROM visits WHERE family_account_id IS NOT NULL AND status = 'BOOKED'`,
  )) {
    const confirm = await agent.get(`/mes-rendez-vous/${id}/annuler`).expect(200);
    await agent
      .post(`/mes-rendez-vous/${id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(confirm) })
      .expect(303);
  }
});
afterAll(async () => {
  await app?.stop();
});

describe('a family books a visit online', () => {
  it('sees only the detainee and visitors of its permits, open slots with free places, books once even when the form is sent twice', async () => {
    const { agent } = await signIn(app.url, FAMILY.camille);
    const form = await agent.get('/visites/reserver').expect(200);
    expect(form.text).toContain('Camille Martin');
    const slot = /name="slot" value="([^"]+)"/.exec(form.text)![1];
    expect(form.text).toContain('10 place(s) libre(s)');
    const detaineeId = /name="detaineeId" value="([^"]+)"/.exec(form.text)![1];
    const permitId = /name="permitIds" value="([^"]+)"/.exec(form.text)![1];
    const key = /name="key" value="([^"]+)"/.exec(form.text)![1];

    const none = await agent
      .post('/visites/reserver')
      .type('form')
      .send({ _csrf: csrfOf(form), detaineeId, permitIds: permitId, key });
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choisissez un créneau');

    const fields = { _csrf: csrfOf(form), detaineeId, permitIds: permitId, slot, key };
    const first = await agent.post('/visites/reserver').type('form').send(fields).expect(303);
    const again = await agent.post('/visites/reserver').type('form').send(fields).expect(303);
    expect(again.headers.location).toBe(first.headers.location);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(first.headers.location)![1];
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE idempotency_key IS NOT NULL`)).toEqual([{ n: 1 }]);
    const mine = await agent.get(first.headers.location).expect(200);
    expect(mine.text).toContain(`Référence : <strong>${reference}</strong>`);

    const mail = await waitFor(
      'convocation',
      async () =>
        (
          await query(
            `SELECT subject, body, attachments FROM demo_inbox WHERE subject LIKE 'Rendez-vous confirmé%' AND body LIKE '%' || $1 || '%'`,
            [reference],
          )
        )[0],
      20000,
    );
    expect(mail.body).toContain('une pièce d’identité en cours de validité');
    expect([...mail.attachments].sort()).toEqual(['convocation-qr.png (image/png)', 'rendez-vous.ics (text/calendar)']);
    expect(mail.body).toContain(`donnez la référence ${reference} ou montrez le code QR`);
    const after = await agent.get('/visites/reserver').expect(200);
    expect(after.text).toContain('9 place(s) libre(s)');

    // The entitlement of a condamné (1 a week by default) is used for that week.
    const sameWeek = await agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...fields, key: 'another-key' });
    expect([409, 400]).toContain(sameWeek.status);
    expect(sameWeek.text).toMatch(/La personne détenue a déjà une visite à ce moment-là|Le nombre de visites de la semaine/);
  });

  it('cancelling the visit from "Mes rendez-vous" frees its place, in the same transaction', async () => {
    const { agent } = await signIn(app.url, FAMILY.camille);
    const [v] = await query(
      `SELECT v.id, v.appointment_id, v.slot_id FROM visits v WHERE v.status = 'BOOKED' AND v.family_account_id IS NOT NULL`,
    );
    expect(await query(`SELECT booked FROM visit_slots WHERE id = $1`, [v.slot_id])).toEqual([{ booked: 1 }]);
    const confirm = await agent.get(`/mes-rendez-vous/${v.appointment_id}/annuler`).expect(200);
    await agent
      .post(`/mes-rendez-vous/${v.appointment_id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(confirm) })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [v.id])).toEqual([{ status: 'CANCELLED' }]);
    expect(await query(`SELECT booked FROM visit_slots WHERE id = $1`, [v.slot_id])).toEqual([{ booked: 0 }]);
    expect(await query(`SELECT count(*)::int AS n FROM visit_visitors WHERE visit_id = $1 AND active`, [v.id])).toEqual([{ n: 0 }]);
    const form = await agent.get('/visites/reserver').expect(200);
    expect(form.text).not.toContain('9 place(s) libre(s)');
  });

  it('a family without permit is told how to get one', async () => {
    const { agent } = await signIn(app.url, FAMILY.karim);
    const page = await agent.get('/visites/reserver').expect(200);
    expect(page.text).toContain('Vous n’avez pas encore de permis de visite actif');
  });
});
