import { DataSource } from 'typeorm';
import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { openDataSource, services, testConfig } from './helpers/notifications';
import { csrfOf, FAMILY, signIn, STAFF, type Agent } from './helpers/sign-in';

/* eslint-disable @typescript-eslint/no-require-imports */
const { VisitsService } = require('../dist/src/visits/visits.service');
const { WaitlistService } = require('../dist/src/visits/waitlist.service');
const { AuditService } = require('../dist/src/common/audit.service');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * What happens to booked visits afterwards: moving one, the waiting list of a full slot (a freed
 * place held for the first family waiting, then the next), and the "À revoir" queue when a permit is
 * suspended or a detainee leaves.
 */
let app: TestApp;
let ds: DataSource;
let camille: Agent;
let karim: Agent;
let templateId: string; // a slot with a single place
let otherTemplateId: string;
let karimPermit: string;

/** The n-th open occurrence of a weekly slot on the family's booking form. */
async function slotValue(agent: Agent, template: string, nth = 0): Promise<string> {
  const form = await agent.get('/visites/reserver').expect(200);
  const all = [...form.text.matchAll(new RegExp(`value="(${template}\\|\\d{4}-\\d{2}-\\d{2})"`, 'g'))].map((m) => m[1]);
  if (!all[nth]) throw new Error('slot not offered');
  return all[nth];
}

async function book(agent: Agent, slot: string, action: 'book' | 'wait') {
  const form = await agent.get('/visites/reserver').expect(200);
  const detaineeId = /name="detaineeId" value="([^"]+)"/.exec(form.text)![1];
  const permitId = /name="permitIds" value="([^"]+)"/.exec(form.text)![1];
  const key = /name="key" value="([^"]+)"/.exec(form.text)![1];
  return agent
    .post('/visites/reserver')
    .type('form')
    .send({ _csrf: csrfOf(form), detaineeId, permitIds: permitId, slot, key, action });
}

beforeAll(async () => {
  app = await startTestApp();
  ds = await openDataSource(2);
  camille = (await signIn(app.url, FAMILY.camille)).agent;
  karim = (await signIn(app.url, FAMILY.karim)).agent;
  const [permit] = await query(
    `SELECT p.establishment_id, p.detainee_id FROM permits p JOIN family_accounts f ON f.id = p.family_account_id WHERE f.fc_subject = $1`,
    [FAMILY.camille],
  );
  [{ id: karimPermit }] = await query(
    `INSERT INTO permits (establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship, valid_from, origin)
     SELECT $1, $2, f.id, 'Karim', 'Benali', '1979-11-02', 'SIBLING', '2026-01-01', 'PAPER' FROM family_accounts f WHERE f.fc_subject = $3 RETURNING id`,
    [permit.establishment_id, permit.detainee_id, FAMILY.karim],
  );
  await query(`INSERT INTO visit_settings (establishment_id, weekly_condamne) VALUES ($1, 7)`, [permit.establishment_id]);
  const [room] = await query(`SELECT id FROM visiting_rooms WHERE establishment_id = $1 AND name = 'Parloir avec séparation'`, [
    permit.establishment_id,
  ]);
  [{ id: templateId }] = await query(
    `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from) VALUES ($1, 4, '10:00', '11:00', 1, '2026-01-01') RETURNING id`,
    [room.id],
  );
  [{ id: otherTemplateId }] = await query(
    `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from) VALUES ($1, 5, '10:00', '11:00', 4, '2026-01-01') RETURNING id`,
    [room.id],
  );
});
afterAll(async () => {
  await ds?.destroy();
  await app?.stop();
});

