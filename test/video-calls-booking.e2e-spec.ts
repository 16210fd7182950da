import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { pdfText } from './helpers/permits';
import { signInAgent, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertBooking, insertContact, insertDevice } from './factories/video-calls';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { smsLength } = require('../dist/src/notifications/notification.rules') as typeof import('../src/notifications/notification.rules');

const suite = appForTests();

/**
 * The officer books on a frozen clock: Thursday 17 December 2026, 09:00 in Paris. The next week (21–26
 * December) has Christmas on the Friday; Monday 21 may be booked until Saturday 19 at midnight.
 */
const NOW = '2026-12-17T08:00:00Z';

/** The note's settings, but closed on Saturdays. */
const WEEKDAYS_ONLY = {
  weekdays: [1, 2, 3, 4, 5],
  slots: [
    { start: '08:30', end: '09:15' },
    { start: '09:30', end: '10:15' },
    { start: '10:30', end: '11:15' },
    { start: '13:45', end: '14:30' },
    { start: '14:45', end: '15:30' },
    { start: '15:45', end: '16:30' },
  ],
  noticeHours: 48,
  mondayTuesdayUntilSaturday: true,
  quotaCalls: 1,
  quotaWeeks: 4,
  minMinutes: 20,
  maxMinutes: 30,
  plans: [{ code: 'NONE', centsPerMinute: 30, connectionCents: 14 }],
};

let officerRow: AgentRow;
let officer: Agent;
beforeAll(async () => {
  officerRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Şükrü', usualName: 'Öztürk' });
  officer = await signInAgent(suite.app.url, officerRow);
  await suite.app.setClock(NOW, { frozen: true });
});
/** A new establishment (Paris time) where the officer holds the role, with its devices. */
async function establishment(devices = 1) {
  const e = await insertEstablishment();
  await grantRole(officerRow.id, e.id, 'ACTIVITIES_OFFICER');
  const ids: string[] = [];
  for (let i = 1; i <= devices; i++) ids.push((await insertDevice(e.id, `Salle ${i}`)).id);
  return { e, devices: ids, base: `/etablissements/${e.code}/visio` };
}

