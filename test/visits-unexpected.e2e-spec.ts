import { DataSource } from 'typeorm';
import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { openDataSource, services } from './helpers/notifications';
import { signInAgent, type Agent } from './helpers/sign-in';
import { grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment, type AgentRow } from './factories/people';
import { insertPermit } from './factories/permits';
import { appointmentInput, bookAppointment } from './factories/appointments';
import { at, dayIn, insertBookingSetup, insertRoom, insertVisit, insertVisitingDay, weekdayOf } from './factories/visits';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { VisitBookingService } = require('../dist/src/visits/visit-booking.service') as typeof import('../src/visits/visit-booking.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
/* eslint-enable @typescript-eslint/no-require-imports */

const TODAY = dayIn(0);
const NEUTRAL = 'La personne détenue ne peut pas recevoir de visite ce jour-là.';

const suite = appForTests();
let ds: DataSource;
let headRow: AgentRow;
let head: Agent;
let parloirRow: AgentRow;
let parloir: Agent;
beforeAll(async () => {
  ds = await openDataSource(2);
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zofia', usualName: 'Wiśniewska' });
  head = await signInAgent(suite.app.url, headRow);
  parloirRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Şükrü', usualName: 'Yılmaz' });
  parloir = await signInAgent(suite.app.url, parloirRow);
});
afterAll(async () => {
  await ds?.destroy();
});

function booking() {
  return new VisitBookingService(ds, new AuditService(), services(ds).appointments, new Clock());
}

/** A visit of the detainee on `day` at `time`, with a convocation sent to its own e-mail and phone. */
async function convokedVisit(o: {
  establishmentId: string;
  roomId: string;
  detaineeId: string;
  permitIds: string[];
  day: string;
  time: string;
}) {
  const startsAt = at(o.day, o.time);
  const visit = await insertVisit({
    establishmentId: o.establishmentId,
    roomId: o.roomId,
    detaineeId: o.detaineeId,
    permitIds: o.permitIds,
    startsAt,
  });
  const appointment = await bookAppointment(appointmentInput(o.establishmentId, { startsAt, reference: visit.reference }));
  await query(`UPDATE visits SET appointment_id = $2 WHERE id = $1`, [visit.id, appointment.id]);
  return { ...visit, appointmentId: appointment.id };
}

/** An establishment where the head works, a detainee and one permit holder with a non-Latin name. */
async function establishmentWithDetainee() {
  const establishment = await insertEstablishment();
  await grantRole(headRow.id, establishment.id, 'HEAD_OF_ESTABLISHMENT');
  const room = await insertRoom(establishment.id, { name: 'Parloir Ω', cabins: 10 });
  const detainee = await insertDetainee(establishment.id, { firstName: 'Karim', lastName: 'Haddad' });
  const permit = await insertPermit({
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    visitorGivenName: 'فاطمة',
    visitorFamilyName: 'Haddad',
    visitorBirthdate: '1970-05-05',
  });
  return { establishment, room, detainee, permit, base: `/etablissements/${establishment.code}/restrictions-visites` };
}

/** The period's read-back (`/verifier`), with the form's CSRF token; the status expected. */
async function checkPeriod(agent: Agent, base: string, fields: Record<string, string>, status: number) {
  const form = page(await agent.get(base).expect(200));
  return agent
    .post(`${base}/verifier`)
    .type('form')
    .send({ _csrf: form.csrf(), ...fields })
    .expect(status);
}

/** The period confirmed (or not) after its read-back; the status expected. */
async function confirmPeriod(agent: Agent, base: string, fields: Record<string, string>, status: number) {
  const form = page(await agent.get(base).expect(200));
  return agent
    .post(base)
    .type('form')
    .send({ _csrf: form.csrf(), ...fields })
    .expect(status);
}

describe('a detainee prevented or in the disciplinary cell (R341-3)', () => {
  it('the head records a prevention: the visits are read back, then cancelled, and each family is told only that the detainee cannot receive visits that day', async () => {
    const { establishment, room, detainee, permit, base } = await establishmentWithDetainee();
    const common = { establishmentId: establishment.id, roomId: room.id, detaineeId: detainee.id, permitIds: [permit.id] };
    const first = await convokedVisit({ ...common, day: dayIn(2), time: '14:00' });
    const second = await convokedVisit({ ...common, day: dayIn(3), time: '10:00' });
    const later = await convokedVisit({ ...common, day: dayIn(6), time: '10:00' });
    const fields = {
      ecrou: detainee.ecrouNumber,
      kind: 'PREVENTED',
      cause: 'HOSPITAL',
      from: dayIn(2),
      to: dayIn(4),
      note: 'Hôpital de Lille',
    };

    const readBack = page(await checkPeriod(head, base, fields, 200));
    expect(readBack.text('cancelled-count')).toBe('2 visites seront annulées');
    expect(readBack.texts('cancelled-visit').map((t) => t.replace(/\s+/g, ' '))).toEqual([
      expect.stringContaining(`Parloir Ω — فاطمة HADDAD (réf. ${first.reference})`),
      expect.stringContaining(`Parloir Ω — فاطمة HADDAD (réf. ${second.reference})`),
    ]);
    expect(
      await queryOne(`SELECT count(*)::int AS n FROM visits WHERE id = ANY($1) AND status = 'BOOKED'`, [[first.id, second.id]]),
    ).toEqual({
      n: 2,
    });

    const unconfirmed = page(await confirmPeriod(head, base, fields, 400));
    expect(unconfirmed.errors()).toEqual([
      'Cochez la case pour confirmer : les visites listées seront annulées et les familles prévenues.',
    ]);
    expect(unconfirmed.text('cancelled-count')).toBe('2 visites seront annulées');

    const done = await confirmPeriod(head, base, { ...fields, confirm: 'oui' }, 303);
    expect(done.headers.location).toBe(`${base}?fait=enregistree&annulees=2`);
    const list = page(await head.get(done.headers.location).expect(200));
    expect(list.text('done')).toBe('Période enregistrée. 2 visites annulées : les familles sont prévenues.');
    expect(list.texts('restriction')[0]).toContain('Karim HADDAD');
    expect(list.texts('restriction')[0]).toContain('Personne détenue empêchée : hospitalisation');

    expect(
      await query(`SELECT id, status FROM visits WHERE id = ANY($1) ORDER BY lower(during)`, [[first.id, second.id, later.id]]),
    ).toEqual([
      { id: first.id, status: 'CANCELLED' },
      { id: second.id, status: 'CANCELLED' },
      { id: later.id, status: 'BOOKED' },
    ]);
    const messages = await query<{ channel: string; body: string }>(
      `SELECT channel, body_text AS body FROM notifications WHERE template = 'appointment-cancelled' AND entity_id = $1 ORDER BY channel`,
      [first.appointmentId],
    );
    expect(messages.map((m) => m.channel)).toEqual(['EMAIL', 'SMS']);
    expect(messages[0].body).toContain(NEUTRAL);
    expect(messages[1].body).toContain('(personne visitée indisponible)');
    for (const m of messages) expect(m.body).not.toMatch(/hospital|hôpital|Lille|disciplin/i);
    expect(
      await queryOne(
        `SELECT actor_label AS label, after->>'kind' AS kind FROM audit_log WHERE action = 'VISIT_RESTRICTION_RECORDED' AND establishment_id = $1`,
        [establishment.id],
      ),
    ).toEqual({ label: 'Zofia Wiśniewska', kind: 'PREVENTED' });
  });

  it('no visit can be booked in a prevented period until it is ended early, and the family reads only the neutral reason', async () => {
    const setup = await insertBookingSetup({ family: { givenName: 'Łukasz', familyName: 'Kowalski' } });
    await grantRole(headRow.id, setup.establishment.id, 'HEAD_OF_ESTABLISHMENT');
    const base = `/etablissements/${setup.establishment.code}/restrictions-visites`;
    const day = dayIn(3);
    const fields = { ecrou: setup.detainee.ecrouNumber, kind: 'PREVENTED', cause: 'COURT', from: TODAY, to: dayIn(5), confirm: 'oui' };
    await confirmPeriod(head, base, fields, 303);

    const input = {
      familyAccountId: setup.family.id,
      templateId: setup.template.id,
      day,
      detaineeId: setup.detainee.id,
      permitIds: [setup.permit.id],
    };
    await expect(
      booking().book({ type: 'FAMILY', id: setup.family.id, label: 'Łukasz Kowalski' }, { ...input, channel: 'ONLINE' }),
    ).rejects.toMatchObject({
      code: 'DETAINEE_PREVENTED',
      message: `${NEUTRAL} Choisissez un autre jour.`,
    });
    await expect(booking().book({ type: 'AGENT', id: headRow.id, label: 'Zofia' }, { ...input, channel: 'PHONE' })).rejects.toMatchObject({
      message: 'La personne détenue est empêchée à cette date : aucune visite n’est possible.',
    });

    // Overlapping the same kind again is refused.
    const twice = page(await checkPeriod(head, base, { ...fields, from: dayIn(1), to: dayIn(2) }, 409));
    expect(twice.errors()).toEqual(['Une période de ce type est déjà enregistrée sur ces dates pour cette personne détenue.']);

    const list = page(await head.get(base).expect(200));
    const id = (await queryOne<{ id: string }>(`SELECT id FROM visit_restrictions WHERE detainee_id = $1`, [setup.detainee.id])).id;
    const unconfirmed = page(await head.post(`${base}/${id}/fin`).type('form').send({ _csrf: list.csrf() }).expect(400));
    expect(unconfirmed.errors()).toEqual(['Cochez la case pour confirmer la fin de la période.']);
    const ended = await head.post(`${base}/${id}/fin`).type('form').send({ _csrf: list.csrf(), confirm: 'oui' }).expect(303);
    expect(page(await head.get(ended.headers.location).expect(200)).text('done')).toContain('Période terminée');
    const booked = await booking().book({ type: 'AGENT', id: headRow.id, label: 'Zofia' }, { ...input, channel: 'PHONE' });
    expect(booked.existing).toBe(false);
    expect(
      await queryOne(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'VISIT_RESTRICTION_ENDED' AND entity_id = $1`, [id]),
    ).toEqual({ n: 1 });
  });

  it('in the disciplinary cell the detainee keeps the first visit of the week: the others of that week are cancelled', async () => {
    const { establishment, room, detainee, permit, base } = await establishmentWithDetainee();
    let monday = dayIn(7);
    for (let k = 8; weekdayOf(monday) !== 1; k++) monday = dayIn(k);
    const dayOfWeek = (n: number) => new Date(Date.parse(`${monday}T12:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
    const common = { establishmentId: establishment.id, roomId: room.id, detaineeId: detainee.id, permitIds: [permit.id] };
    const tuesday = await convokedVisit({ ...common, day: dayOfWeek(1), time: '14:00' });
    const thursday = await convokedVisit({ ...common, day: dayOfWeek(3), time: '14:00' });
    const nextWeek = await convokedVisit({ ...common, day: dayOfWeek(8), time: '14:00' });
    const fields = { ecrou: detainee.ecrouNumber, kind: 'DISCIPLINARY', from: dayOfWeek(0), to: dayOfWeek(13) };
    const readBack = page(await checkPeriod(head, base, fields, 200));
    expect(readBack.text('cancelled-count')).toBe('1 visite sera annulée');
    expect(readBack.text('cancelled-visit')).toContain(thursday.reference);
    await confirmPeriod(head, base, { ...fields, confirm: 'oui' }, 303);
    expect(
      await query(`SELECT id, status FROM visits WHERE id = ANY($1) ORDER BY lower(during)`, [[tuesday.id, thursday.id, nextWeek.id]]),
    ).toEqual([
      { id: tuesday.id, status: 'BOOKED' },
      { id: thursday.id, status: 'CANCELLED' },
      { id: nextWeek.id, status: 'BOOKED' },
    ]);
    const sms = await queryOne<{ body: string }>(
      `SELECT body_text AS body FROM notifications WHERE template = 'appointment-cancelled' AND entity_id = $1 AND channel = 'SMS'`,
      [thursday.appointmentId],
    );
    expect(sms.body).toContain('(personne visitée indisponible)');
    expect(sms.body).not.toMatch(/disciplin/i);
  });

  it('the visiting-room agent records a prevention for today from the visit, never a disciplinary period', async () => {
    const { establishment, kaya } = await insertVisitingDay({ day: TODAY });
    await grantRole(parloirRow.id, establishment.id, 'PARLOIR_AGENT');
    const base = `/etablissements/${establishment.code}/restrictions-visites`;
    // At 09:00 today, on the establishment's clock: Kaya's visit at 14:00 has not started, so it is cancelled.
    await suite.app.setClock(at(TODAY, '09:00'), { frozen: true });
    try {
      // Kaya's visit at 14:00 today: the link on the visit leads to the form with the écrou.
      const visitPage = page(await parloir.get(`/etablissements/${establishment.code}/parloir/visites/${kaya.id}`).expect(200));
      const href = visitPage.$('[data-testid="prevented-link"]').attr('href')!;
      expect(href).toBe(`${base}?ecrou=${kaya.ecrou}#nouvelle`);
      const form = page(await parloir.get(href.split('#')[0]).expect(200));
      expect(form.value('ecrou')).toBe(kaya.ecrou);
      expect(form.options('cause')).toEqual(['HOSPITAL', 'COURT', 'TRANSFER', 'OTHER']);
      const refused = page(await checkPeriod(parloir, base, { ecrou: kaya.ecrou, kind: 'DISCIPLINARY', from: TODAY, to: TODAY }, 403));
      expect(refused.errors()[0]).toContain('Au parloir, vous enregistrez seulement un empêchement pour aujourd’hui.');
      const missingCause = page(await checkPeriod(parloir, base, { ecrou: kaya.ecrou, kind: 'PREVENTED', from: TODAY, to: TODAY }, 400));
      expect(missingCause.errors()).toEqual(['Choisissez la cause de l’empêchement']);
      const fields = { ecrou: kaya.ecrou, kind: 'PREVENTED', cause: 'TRANSFER', from: TODAY, to: TODAY };
      const readBack = page(await checkPeriod(parloir, base, fields, 200));
      expect(readBack.text('cancelled-count')).toBe('1 visite sera annulée');
      expect(readBack.text('cancelled-visit')).toContain(kaya.reference);
      const done = await confirmPeriod(parloir, base, { ...fields, confirm: 'oui' }, 303);
      expect(done.headers.location).toBe(`${base}?fait=enregistree&annulees=1`);
      expect(await queryOne(`SELECT status FROM visits WHERE id = $1`, [kaya.id])).toEqual({ status: 'CANCELLED' });
    } finally {
      await suite.app.resetClock();
    }
    // Other roles only: a family or an agent of another establishment cannot see the page.
    const other = await insertEstablishment();
    await parloir.get(`/etablissements/${other.code}/restrictions-visites`).expect(403);
  });
});

describe('an incident at the visiting rooms (R341-12)', () => {
  async function visitInProgress() {
    const { establishment, kaya } = await insertVisitingDay({ day: TODAY });
    await grantRole(parloirRow.id, establishment.id, 'PARLOIR_AGENT');
    await grantRole(headRow.id, establishment.id, 'HEAD_OF_ESTABLISHMENT');
    await query(`UPDATE visits SET status = 'IN_PROGRESS' WHERE id = $1`, [kaya.id]);
    await query(`UPDATE visit_visitors SET check_status = 'ARRIVED', checked_at = now() WHERE visit_id = $1`, [kaya.id]);
    return { establishment, kaya, visitUrl: `/etablissements/${establishment.code}/parloir/visites/${kaya.id}` };
  }

  it('the agent interrupts a visit in progress with a reason and a report: the visit ends, the report is on the visit and audited', async () => {
    const { kaya, visitUrl } = await visitInProgress();
    const visitPage = page(await parloir.get(visitUrl).expect(200));
    expect(visitPage.has('incident-form')).toBe(true);
    const ayse = kaya.visitorIds[0];
    const report = 'À 14 h 20, la visiteuse a tenté de remettre un téléphone portable à la personne détenue.';

    const invalid = page(
      await parloir
        .post(`${visitUrl}/incident`)
        .type('form')
        .send({ _csrf: visitPage.csrf(), interrupt: 'oui', report: 'Trop court' })
        .expect(400),
    );
    expect(invalid.errors()).toEqual([
      'Choisissez le motif',
      'Rédigez le compte-rendu : ce qui s’est passé, qui, quand (20 caractères au moins)',
      'Cochez la case pour confirmer l’interruption : toute sortie est définitive.',
    ]);
    expect(invalid.$('#incident-report').text()).toBe('Trop court');

    const fields = { _csrf: visitPage.csrf(), interrupt: 'oui', reason: 'FORBIDDEN_ITEM', visitorId: ayse, report, confirm: 'oui' };
    const done = await parloir.post(`${visitUrl}/incident`).type('form').send(fields).expect(303);
    expect(done.headers.location).toBe(`${visitUrl}?fait=interrompue`);
    const after = page(await parloir.get(done.headers.location).expect(200));
    expect(after.text('done')).toBe('Visite interrompue. Le compte-rendu d’incident est transmis au chef d’établissement.');
    expect(after.text('visit-status')).toBe('Terminée');
    expect(after.text('visit-incident')).toContain('Remise ou tentative de remise d’un objet interdit');
    expect(after.text('visit-incident')).toContain('Personne concernée : Ayşe KAYA.');
    expect(after.text('visit-incident')).toContain(report);
    expect(after.text('visit-incident')).toContain('Rédigé par Şükrü Yılmaz');

    // Interrupted once: a second interruption is refused, a further report without interrupting is not.
    const again = await parloir.post(`${visitUrl}/incident`).type('form').send(fields).expect(409);
    expect(page(again).errors()).toEqual(['Seule une visite en cours peut être interrompue.']);
    await parloir
      .post(`${visitUrl}/incident`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), interrupt: 'non', reason: 'BEHAVIOUR', report: 'La personne détenue a insulté l’agent en sortant.' })
      .expect(303);
    expect(
      await query(
        `SELECT action, actor_label AS label, after->>'reason' AS reason FROM audit_log WHERE entity_type = 'visit_incident' AND after->>'visit' = $1 ORDER BY id`,
        [kaya.id],
      ),
    ).toEqual([
      { action: 'VISIT_INTERRUPTED', label: 'Şükrü Yılmaz', reason: 'FORBIDDEN_ITEM' },
      { action: 'VISIT_INCIDENT_REPORTED', label: 'Şükrü Yılmaz', reason: 'BEHAVIOUR' },
    ]);
  });

  it('the head reads the establishment’s reports and opens a suspension of the visitor’s permit from one, prefilled', async () => {
    const { establishment, kaya, visitUrl } = await visitInProgress();
    const visitPage = page(await parloir.get(visitUrl).expect(200));
    const report = 'Propos menaçants envers le surveillant, la visite a été arrêtée à 14 h 25.';
    await parloir
      .post(`${visitUrl}/incident`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), interrupt: 'oui', reason: 'VIOLENCE', visitorId: kaya.visitorIds[1], report, confirm: 'oui' })
      .expect(303);

    const base = `/etablissements/${establishment.code}/incidents`;
    await parloir.get(base).expect(403);
    const list = page(await head.get(base).expect(200));
    expect(list.texts('incident')).toHaveLength(1);
    expect(list.text('incident')).toContain('Yusuf KAYA');
    expect(list.text('incident')).toContain('Łucja KAYA');
    expect(list.text('incident')).toContain('Violence ou menace');
    const detailUrl = list.$('[data-testid="incident"] a').attr('href')!;
    const detail = page(await head.get(detailUrl).expect(200));
    expect(detail.text('incident-report')).toBe(report);
    expect(detail.text('incident-visitor')).toBe('Łucja KAYA');
    expect(detail.text('incident-interrupted')).toMatch(/^Oui, à \d\dh\d\d$/);

    const suspend = detail.$('[data-testid="open-suspension"]').attr('href')!;
    expect(suspend.startsWith(`/etablissements/${establishment.code}/permis/${kaya.permitIds[1]}/mesures/envisager?`)).toBe(true);
    const form = page(await head.get(suspend).expect(200));
    expect(form.$('#kind-s').attr('checked')).toBeDefined();
    expect(form.$('#grounds').text()).toMatch(
      new RegExp(`^Incident au parloir le .+ \\(visite réf\\. ${kaya.reference}\\) : violence ou menace\\.$`),
    );
  });
});