describe('the waiting list and moving a visit', () => {
  let slot: string;
  let camilleVisit: { id: string; reference: string; slot_id: string; appointment_id: string };
  let entryId: string;

  it('a full slot offers the waiting list instead of a booking', async () => {
    slot = await slotValue(camille, templateId);
    expect((await book(camille, slot, 'book')).status).toBe(303);
    [camilleVisit] = await query(
      `SELECT v.id, v.reference, v.slot_id, v.appointment_id FROM visits v JOIN visit_slots s ON s.id = v.slot_id WHERE s.template_id = $1`,
      [templateId],
    );

    const form = await karim.get('/visites/reserver').expect(200);
    expect(form.text).toContain('Complet : liste d’attente possible');
    const full = await book(karim, slot, 'book');
    expect(full.status).toBe(409);
    expect(full.text).toContain('Ce créneau est complet. Choisissez un autre créneau ou inscrivez-vous sur la liste d’attente.');
    const joined = await book(karim, slot, 'wait');
    expect(joined.status).toBe(303);
    expect(joined.headers.location).toBe('/visites?attente=1');
    const twice = await book(karim, slot, 'wait');
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('Vous êtes déjà sur la liste d’attente de ce créneau.');
    const mine = await karim.get('/visites').expect(200);
    expect(mine.text).toContain('vous êtes la prochaine famille');
    [{ id: entryId }] = await query(`SELECT id FROM visit_waitlist WHERE status = 'WAITING'`);
  });

  it('moving a visit keeps its reference, takes the new place, and holds the freed one for the family waiting', async () => {
    const page = await camille.get(`/visites/${camilleVisit.id}/deplacer`).expect(200);
    const target = new RegExp(`value="(${otherTemplateId}\\|\\d{4}-\\d{2}-\\d{2})"`).exec(page.text)![1];
    const none = await camille
      .post(`/visites/${camilleVisit.id}/deplacer`)
      .type('form')
      .send({ _csrf: csrfOf(page) })
      .expect(400);
    expect(none.text).toContain('Choisissez le nouveau créneau');
    const moved = await camille
      .post(`/visites/${camilleVisit.id}/deplacer`)
      .type('form')
      .send({ _csrf: csrfOf(page), slot: target })
      .expect(303);
    expect(moved.headers.location).toBe(`/visites?deplacee=${camilleVisit.reference}`);

    const [after] = await query(
      `SELECT v.reference, s.template_id, a.starts_at = lower(v.during) AS appointment_follows FROM visits v JOIN visit_slots s ON s.id = v.slot_id JOIN appointments a ON a.id = v.appointment_id WHERE v.id = $1`,
      [camilleVisit.id],
    );
    expect(after).toEqual({ reference: camilleVisit.reference, template_id: otherTemplateId, appointment_follows: true });
    expect(await query(`SELECT booked, held FROM visit_slots WHERE id = $1`, [camilleVisit.slot_id])).toEqual([{ booked: 0, held: 1 }]);
    expect(
      await query(`SELECT count(*)::int AS n FROM notifications WHERE template = 'appointment-moved' AND entity_id = $1`, [
        camilleVisit.appointment_id,
      ]),
    ).toEqual([{ n: 1 }]);

    const [entry] = await query(`SELECT status, offer_expires_at > now() AS open FROM visit_waitlist WHERE id = $1`, [entryId]);
    expect(entry).toEqual({ status: 'OFFERED', open: true });
    const [offer] = await query(`SELECT channel, body_text FROM notifications WHERE template = 'waitlist-offer' AND entity_id = $1`, [
      entryId,
    ]);
    expect(offer.channel).toBe('EMAIL');
    expect(offer.body_text).toContain(`/visites/liste-attente/${entryId}`);

    // The held place is not for anyone else.
    const form = await camille.get('/visites/reserver').expect(200);
    expect(form.text).toMatch(new RegExp(`value="${slot}">\\s*<label[^>]*>[^<]*<span class="fr-hint-text">Complet`));
  });

  it('the family offered the place confirms it: a visit with its convocation', async () => {
    const page = await karim.get(`/visites/liste-attente/${entryId}`).expect(200);
    expect(page.text).toContain('Une place s’est libérée');
    const other = await camille.get(`/visites/liste-attente/${entryId}`);
    expect(other.status).toBe(404);
    const done = await karim
      .post(`/visites/liste-attente/${entryId}/confirmer`)
      .type('form')
      .send({ _csrf: csrfOf(page) })
      .expect(303);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(done.headers.location)![1];
    expect(await query(`SELECT booked, held FROM visit_slots WHERE id = $1`, [camilleVisit.slot_id])).toEqual([{ booked: 1, held: 0 }]);
    const [entry] = await query(
      `SELECT w.status, v.reference, v.appointment_id IS NOT NULL AS convocation FROM visit_waitlist w JOIN visits v ON v.id = w.visit_id WHERE w.id = $1`,
      [entryId],
    );
    expect(entry).toEqual({ status: 'BOOKED', reference, convocation: true });
  });

  it('an offer not answered in time goes to the next family, and the place back to everyone when nobody waits', async () => {
    // Camille waits for the same (full) slot; Karim cancels: the place is offered to Camille.
    expect((await book(camille, slot, 'wait')).status).toBe(303);
    const [karimVisit] = await query(
      `SELECT v.appointment_id FROM visits v JOIN visit_slots s ON s.id = v.slot_id WHERE s.template_id = $1 AND v.status = 'BOOKED'`,
      [templateId],
    );
    const confirm = await karim.get(`/mes-rendez-vous/${karimVisit.appointment_id}/annuler`).expect(200);
    await karim
      .post(`/mes-rendez-vous/${karimVisit.appointment_id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(confirm) })
      .expect(303);
    const [offered] = await query(`SELECT id, offer_expires_at FROM visit_waitlist WHERE status = 'OFFERED'`);
    expect(offered).toBeDefined();
    expect(await query(`SELECT booked, held FROM visit_slots WHERE id = $1`, [camilleVisit.slot_id])).toEqual([{ booked: 0, held: 1 }]);

    const { appointments, notifications } = services(ds);
    const visits = new VisitsService(ds, new AuditService(ds), appointments);
    const waitlist = new WaitlistService(ds, visits, notifications, new AuditService(ds), testConfig());
    expect(await waitlist.expireOffers(new Date(new Date(offered.offer_expires_at).getTime() - 60_000))).toBe(0);
    expect(await waitlist.expireOffers(new Date(new Date(offered.offer_expires_at).getTime() + 60_000))).toBe(1);
    expect(await query(`SELECT status FROM visit_waitlist WHERE id = $1`, [offered.id])).toEqual([{ status: 'EXPIRED' }]);
    expect(await query(`SELECT booked, held FROM visit_slots WHERE id = $1`, [camilleVisit.slot_id])).toEqual([{ booked: 0, held: 0 }]);
    const late = await camille.get('/visites').expect(200);
    expect(late.text).not.toContain('une place vous est proposée');
    const form = await camille.get('/visites/reserver').expect(200);
    const tooLate = await camille
      .post(`/visites/liste-attente/${offered.id}/confirmer`)
      .type('form')
      .send({ _csrf: csrfOf(form) })
      .expect(409);
    expect(tooLate.text).toContain('Aucune place ne vous est proposée pour ce créneau.');
    expect(await query(`SELECT booked, held FROM visit_slots WHERE id = $1`, [camilleVisit.slot_id])).toEqual([{ booked: 0, held: 0 }]);
  });
});

describe('the visiting-room agent changes a visit at the family’s request', () => {
  it('moves it with the same checks, and cancels another after confirming; the family is told', async () => {
    const agent = (await signIn(app.url, STAFF.parloirNord)).agent;
    const [moving] = await query(
      `SELECT v.id, v.reference FROM visits v JOIN visit_slots s ON s.id = v.slot_id WHERE s.template_id = $1 AND v.status = 'BOOKED'`,
      [otherTemplateId],
    );
    const page = await agent.get(`/etablissements/CPNORD/parloir/visites/${moving.id}/deplacer`).expect(200);
    const targets = [...page.text.matchAll(new RegExp(`value="(${otherTemplateId}\\|\\d{4}-\\d{2}-\\d{2})"`, 'g'))].map((m) => m[1]);
    const done = await agent
      .post(`/etablissements/CPNORD/parloir/visites/${moving.id}/deplacer`)
      .type('form')
      .send({ _csrf: csrfOf(page), slot: targets[1] })
      .expect(303);
    expect(done.headers.location).toBe(`/etablissements/CPNORD/parloir/visites/${moving.id}?fait=deplacee`);
    expect(
      await query(
        `SELECT v.reference, to_char(lower(v.during) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day FROM visits v WHERE v.id = $1`,
        [moving.id],
      ),
    ).toEqual([{ reference: moving.reference, day: targets[1].split('|')[1] }]);
    expect(
      await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'VISIT_MOVED' AND entity_id = $1 AND actor_type = 'AGENT'`, [
        moving.id,
      ]),
    ).toEqual([{ n: 1 }]);

    const [demo] = await query(
      `SELECT v.id, v.appointment_id FROM visits v JOIN visit_slots s ON s.id = v.slot_id WHERE s.template_id IS NULL AND v.family_account_id IS NOT NULL AND v.status = 'BOOKED'`,
    );
    const visitPage = await agent.get(`/etablissements/CPNORD/parloir/visites/${demo.id}`).expect(200);
    const unconfirmed = await agent
      .post(`/etablissements/CPNORD/parloir/visites/${demo.id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(visitPage) })
      .expect(400);
    expect(unconfirmed.text).toContain('Cochez la case pour confirmer l’annulation.');
    await agent
      .post(`/etablissements/CPNORD/parloir/visites/${demo.id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(visitPage), confirm: 'oui' })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [demo.id])).toEqual([{ status: 'CANCELLED' }]);
    expect(
      await query(
        `SELECT count(*)::int AS n FROM notifications WHERE template = 'appointment-cancelled' AND entity_id = $1 AND channel = 'EMAIL'`,
        [demo.appointment_id],
      ),
    ).toEqual([{ n: 1 }]);
  });
});