/** A detainee ready to call: charter signed, phone account with this balance and plan, one adult contact. */
async function detainee(
  establishmentId: string,
  o: {
    firstName?: string;
    lastName?: string;
    charter?: boolean;
    balanceCents?: number | null;
    plan?: string;
    phone?: string;
    contactName?: string;
    housing?: string;
  } = {},
) {
  const d = await insertDetainee(establishmentId, {
    firstName: o.firstName ?? 'Karim',
    lastName: o.lastName ?? 'Benali',
    housing: o.housing,
  });
  if (o.charter !== false)
    await query(`INSERT INTO video_call_charters (detainee_id, signed_on, recorded_by) VALUES ($1, '2026-11-02', $2)`, [
      d.id,
      officerRow.id,
    ]);
  if (o.balanceCents !== null)
    await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, plan_code) VALUES ($1, $2, $3)`, [
      d.id,
      o.balanceCents ?? 5000,
      o.plan ?? 'NONE',
    ]);
  const contact = await insertContact(d.id, officerRow.id, { name: o.contactName, phone: o.phone });
  return { ...d, contact: contact.id };
}

async function decideAccess(detaineeId: string, status: string, suspendedUntil: string | null = null) {
  await query(`INSERT INTO video_call_access (detainee_id, status, suspended_until, motivation, decided_by) VALUES ($1, $2, $3, $4, $5)`, [
    detaineeId,
    status,
    suspendedUntil,
    'Usage contraire à la charte',
    officerRow.id,
  ]);
}

/** The grid's cells: slot "YYYY-MM-DD-HH:MM" → the reason's code ('' when bookable). */
async function grid(base: string, detaineeId: string, week: string) {
  const p = page(await officer.get(`${base}/reserver?detenu=${detaineeId}&semaine=${week}`).expect(200));
  const problem = (slot: string) => p.testId(`cell-${slot}`).attr('data-problem');
  return { p, problem, text: (slot: string) => p.text(`cell-${slot}`) };
}

/** The session's CSRF token, from a page with a form (the settings page). */
async function csrf(base: string): Promise<string> {
  return page(await officer.get(`${base}/parametres`).expect(200)).csrf();
}

function book(base: string, token: string, d: { id: string; contact: string }, day: string, start: string) {
  return officer.post(`${base}/reserver`).type('form').send({ _csrf: token, detenu: d.id, jour: day, debut: start, contact: d.contact });
}

async function accountOf(detaineeId: string) {
  return queryOne<{ balance: number; blocked: number }>(
    `SELECT balance_cents AS balance, blocked_cents AS blocked FROM phone_accounts WHERE detainee_id = $1`,
    [detaineeId],
  );
}

describe('the video-call booking grid', () => {
  it('shows each slot bookable or why not: past, notice, holiday, closed day, no device free, quota', async () => {
    const { e, base, devices } = await establishment();
    await query(`INSERT INTO video_call_settings (establishment_id, version, settings, changed_by) VALUES ($1, 1, $2, $3)`, [
      e.id,
      JSON.stringify(WEEKDAYS_ONLY),
      officerRow.id,
    ]);
    const d = await detainee(e.id);
    const other = await detainee(e.id, { firstName: 'Ana', lastName: 'Souza' });
    await insertBooking({
      establishmentId: e.id,
      detainee: other,
      deviceId: devices[0],
      slot: '[2026-12-22 07:30:00+00, 2026-12-22 08:15:00+00)',
      agentId: officerRow.id,
    });

    const search = page(await officer.get(`${base}/reserver?recherche=souza`).expect(200));
    expect(search.texts('found')).toEqual([`SOUZA Ana (écrou ${other.ecrouNumber})`]);
    expect(search.testId('found').find('a').attr('href')).toBe(`${base}/reserver?detenu=${other.id}`);
    const thisWeek = await grid(base, d.id, '2026-12-17');
    expect(thisWeek.problem('2026-12-17-08:30')).toBe('PAST');
    expect(thisWeek.problem('2026-12-18-10:30')).toBe('NOTICE');
    expect(thisWeek.text('2026-12-18-10:30')).toContain('les créneaux se réservent 48 heures à l’avance');
    expect(thisWeek.problem('2026-12-19-10:30')).toBe('CLOSED');

    const next = await grid(base, d.id, '2026-12-21');
    expect(next.p.text('detainee')).toMatch(/^BENALI Karim/);
    expect(next.p.text('account')).toBe('Disponible sur le compte téléphonique : 50,00 € ; un appel bloque 9,14 €.');
    expect(next.problem('2026-12-21-08:30')).toBe('');
    expect(next.p.testId('cell-2026-12-21-08:30').find('a').attr('href')).toBe(
      `${base}/reserver/creneau?detenu=${d.id}&jour=2026-12-21&debut=08:30`,
    );
    expect(next.problem('2026-12-22-08:30')).toBe('NO_DEVICE');
    expect(next.text('2026-12-22-08:30')).toBe('Aucune salle de visio libre sur ce créneau.');
    expect(next.problem('2026-12-25-09:30')).toBe('HOLIDAY');
    expect(next.text('2026-12-25-09:30')).toContain('(Noël)');
    expect(next.problem('2026-12-26-09:30')).toBe('CLOSED');

    // The other detainee has a call on Tuesday 22: no other call within 4 weeks of it.
    const quota = await grid(base, other.id, '2026-12-21');
    expect(quota.problem('2026-12-21-08:30')).toBe('QUOTA');
    expect(quota.text('2026-12-23-10:30')).toContain('Premier jour possible : mardi 19 janvier 2027');
  });

  it('shows the detainee’s own reasons: charter missing, no credit, access suspended, withdrawn or refused', async () => {
    const { e, base } = await establishment();
    const noCharter = await detainee(e.id, { charter: false });
    const poor = await detainee(e.id, { balanceCents: 500 });
    const noAccount = await detainee(e.id, { balanceCents: null });
    const suspended = await detainee(e.id);
    await decideAccess(suspended.id, 'SUSPENDED', '2026-12-22T11:00:00Z');
    const withdrawn = await detainee(e.id);
    await decideAccess(withdrawn.id, 'WITHDRAWN');
    const refused = await detainee(e.id);
    await decideAccess(refused.id, 'REFUSED');

    expect((await grid(base, noCharter.id, '2026-12-21')).problem('2026-12-21-08:30')).toBe('NO_CHARTER');
    const p = await grid(base, poor.id, '2026-12-21');
    expect(p.text('2026-12-21-08:30')).toBe('Crédit insuffisant : 9,14 € nécessaires, 5,00 € sur le compte.');
    expect((await grid(base, noAccount.id, '2026-12-21')).problem('2026-12-21-08:30')).toBe('NO_CREDIT');
    const s = await grid(base, suspended.id, '2026-12-21');
    expect(s.problem('2026-12-22-10:30')).toBe('ACCESS_SUSPENDED');
    expect(s.text('2026-12-22-10:30')).toBe('Accès à la visiophonie suspendu jusqu’au mardi 22 décembre 2026 à 12 h 00.');
    expect(s.problem('2026-12-22-13:45')).toBe('');
    expect((await grid(base, withdrawn.id, '2026-12-21')).problem('2026-12-23-08:30')).toBe('ACCESS_WITHDRAWN');
    expect((await grid(base, refused.id, '2026-12-21')).problem('2026-12-23-08:30')).toBe('ACCESS_REFUSED');
  });
});

describe('booking a video call', () => {
  it('books after the read-back, blocks the longest call’s cost on the phone account, queues the SMS and audits', async () => {
    const { e, base, devices } = await establishment();
    const d = await detainee(e.id, { plan: '20', balanceCents: 2000, contactName: 'Thị Lan Nguyễn', phone: '+33611223344' });

    const slot = page(await officer.get(`${base}/reserver/creneau?detenu=${d.id}&jour=2026-12-21&debut=10:30`).expect(200));
    expect(slot.heading()).toBe('Appel du lundi 21 décembre 2026, 10:30–11:15');
    expect(slot.texts('contact')).toEqual(['Thị Lan Nguyễn (Sœur) — +33611223344']);
    const noContact = await officer
      .post(`${base}/reserver/relire`)
      .type('form')
      .send({ _csrf: slot.csrf(), detenu: d.id, jour: '2026-12-21', debut: '10:30' })
      .expect(400);
    expect(page(noContact).text('error-summary')).toContain('Choisissez le contact à appeler.');
    const readBack = await officer
      .post(`${base}/reserver/relire`)
      .type('form')
      .send({ _csrf: slot.csrf(), detenu: d.id, jour: '2026-12-21', debut: '10:30', contact: d.contact })
      .expect(200);
    const rb = page(readBack);
    expect(rb.text('rb-when')).toBe('lundi 21 décembre 2026, 10:30–11:15');
    expect(rb.text('rb-contact')).toBe('Thị Lan Nguyễn (Sœur) — +33611223344');
    expect(rb.text('rb-blocked')).toBe('7,80 €');
    expect(await query(`SELECT id FROM video_call_bookings WHERE detainee_id = $1`, [d.id])).toEqual([]);

    const res = await book(base, rb.csrf(), d, '2026-12-21', '10:30').expect(303);
    const id = /\/visio\/appels\/([0-9a-f-]{36})\?fait=reserve$/.exec(res.headers.location)![1];
    const booking = await queryOne<{ device: string; blocked: number; status: string; range: string }>(
      `SELECT device_id AS device, blocked_cents AS blocked, status, lower(slot)::text AS range FROM video_call_bookings WHERE id = $1`,
      [id],
    );
    expect(booking).toEqual({ device: devices[0], blocked: 780, status: 'BOOKED', range: '2026-12-21 09:30:00+00' });
    expect(await accountOf(d.id)).toEqual({ balance: 2000, blocked: 780 });

    const [sms] = await query<{ template: string; body: string; address: string }>(
      `SELECT n.template, n.body_text AS body, r.address FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
        WHERE n.entity_type = 'video_call_booking' AND n.entity_id = $1`,
      [id],
    );
    expect(sms).toEqual({
      template: 'video-call-booked',
      address: '+33611223344',
      body: "P2V Justice : un appel en visio avec votre proche est prévu le 21/12 à 10h30. Un code vous sera envoyé par SMS au début de l'appel.",
    });
    expect(smsLength(sms.body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const [audit] = await query<{ actor: string; after: { blockedCents: number; contactId: string } }>(
      `SELECT actor_id AS actor, after FROM audit_log WHERE action = 'VIDEO_CALL_BOOKED' AND entity_id = $1`,
      [id],
    );
    expect(audit.actor).toBe(officerRow.id);
    expect(audit.after).toMatchObject({ blockedCents: 780, contactId: d.contact });

    const call = page(await officer.get(res.headers.location).expect(200));
    expect(call.text('done')).toContain('L’appel est réservé');
    expect(call.text('call-device')).toBe('Salle 1');
    expect(call.text('call-blocked')).toBe('7,80 €');
    expect((await grid(base, d.id, '2026-12-21')).problem('2026-12-21-10:30')).toBe('QUOTA');
  });

  it('refuses a booking without enough credit on the phone account', async () => {
    const { e, base } = await establishment();
    const d = await detainee(e.id, { balanceCents: 900 });
    const res = await book(base, await csrf(base), d, '2026-12-21', '08:30').expect(422);
    expect(page(res).text('refused')).toBe('Crédit insuffisant : 9,14 € nécessaires, 9,00 € sur le compte.');
    expect(await query(`SELECT id FROM video_call_bookings WHERE detainee_id = $1`, [d.id])).toEqual([]);
    expect(await accountOf(d.id)).toEqual({ balance: 900, blocked: 0 });
  });

  it('refuses a booking beyond the quota of one call every 4 weeks', async () => {
    const { e, base, devices } = await establishment(2);
    const d = await detainee(e.id);
    await insertBooking({
      establishmentId: e.id,
      detainee: d,
      deviceId: devices[0],
      slot: '[2026-11-24 07:30:00+00, 2026-11-24 08:15:00+00)',
      agentId: officerRow.id,
    });
    const token = await csrf(base);
    const res = await book(base, token, d, '2026-12-21', '08:30').expect(422);
    expect(page(res).text('refused')).toContain('Quota atteint (un seul appel toutes les 4 semaines)');
    expect(page(res).text('refused')).toContain('Premier jour possible : mardi 22 décembre 2026');
    await book(base, token, d, '2026-12-22', '08:30').expect(303);
  });

  it('refuses a sanctioned number, whichever detainee calls it', async () => {
    const { e, base } = await establishment();
    const d = await detainee(e.id, { phone: '+33699887766' });
    await query(`INSERT INTO sanctioned_numbers (establishment_id, phone, motivation, decided_by) VALUES ($1, $2, $3, $4)`, [
      e.id,
      '+33699887766',
      'Appels malveillants',
      officerRow.id,
    ]);
    const slot = page(await officer.get(`${base}/reserver/creneau?detenu=${d.id}&jour=2026-12-21&debut=08:30`).expect(200));
    expect(slot.text('contact')).toContain('Ce numéro fait l’objet d’une sanction');
    const readBack = await officer
      .post(`${base}/reserver/relire`)
      .type('form')
      .send({ _csrf: slot.csrf(), detenu: d.id, jour: '2026-12-21', debut: '08:30', contact: d.contact })
      .expect(400);
    expect(page(readBack).text('error-summary')).toContain('Ce numéro fait l’objet d’une sanction');
    const res = await book(base, slot.csrf(), d, '2026-12-21', '08:30').expect(422);
    expect(page(res).text('refused')).toBe('Ce numéro fait l’objet d’une sanction : aucun appel ne peut y être passé.');
    const another = await detainee(e.id, { firstName: 'Ömer', lastName: 'Çelik', phone: '+33699887766' });
    const again = await book(base, slot.csrf(), another, '2026-12-22', '08:30').expect(422);
    expect(page(again).text('refused')).toBe('Ce numéro fait l’objet d’une sanction : aucun appel ne peut y être passé.');
    expect(await query(`SELECT id FROM video_call_bookings WHERE detainee_id = ANY($1)`, [[d.id, another.id]])).toEqual([]);
  });

  it('books the last free device once when six officers book it at the same time', async () => {
    const { e, base, devices } = await establishment(2);
    const taken = await detainee(e.id);
    await insertBooking({
      establishmentId: e.id,
      detainee: taken,
      deviceId: devices[0],
      slot: '[2026-12-23 12:45:00+00, 2026-12-23 13:30:00+00)',
      agentId: officerRow.id,
    });
    const six = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => detainee(e.id, { firstName: `Détenu ${n}` })));
    const token = await csrf(base);
    const answers = await Promise.all(six.map((d) => book(base, token, d, '2026-12-23', '13:45')));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 409, 409, 409, 409, 409]);
    for (const r of answers.filter((a) => a.status === 409))
      expect(page(r).text('refused')).toBe('Ce créneau vient d’être pris : choisissez-en un autre.');
    const booked = await query<{ detainee: string; device: string }>(
      `SELECT detainee_id AS detainee, device_id AS device FROM video_call_bookings WHERE establishment_id = $1 AND detainee_id <> $2`,
      [e.id, taken.id],
    );
    expect(booked).toHaveLength(1);
    expect(booked[0].device).toBe(devices[1]);
    const blocked = await query<{ blocked: number }>(
      `SELECT blocked_cents AS blocked FROM phone_accounts WHERE detainee_id = ANY($1) ORDER BY blocked_cents DESC`,
      [six.map((d) => d.id)],
    );
    expect(blocked.map((b) => b.blocked)).toEqual([914, 0, 0, 0, 0, 0]);
  });

  it('cancels a booked call with a reason after confirmation, releasing the blocked amount and telling the contact by SMS', async () => {
    const { e, base } = await establishment();
    const d = await detainee(e.id);
    const res = await book(base, await csrf(base), d, '2026-12-21', '08:30').expect(303);
    const callUrl = res.headers.location.replace('?fait=reserve', '');
    expect(await accountOf(d.id)).toEqual({ balance: 5000, blocked: 914 });

    const confirm = page(await officer.get(`${callUrl}/annuler`).expect(200));
    expect(confirm.text('read-back')).toContain('Les 9,14 € bloqués sur le compte téléphonique seront rendus disponibles.');
    const missing = await officer.post(`${callUrl}/annuler`).type('form').send({ _csrf: confirm.csrf(), motif: 'Transfert' }).expect(400);
    expect(page(missing).text('error-summary')).toContain('Cochez la case pour confirmer l’annulation.');
    expect(page(missing).value('motif')).toBe('Transfert');
    await officer
      .post(`${callUrl}/annuler`)
      .type('form')
      .send({ _csrf: confirm.csrf(), motif: 'Transfert vers un autre établissement', confirmation: 'oui' })
      .expect(303);

    expect(await accountOf(d.id)).toEqual({ balance: 5000, blocked: 0 });
    const call = page(await officer.get(callUrl).expect(200));
    expect(call.text('call-status')).toBe('Annulé : Transfert vers un autre établissement');
    const [audit] = await query<{ after: { releasedCents: number } }>(
      `SELECT after FROM audit_log WHERE action = 'VIDEO_CALL_CANCELLED' AND entity_id = $1`,
      [callUrl.split('/').pop()],
    );
    expect(audit.after.releasedCents).toBe(914);
    const sms = await query<{ template: string; body: string; address: string }>(
      `SELECT n.template, n.body_text AS body, r.address FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
        WHERE n.entity_type = 'video_call_booking' AND n.entity_id = $1 ORDER BY n.created_at`,
      [callUrl.split('/').pop()],
    );
    expect(sms.map((m) => m.template)).toEqual(['video-call-booked', 'video-call-cancelled']);
    expect(sms[1]).toMatchObject({
      address: sms[0].address,
      body: "P2V Justice : l'appel en visio avec votre proche prévu le 21/12 à 08h30 est annulé. Aucun code ne vous sera envoyé.",
    });
    expect(smsLength(sms[1].body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect((await grid(base, d.id, '2026-12-21')).problem('2026-12-21-08:30')).toBe('');
    await officer.post(`${callUrl}/annuler`).type('form').send({ _csrf: confirm.csrf(), motif: 'Encore', confirmation: 'oui' }).expect(409);
  });

  it('once the slot has started a call is no longer cancelled (it would go uncharged): 409, the amount stays blocked, no cancel link', async () => {
    const { e, base } = await establishment();
    const d = await detainee(e.id);
    const res = await book(base, await csrf(base), d, '2026-12-21', '09:30').expect(303);
    const callUrl = res.headers.location.replace('?fait=reserve', '');
    const confirm = page(await officer.get(`${callUrl}/annuler`).expect(200));
    // 21 December 2026, 09:31 in Paris: the slot started a minute ago.
    await suite.app.setClock('2026-12-21T08:31:00Z', { frozen: true });
    try {
      const late = await officer
        .post(`${callUrl}/annuler`)
        .type('form')
        .send({ _csrf: confirm.csrf(), motif: 'Trop tard', confirmation: 'oui' })
        .expect(409);
      expect(page(late).text('error-summary')).toContain('Le créneau a commencé : l’appel ne peut plus être annulé.');
      expect(await accountOf(d.id)).toEqual({ balance: 5000, blocked: 914 });
      expect(page(await officer.get(callUrl).expect(200)).$(`a[href="${callUrl}/annuler"]`).length).toBe(0);
    } finally {
      await suite.app.setClock(NOW, { frozen: true });
    }
  });

  it('prints the booking voucher with the detainee, the slot, the contact and a signature line, in any script', async () => {
    const { e, base } = await establishment();
    const d = await detainee(e.id, { firstName: 'Łukasz', lastName: 'Nguyễn', contactName: 'محمد العلي', housing: 'B-214' });
    const res = await book(base, await csrf(base), d, '2026-12-21', '13:45').expect(303);
    const pdf = await officer
      .get(`${res.headers.location.replace('?fait=reserve', '')}/bon`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain(`NGUYỄN Łukasz (écrou ${d.ecrouNumber})`);
    expect(text).toContain('B-214');
    expect(text).toContain('lundi 21 décembre 2026, 13:45–14:30');
    expect(text).toContain('محمد العلي');
    expect(text).toContain('(Sœur)');
    expect(text).toContain('9,14');
    expect(text).toContain('Signature de la personne détenue');
    expect(pdf.headers['cache-control']).toBe('private, no-store');
    // A staff read of a document naming people: logged, with who read it and where.
    const callId = /appels\/([0-9a-f-]{36})/.exec(res.headers.location)![1];
    expect(
      await query(
        `SELECT actor_type, establishment_id FROM audit_log WHERE action = 'LETTER_READ' AND entity_type = 'video_call_voucher' AND entity_id = $1`,
        [callId],
      ),
    ).toEqual([{ actor_type: 'AGENT', establishment_id: e.id }]);
  });

  it('lets only the activities officer and the head book, and never another establishment’s detainee or call', async () => {
    const { e, base } = await establishment();
    const d = await detainee(e.id);
    const other = await establishment();
    const theirs = await detainee(other.e.id);
    const call = await insertBooking({
      establishmentId: other.e.id,
      detainee: theirs,
      deviceId: other.devices[0],
      slot: '[2026-12-21 07:30:00+00, 2026-12-21 08:15:00+00)',
      agentId: officerRow.id,
    });
    await officer.get(`${base}/reserver?detenu=${theirs.id}`).expect(404);
    await officer.get(`${base}/appels/${call.id}`).expect(404);
    await officer.get(`${base}/appels/${call.id}/bon`).expect(404);

    const parloirRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Aïcha', usualName: 'Ben Saïd' });
    await grantRole(parloirRow.id, e.id, 'PARLOIR_AGENT');
    const parloir = await signInAgent(suite.app.url, parloirRow);
    await parloir.get(`${base}/reserver?detenu=${d.id}`).expect(403);
    await parloir.get(`${base}/jour?date=2026-12-21`).expect(403);

    const headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zoë', usualName: 'Đặng' });
    await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
    const head = await signInAgent(suite.app.url, headRow);
    expect(
      page(await head.get(`${base}/reserver?detenu=${d.id}&semaine=2026-12-21`).expect(200))
        .testId('cell-2026-12-21-08:30')
        .find('a').length,
    ).toBe(1);
  });

  it('lists the day’s calls with the moves to organise and the cleaning between slots', async () => {
    const { e, base, devices } = await establishment();
    const a = await detainee(e.id, { firstName: 'Şükrü', lastName: 'Yılmaz', housing: 'A-101' });
    const b = await detainee(e.id, { firstName: 'Ana', lastName: 'Souza', contactName: 'Maria Souza' });
    for (const [d, start, end] of [
      [a, '07:30', '08:15'],
      [b, '08:30', '09:15'],
    ] as const)
      await insertBooking({
        establishmentId: e.id,
        detainee: d,
        deviceId: devices[0],
        slot: `[2026-12-21 ${start}:00+00, 2026-12-21 ${end}:00+00)`,
        agentId: officerRow.id,
      });
    const p = page(await officer.get(`${base}/jour?date=2026-12-21`).expect(200));
    expect(p.heading()).toContain('Visio : appels du lundi 21 décembre 2026');
    expect(p.text('day-caption')).toBe('2 appel(s)');
    const rows = p
      .testId('day-row')
      .toArray()
      .map((r) =>
        p
          .$(r)
          .find('td')
          .toArray()
          .map((td) => p.$(td).text().replace(/\s+/g, ' ').trim()),
      );
    expect(rows).toEqual([
      [
        '08:30–09:15',
        `YILMAZ Şükrü (${a.ecrouNumber})`,
        'Cellule A-101 → salle « Salle 1 » avant 08:30, retour après 09:15',
        'Salle 1',
        'Thị Lan Nguyễn (Sœur)',
        'Nettoyer « Salle 1 » avant 08:30',
        'À venir',
      ],
      [
        '09:30–10:15',
        `SOUZA Ana (${b.ecrouNumber})`,
        'Cellule non renseignée → salle « Salle 1 » avant 09:30, retour après 10:15',
        'Salle 1',
        'Maria Souza (Sœur)',
        'Nettoyer « Salle 1 » entre 09:15 et 09:30',
        'À venir',
      ],
    ]);
  });
});