describe('the "À revoir" queue', () => {
  it('flags future visits when a permit is suspended; the agent cancels one after confirming and the family is told', async () => {
    const slot = await slotValue(karim, otherTemplateId, 1); // the first one is Camille's (same detainee)
    expect((await book(karim, slot, 'book')).status).toBe(303);
    const [visit] = await query(
      `SELECT v.id, v.appointment_id FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id WHERE vv.permit_id = $1 AND v.status = 'BOOKED'`,
      [karimPermit],
    );

    const head = (await signIn(app.url, STAFF.headNord)).agent;
    const permitPage = await head.get(`/etablissements/CPNORD/permis/${karimPermit}`).expect(200);
    await head
      .post(`/etablissements/CPNORD/permis/${karimPermit}/statut`)
      .type('form')
      .send({ _csrf: csrfOf(permitPage), status: 'SUSPENDED', reason: 'Incident au parloir' })
      .expect(303);
    expect(await query(`SELECT review_reason FROM visits WHERE id = $1`, [visit.id])).toEqual([
      { review_reason: 'Permis suspendu (Karim Benali)' },
    ]);

    const agent = (await signIn(app.url, STAFF.parloirNord)).agent;
    const queue = await agent.get('/etablissements/CPNORD/parloir/a-revoir').expect(200);
    expect(queue.text).toContain('Permis suspendu (Karim Benali)');
    const unconfirmed = await agent
      .post(`/etablissements/CPNORD/parloir/a-revoir/${visit.id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(queue) })
      .expect(400);
    expect(unconfirmed.text).toContain('Cochez la case pour confirmer l’annulation.');
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual([{ status: 'BOOKED' }]);
    await agent
      .post(`/etablissements/CPNORD/parloir/a-revoir/${visit.id}/annuler`)
      .type('form')
      .send({ _csrf: csrfOf(queue), confirm: 'oui' })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual([{ status: 'CANCELLED' }]);
    expect(
      await query(
        `SELECT count(*)::int AS n FROM notifications WHERE template = 'appointment-cancelled' AND entity_id = $1 AND channel = 'EMAIL'`,
        [visit.appointment_id],
      ),
    ).toEqual([{ n: 1 }]);
    const after = await agent.get('/etablissements/CPNORD/parloir/a-revoir').expect(200);
    expect(after.text).toContain('Aucune visite à revoir.');
  });

  it('flags them when the detainee leaves; the agent may keep one (audited)', async () => {
    const [visit] = await query(
      `SELECT v.id, v.detainee_id FROM visits v JOIN family_accounts f ON f.id = v.family_account_id WHERE f.fc_subject = $1 AND v.status = 'BOOKED' AND lower(v.during) > now() LIMIT 1`,
      [FAMILY.camille],
    );
    await query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = now() WHERE id = $1`, [visit.detainee_id]);
    expect(await query(`SELECT review_reason FROM visits WHERE id = $1`, [visit.id])).toEqual([
      { review_reason: 'Personne détenue libérée' },
    ]);
    const agent = (await signIn(app.url, STAFF.parloirNord)).agent;
    const queue = await agent.get('/etablissements/CPNORD/parloir/a-revoir').expect(200);
    expect(queue.text).toContain('Personne détenue libérée');
    await agent
      .post(`/etablissements/CPNORD/parloir/a-revoir/${visit.id}/garder`)
      .type('form')
      .send({ _csrf: csrfOf(queue) })
      .expect(303);
    expect(await query(`SELECT status, review_reason FROM visits WHERE id = $1`, [visit.id])).toEqual([
      { status: 'BOOKED', review_reason: null },
    ]);
    expect(
      await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'VISIT_REVIEW_KEPT' AND entity_id = $1`, [visit.id]),
    ).toEqual([{ n: 1 }]);
    const other = (await signIn(app.url, STAFF.permitsSud)).agent;
    await other.get('/etablissements/CPNORD/parloir/a-revoir').expect(403);
  });
});
