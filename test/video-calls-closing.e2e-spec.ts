import type { DataSource } from 'typeorm';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { query, queryOne, serverUrl, testDatabaseUrl, waitingOnLock } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { openDataSource, services, testConfig } from './helpers/notifications';
import { signInAgent, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertBooking, insertContact, insertDevice } from './factories/video-calls';

/* eslint-disable @typescript-eslint/no-require-imports */
const { VideoCallCodesService } = require('../dist/src/video-calls/codes.service') as typeof import('../src/video-calls/codes.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
/* eslint-enable @typescript-eslint/no-require-imports */

const suite = appForTests();

/**
 * Calls never closed, codes never sent, and the code job's safety net. Tuesday 22 December 2026: the
 * 10:30–11:15 slot in Paris starts at 09:30 UTC.
 */
const START = new Date('2026-12-22T09:30:00Z');
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);
/** Well before every slot of this file: the app's own code job (every minute, on the app's clock) finds nothing due. */
const BEFORE = '2026-11-02T08:00:00Z';

let officerRow: AgentRow;
let officer: Agent;
let ds: DataSource;
const jobClock = new Clock();
let codes: InstanceType<typeof VideoCallCodesService>;

beforeAll(async () => {
  officerRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Şükrü', usualName: 'Öztürk' });
  officer = await signInAgent(suite.app.url, officerRow);
  ds = await openDataSource(4);
  const config = testConfig();
  // The periodic job's provider, built from the app's code on its own clock (the app runs in another process).
  codes = new VideoCallCodesService(ds, new AuditService(), jobClock, services(ds, config, jobClock).notifications, config);
});
beforeEach(async () => {
  await suite.app.setClock(BEFORE, { frozen: true });
});
afterAll(async () => {
  await ds?.destroy();
});

/** An establishment where the officer works, with `devices` rooms. */
async function establishment(devices = 1) {
  const e = await insertEstablishment();
  await grantRole(officerRow.id, e.id, 'ACTIVITIES_OFFICER');
  const ids: string[] = [];
  for (let i = 1; i <= devices; i++) ids.push((await insertDevice(e.id, `Salle ${i}`)).id);
  return { e, devices: ids, base: `/etablissements/${e.code}/visio` };
}

/** A detainee with a phone account (50 € and `blocked` cents blocked) and one adult contact. */
async function detainee(establishmentId: string, o: { firstName?: string; lastName?: string; phone?: string; blocked?: number } = {}) {
  const d = await insertDetainee(establishmentId, { firstName: o.firstName ?? 'Karim', lastName: o.lastName ?? 'Benali' });
  await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, blocked_cents) VALUES ($1, 50000, $2)`, [d.id, o.blocked ?? 914]);
  const contact = await insertContact(d.id, officerRow.id, { name: 'Thị Lan Nguyễn', phone: o.phone ?? '+33611223344' });
  return { ...d, contact: contact.id };
}

/** A booked call (9.14 € blocked) of 45 minutes from `start`. */
async function callOf(establishmentId: string, deviceId: string, d: { id: string; contact: string }, start = START) {
  const end = new Date(start.getTime() + 45 * 60_000);
  const { id } = await insertBooking({
    establishmentId,
    detainee: d,
    deviceId,
    slot: `[${start.toISOString()}, ${end.toISOString()})`,
    agentId: officerRow.id,
  });
  return id;
}

/** A detainee and their booked call on the slot starting at `start`. */
async function call(establishmentId: string, deviceId: string, o: { start?: Date; firstName?: string; phone?: string } = {}) {
  const d = await detainee(establishmentId, o);
  return {
    id: await callOf(establishmentId, deviceId, d, o.start),
    detaineeId: d.id,
    contactId: d.contact,
    phone: o.phone ?? '+33611223344',
  };
}

/** The session's CSRF token, from a page with a form (the settings page). */
async function csrf(base: string): Promise<string> {
  return page(await officer.get(`${base}/parametres`).expect(200)).csrf();
}

const daysBefore = (n: number) => new Date(START.getTime() - n * 86_400_000);

async function accountOf(detaineeId: string) {
  return queryOne<{ balance: number; blocked: number }>(
    `SELECT balance_cents AS balance, blocked_cents AS blocked FROM phone_accounts WHERE detainee_id = $1`,
    [detaineeId],
  );
}

async function codesOf(bookingId: string) {
  return query<{ id: string }>(`SELECT id FROM video_call_codes WHERE booking_id = $1`, [bookingId]);
}

async function messagesOf(bookingId: string) {
  return query<{ template: string }>(
    `SELECT template FROM notifications WHERE entity_type = 'video_call_booking' AND entity_id = $1 ORDER BY created_at`,
    [bookingId],
  );
}

/**
 * The officer's request on a call, the app's own code job (every minute) kept off that call meanwhile:
 * the call is locked (FOR UPDATE, as the job's claim) before `prepare` makes it due, so a run of the job
 * in between skips it (SKIP LOCKED) while the officer's claim waits for the lock, then goes first. Without
 * it a run of the job that happened to fall there sent the code itself (seen with 3 Jest workers). On the
 * embedded database, which runs one transaction at a time, the lock cannot be held while the app works:
 * there the two steps simply follow each other.
 */
async function beforeTheJob(
  bookingId: string,
  prepare: () => Promise<unknown>,
  officerRequest: () => Promise<Response>,
): Promise<Response> {
  if (!serverUrl()) {
    await prepare();
    return officerRequest();
  }
  const lock = new Client({ connectionString: testDatabaseUrl() });
  await lock.connect();
  try {
    await lock.query('BEGIN');
    await lock.query('SELECT 1 FROM video_call_bookings WHERE id = $1 FOR UPDATE', [bookingId]);
    await prepare();
    // Sent now (a supertest request goes when it is awaited); its failure is read below.
    const answer = Promise.resolve(officerRequest());
    answer.catch(() => undefined);
    // The officer's claim (claimDueCall) waits for the call's lock.
    await waitingOnLock('SELECT b.id, b.establishment_id%');
    await lock.query('COMMIT');
    return await answer;
  } finally {
    await lock.end();
  }
}

describe('the calls to close', () => {
  it('lists the establishment’s past calls still booked, oldest first, 20 a page, each with its bilan’s link, and leaves the list once the bilan is recorded', async () => {
    const { e, devices, base } = await establishment();
    const d = await detainee(e.id, { firstName: 'Łukasz', lastName: 'Wiśniewski', blocked: 21 * 914 });
    // 21 calls past and never closed, from 21 days ago to yesterday, inserted newest first.
    const past: string[] = [];
    for (let n = 1; n <= 21; n++) past.unshift(await callOf(e.id, devices[0], d, daysBefore(n)));
    // Not to close: one held, one cancelled, one not ended, one to come, and another establishment's.
    const other = await detainee(e.id, { firstName: 'عمر', lastName: 'الفاروق' });
    const held = await callOf(e.id, devices[0], other, daysBefore(22));
    await query(`UPDATE video_call_bookings SET status = 'HELD', duration_seconds = 600, charged_cents = 314 WHERE id = $1`, [held]);
    const cancelled = await callOf(e.id, devices[0], other, daysBefore(23));
    await query(`UPDATE video_call_bookings SET status = 'CANCELLED', cancelled_at = $2, cancel_reason = 'Transfert' WHERE id = $1`, [
      cancelled,
      daysBefore(24),
    ]);
    await callOf(e.id, devices[0], other, START);
    await callOf(e.id, devices[0], other, daysBefore(-7));
    const elsewhere = await establishment();
    await call(elsewhere.e.id, elsewhere.devices[0], { start: daysBefore(3) });
    await suite.app.setClock(at(44 * 60), { frozen: true });

    const first = page(await officer.get(`${base}/a-cloturer`).expect(200));
    expect(first.heading()).toBe(`Visio : appels à clôturer — ${e.name}`);
    const rows = first.testId('to-close-row').toArray();
    expect(rows).toHaveLength(20);
    expect(first.texts('to-close-row')[0]).toBe(
      `mardi 1 décembre 2026, 10:30–11:15 WIŚNIEWSKI Łukasz (${d.ecrouNumber}) Thị Lan Nguyễn (Sœur) 9,14 € Non envoyé Enregistrer le bilan de l’appel de WIŚNIEWSKI Łukasz, mardi 1 décembre 2026, 10:30–11:15`,
    );
    expect(first.$(rows[0]).find('[data-testid="to-close-outcome"]').attr('href')).toBe(`${base}/appels/${past[0]}/bilan`);
    expect(first.$(rows[19]).find('[data-testid="to-close-outcome"]').attr('href')).toBe(`${base}/appels/${past[19]}/bilan`);
    const second = page(await officer.get(first.link('Page suivante')).expect(200));
    expect(second.testId('to-close-row').find('[data-testid="to-close-outcome"]').attr('href')).toBe(`${base}/appels/${past[20]}/bilan`);
    expect(second.texts('to-close-row')).toHaveLength(1);

    // The oldest is closed through its link: not honoured, its amount released.
    const form = page(await officer.get(`${base}/appels/${past[0]}/bilan`).expect(200));
    await officer.post(`${base}/appels/${past[0]}/bilan`).type('form').send({ _csrf: form.csrf(), issue: 'absent' }).expect(303);
    expect(await accountOf(d.id)).toEqual({ balance: 50000, blocked: 20 * 914 });
    const after = page(await officer.get(`${base}/a-cloturer`).expect(200));
    expect(after.testId('to-close-row').first().find('[data-testid="to-close-outcome"]').attr('href')).toBe(
      `${base}/appels/${past[1]}/bilan`,
    );
    expect(after.texts('to-close-row')).toHaveLength(20);
    expect(after.has('no-result')).toBe(false);
  });

  it('is linked from the day’s list with the count of calls to close, and from the « Visio » menu, and says when there is none', async () => {
    const { e, devices, base } = await establishment(2);
    const closed = await establishment();
    await call(e.id, devices[0], { firstName: 'Łukasz', start: daysBefore(7) });
    await call(e.id, devices[1], { firstName: 'Şükrü', start: daysBefore(2) });
    await suite.app.setClock(at(-3600), { frozen: true });

    const day = page(await officer.get(`${base}/jour?date=2026-12-22`).expect(200));
    expect(day.text('to-close-count')).toBe('2');
    expect(day.text('to-close-alert')).toBe(
      '2 appel(s) à clôturer Le bilan de ces appels passés n’est pas enregistré : le coût de l’appel le plus long reste bloqué sur le compte téléphonique de la personne détenue. Voir les appels à clôturer',
    );
    expect(day.link('Voir les appels à clôturer')).toBe(`${base}/a-cloturer`);
    expect(day.link(`Visio : appels à clôturer (${e.code})`)).toBe(`${base}/a-cloturer`);

    const none = page(await officer.get(`${closed.base}/jour?date=2026-12-22`).expect(200));
    expect(none.has('to-close-alert')).toBe(false);
    expect(none.has('to-close-count')).toBe(false);
    expect(none.link('Appels à clôturer')).toBe(`${closed.base}/a-cloturer`);
    expect(page(await officer.get(`${closed.base}/a-cloturer`).expect(200)).text('no-result')).toBe(
      'Aucun appel à clôturer : le bilan de chaque appel passé est enregistré.',
    );
  });

  it('shows the list to the head of establishment, and refuses it to a parloir agent and to another establishment’s officer', async () => {
    const { e, devices, base } = await establishment();
    await call(e.id, devices[0], { firstName: 'Łukasz', start: daysBefore(1) });
    await suite.app.setClock(at(0), { frozen: true });
    const headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zoë', usualName: 'Đặng' });
    await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
    const head = await signInAgent(suite.app.url, headRow);
    expect(page(await head.get(`${base}/a-cloturer`).expect(200)).texts('to-close-row')).toHaveLength(1);

    const parloirRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Aïcha', usualName: 'Ben Saïd' });
    await grantRole(parloirRow.id, e.id, 'PARLOIR_AGENT');
    await (await signInAgent(suite.app.url, parloirRow)).get(`${base}/a-cloturer`).expect(403);
    const strangerRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Nguyễn', usualName: 'Văn An' });
    await (await signInAgent(suite.app.url, strangerRow)).get(`${base}/a-cloturer`).expect(403);
  });
});

describe('the day’s list once a slot has started', () => {
  it('marks a past call still booked « appel à clôturer », and warns « code non envoyé » for each started call without a code', async () => {
    const { e, devices, base } = await establishment(4);
    // Its contact's number makes the job fail (no SMS can go to it): the code stays unsent whenever the job runs.
    const underWay = await call(e.id, devices[0], { firstName: 'Łukasz', phone: '+999999999' });
    const ended = await call(e.id, devices[1], { firstName: 'عمر', start: new Date(START.getTime() - 60 * 60_000) });
    const endedWithCode = await call(e.id, devices[2], { firstName: 'Şükrü', start: new Date(START.getTime() - 120 * 60_000) });
    await call(e.id, devices[3], { firstName: 'Zoë', start: new Date(START.getTime() + 3 * 3600_000) });
    // The job ran at the first slot's start, then stopped.
    jobClock.set(new Date(START.getTime() - 119 * 60_000), { frozen: true });
    expect(await codes.issueDueCodes()).toBe(1);
    expect(await codesOf(endedWithCode.id)).toHaveLength(1);
    await suite.app.setClock(at(120), { frozen: true });

    const day = page(await officer.get(`${base}/jour?date=2026-12-22`).expect(200));
    expect(day.texts('day-outcome')).toEqual([
      'Appel à clôturer Enregistrer le bilan',
      'Appel à clôturer Code non envoyé Enregistrer le bilan',
      'Code non envoyé Enregistrer le bilan',
      'À venir',
    ]);
    expect(await codesOf(ended.id)).toEqual([]);
    expect(day.texts('code-missing')).toEqual([
      `Code non envoyé : appel de 09:30–10:15, BENALI عمر avec Thị Lan Nguyễn (Sœur). Le contact n’a pas reçu le code qui lui permet de se connecter. Le créneau est terminé : un code ne servirait plus.`,
      `Code non envoyé : appel de 10:30–11:15, BENALI Łukasz avec Thị Lan Nguyễn (Sœur). Le contact n’a pas reçu le code qui lui permet de se connecter. Envoyer le code maintenant à Thị Lan Nguyễn (10:30)`,
    ]);
    expect(day.testId('code-missing').first().hasClass('fr-alert')).toBe(true);
    expect(day.testId('code-missing').first().find('form').length).toBe(0);
    expect(day.testId('code-missing').last().find('form').attr('action')).toBe(`${base}/appels/${underWay.id}/code`);
    expect(day.text('to-close-count')).toBe('2');
  });

  it('lets the officer send the missing code now through the job’s path, once only, audited under the officer', async () => {
    const { e, devices, base } = await establishment();
    const c = await call(e.id, devices[0], { firstName: 'Łukasz', phone: '+999999999' });
    await suite.app.setClock(at(90), { frozen: true });
    const day = page(await officer.get(`${base}/jour?date=2026-12-22`).expect(200));
    const send = () => officer.post(`${base}/appels/${c.id}/code`).type('form').send({ _csrf: day.csrf() });

    // The job's failure happens to the officer too: the page says why, nothing is sent.
    const failed = await send().expect(400);
    expect(page(failed).text('problem')).toBe('Le numéro de téléphone « +999999999 » n’est pas valide. Exemple : 06 12 34 56 78.');
    expect(page(failed).texts('code-missing')).toHaveLength(1);
    expect(await codesOf(c.id)).toEqual([]);

    const sent = await beforeTheJob(
      c.id,
      () => query(`UPDATE detainee_phone_contacts SET phone = '+33644556677' WHERE id = $1`, [c.contactId]),
      () => send().expect(303),
    );
    expect(sent.headers.location).toBe(`${base}/jour?date=2026-12-22&fait=code`);
    const after = page(await officer.get(sent.headers.location).expect(200));
    expect(after.text('done')).toBe('Le code est envoyé par SMS au contact : il est valable 5 minutes.');
    expect(after.has('code-missing')).toBe(false);
    expect(after.texts('day-outcome')).toEqual(['Enregistrer le bilan']);
    const [code] = await query<{ expires: Date }>(`SELECT expires_at AS expires FROM video_call_codes WHERE booking_id = $1`, [c.id]);
    expect(code.expires).toEqual(at(390));
    const sms = await queryOne<{ body: string; address: string }>(
      `SELECT n.body_text AS body, r.address FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
        WHERE n.entity_id = $1 AND n.template = 'video-call-code'`,
      [c.id],
    );
    expect(sms.address).toBe('+33644556677');
    expect(sms.body).toMatch(/^P2V Justice : votre appel en visio commence\. Votre code : \d{6}, valable 5 minutes\./);
    expect(
      await query(`SELECT actor_type AS type, actor_id AS actor FROM audit_log WHERE action = 'VIDEO_CALL_CODE_SENT' AND entity_id = $1`, [
        c.id,
      ]),
    ).toEqual([{ type: 'AGENT', actor: officerRow.id }]);

    // Sent again (a second click, the job's next run): still one code, one SMS.
    const again = await send().expect(303);
    expect(again.headers.location).toBe(`${base}/jour?date=2026-12-22&fait=deja`);
    expect(page(await officer.get(again.headers.location).expect(200)).text('done')).toBe(
      'Un code avait déjà été envoyé pour cet appel : aucun autre n’est envoyé.',
    );
    jobClock.set(at(100), { frozen: true });
    await Promise.all([codes.issueDueCodes(), send()]);
    expect(await codesOf(c.id)).toHaveLength(1);
    expect((await messagesOf(c.id)).filter((m) => m.template === 'video-call-code')).toHaveLength(1);
  });

  it('gives one code when the job and the officer send it at the same moment', async () => {
    const { e, devices, base } = await establishment();
    // A number the SMS sender refuses keeps the app's own job off this call until the race below.
    const c = await call(e.id, devices[0], { firstName: 'Şükrü', phone: '+999999999' });
    await suite.app.setClock(at(40), { frozen: true });
    const day = page(await officer.get(`${base}/jour?date=2026-12-22`).expect(200));
    await query(`UPDATE detainee_phone_contacts SET phone = '+33655667788' WHERE id = $1`, [c.contactId]);
    jobClock.set(at(40), { frozen: true });
    const [, res] = await Promise.all([
      codes.issueDueCodes(),
      officer.post(`${base}/appels/${c.id}/code`).type('form').send({ _csrf: day.csrf() }),
    ]);
    expect(res.status).toBe(303);
    expect([`${base}/jour?date=2026-12-22&fait=code`, `${base}/jour?date=2026-12-22&fait=deja`]).toContain(res.headers.location);
    expect(await codesOf(c.id)).toHaveLength(1);
    expect(await query(`SELECT 1 FROM audit_log WHERE action = 'VIDEO_CALL_CODE_SENT' AND entity_id = $1`, [c.id])).toHaveLength(1);
    expect((await messagesOf(c.id)).filter((m) => m.template === 'video-call-code')).toHaveLength(1);
  });

  it('refuses to send a code before the slot’s start or after its end, or for another establishment’s call', async () => {
    const { e, devices, base } = await establishment(2);
    const c = await call(e.id, devices[0], { firstName: 'Łukasz', phone: '+999999999' });
    const elsewhere = await establishment();
    const theirs = await call(elsewhere.e.id, elsewhere.devices[0], { firstName: 'Şükrü', phone: '+999999999' });
    await suite.app.setClock(at(-60), { frozen: true });
    const token = await csrf(base);
    const send = (id: string) => officer.post(`${base}/appels/${id}/code`).type('form').send({ _csrf: token });

    expect(page(await send(c.id).expect(409)).text('problem')).toBe(
      'Le créneau n’a pas commencé : le code est envoyé automatiquement à son début.',
    );
    await suite.app.setClock(at(45 * 60), { frozen: true });
    expect(page(await send(c.id).expect(409)).text('problem')).toBe(
      'Le créneau est terminé : un code ne servirait plus. Enregistrez le bilan de l’appel.',
    );
    await suite.app.setClock(at(60), { frozen: true });
    await send(theirs.id).expect(404);
    await officer.post(`${base}/appels/${c.id}/code`).type('form').send({}).expect(403);
    expect(await codesOf(c.id)).toEqual([]);
    expect(await codesOf(theirs.id)).toEqual([]);
  });

  it('cancels instead the call whose contact was deactivated when the officer sends its code, its amount released', async () => {
    const { e, devices, base } = await establishment();
    const c = await call(e.id, devices[0], { firstName: 'Łukasz' });
    await query(`UPDATE detainee_phone_contacts SET active = false WHERE id = $1`, [c.contactId]);
    const token = await csrf(base);
    // The officer sends right after the slot's start, before the app's own job.
    const res = await beforeTheJob(
      c.id,
      () => suite.app.setClock(at(30), { frozen: true }),
      () => officer.post(`${base}/appels/${c.id}/code`).type('form').send({ _csrf: token }).expect(303),
    );
    expect(res.headers.location).toBe(`${base}/appels/${c.id}?fait=non-envoye`);
    const cancelled = page(await officer.get(res.headers.location).expect(200));
    expect(cancelled.text('done')).toBe(
      'Le code n’a pas été envoyé : l’appel ne pouvait plus avoir lieu, il est annulé (motif ci-dessous). Le montant bloqué est rendu disponible et le contact est prévenu par SMS.',
    );
    expect(cancelled.text('call-status')).toBe(
      'Annulé : Contact retiré de la liste des contacts autorisés (constaté à l’envoi du code, qui n’est pas parti)',
    );
    expect((await messagesOf(c.id)).map((m) => m.template)).toEqual(['video-call-cancelled']);
    expect(await codesOf(c.id)).toEqual([]);
    expect(await accountOf(c.detaineeId)).toEqual({ balance: 50000, blocked: 0 });
    expect(
      await query(`SELECT actor_type AS type, actor_id AS actor FROM audit_log WHERE action = 'VIDEO_CALL_CANCELLED' AND entity_id = $1`, [
        c.id,
      ]),
    ).toEqual([{ type: 'AGENT', actor: officerRow.id }]);
  });
});

/** What the job left of a call: its status, reason, author, codes, messages, account and audit. */
async function outcomeOf(c: { id: string; detaineeId: string }) {
  const booking = await queryOne<{ status: string; reason: string | null; by: string | null }>(
    `SELECT status, cancel_reason AS reason, cancelled_by AS by FROM video_call_bookings WHERE id = $1`,
    [c.id],
  );
  const audit = await query<{ type: string; label: string; after: Record<string, unknown> }>(
    `SELECT actor_type AS type, actor_label AS label, after FROM audit_log WHERE action = 'VIDEO_CALL_CANCELLED' AND entity_id = $1`,
    [c.id],
  );
  return {
    ...booking,
    codes: (await codesOf(c.id)).length,
    messages: (await messagesOf(c.id)).map((m) => m.template),
    account: await accountOf(c.detaineeId),
    audit,
  };
}

function cancelledBy(check: string, reason: string) {
  return {
    status: 'CANCELLED',
    reason,
    by: null,
    codes: 0,
    messages: ['video-call-cancelled'],
    account: { balance: 50000, blocked: 0 },
    audit: [
      {
        type: 'SYSTEM',
        label: 'P2V',
        after: { status: 'CANCELLED', reason, releasedCents: 914, check, contactNotified: true },
      },
    ],
  };
}

const sent = {
  status: 'BOOKED',
  reason: null,
  by: null,
  codes: 1,
  messages: ['video-call-code'],
  account: { balance: 50000, blocked: 914 },
  audit: [],
};

describe('the code job’s safety net', () => {
  // The next day's 10:30–11:15 slot: no call of the other tests is due then.
  const NEXT = daysBefore(-1);
  const next = (seconds: number) => new Date(NEXT.getTime() + seconds * 1000);

  it('sends no code to a contact deactivated since the booking, and cancels the call, the others of the slot getting theirs', async () => {
    const { e, devices } = await establishment(2);
    const stopped = await call(e.id, devices[0], { firstName: 'Łukasz', start: NEXT });
    const fine = await call(e.id, devices[1], { firstName: 'عمر', phone: '+33622334455', start: NEXT });
    await query(`UPDATE detainee_phone_contacts SET active = false WHERE id = $1`, [stopped.contactId]);
    jobClock.set(next(20), { frozen: true });
    expect(await codes.issueDueCodes()).toBe(1);
    expect(await outcomeOf(stopped)).toEqual(
      cancelledBy(
        'CONTACT_INACTIVE',
        'Contact retiré de la liste des contacts autorisés (constaté à l’envoi du code, qui n’est pas parti)',
      ),
    );
    expect(await outcomeOf(fine)).toEqual(sent);
    // The next run: nothing more.
    jobClock.set(next(80), { frozen: true });
    expect(await codes.issueDueCodes()).toBe(0);
    expect(await outcomeOf(stopped)).toMatchObject({ codes: 0, audit: [expect.anything()] });
  });

  it('cancels the call all the same when its contact’s stored number can no longer receive an SMS', async () => {
    const { e, devices } = await establishment();
    const c = await call(e.id, devices[0], { firstName: 'Łukasz', phone: '+999999999', start: NEXT });
    await query(`UPDATE detainee_phone_contacts SET active = false WHERE id = $1`, [c.contactId]);
    jobClock.set(next(20), { frozen: true });
    await codes.issueDueCodes();
    const out = await outcomeOf(c);
    expect(out).toMatchObject({ status: 'CANCELLED', codes: 0, messages: [], account: { balance: 50000, blocked: 0 } });
    expect(out.audit).toHaveLength(1);
    expect(out.audit[0]).toMatchObject({ after: { status: 'CANCELLED', releasedCents: 914, contactNotified: false } });
  });

  it('sends no code to a number under a sanction with no end or ending after now, and sends it once the sanction has ended', async () => {
    const { e, devices } = await establishment(3);
    const forever = await call(e.id, devices[0], { firstName: 'Łukasz', phone: '+33611000001', start: NEXT });
    const until = await call(e.id, devices[1], { firstName: 'Şükrü', phone: '+33611000002', start: NEXT });
    const over = await call(e.id, devices[2], { firstName: 'عمر', phone: '+33611000003', start: NEXT });
    for (const [phone, end] of [
      ['+33611000001', null],
      ['+33611000002', next(61)],
      ['+33611000003', next(59)],
    ] as const)
      await query(
        `INSERT INTO sanctioned_numbers (establishment_id, phone, until, motivation, decided_at, decided_by)
         VALUES ($1, $2, $3, 'Usage contraire à la charte', $4, $5)`,
        [e.id, phone, end, daysBefore(3), officerRow.id],
      );
    jobClock.set(next(60), { frozen: true });
    expect(await codes.issueDueCodes()).toBe(1);
    const reason = 'Numéro du contact sous sanction (constaté à l’envoi du code, qui n’est pas parti)';
    expect(await outcomeOf(forever)).toEqual(cancelledBy('SANCTIONED_NUMBER', reason));
    expect(await outcomeOf(until)).toEqual(cancelledBy('SANCTIONED_NUMBER', reason));
    expect(await outcomeOf(over)).toEqual(sent);
  });

  it('sends no code when the detainee’s latest access decision is a refusal, a withdrawal or a suspension beyond now', async () => {
    const { e, devices } = await establishment(6);
    const decide = async (detaineeId: string, ...decisions: [string, Date | null, number][]) => {
      for (const [status, until, daysAgo] of decisions)
        await query(
          `INSERT INTO video_call_access (detainee_id, status, suspended_until, motivation, decided_at, decided_by)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [detaineeId, status, until, status === 'ACTIVE' ? null : 'Usage contraire à la charte', daysBefore(daysAgo), officerRow.id],
        );
    };
    const refused = await call(e.id, devices[0], { firstName: 'Łukasz', start: NEXT });
    await decide(refused.detaineeId, ['REFUSED', null, 5]);
    const withdrawn = await call(e.id, devices[1], { firstName: 'Şükrü', start: NEXT });
    await decide(withdrawn.detaineeId, ['ACTIVE', null, 9], ['WITHDRAWN', null, 2]);
    const suspended = await call(e.id, devices[2], { firstName: 'عمر', start: NEXT });
    await decide(suspended.detaineeId, ['SUSPENDED', next(301), 1]);
    const suspensionOver = await call(e.id, devices[3], { firstName: 'Zoë', start: NEXT });
    await decide(suspensionOver.detaineeId, ['SUSPENDED', next(299), 1]);
    const restored = await call(e.id, devices[4], { firstName: 'Nguyễn', start: NEXT });
    await decide(restored.detaineeId, ['WITHDRAWN', null, 6], ['ACTIVE', null, 1]);
    const never = await call(e.id, devices[5], { firstName: 'Ana', start: NEXT });

    jobClock.set(next(300), { frozen: true });
    expect(await codes.issueDueCodes()).toBe(3);
    expect(await outcomeOf(refused)).toEqual(
      cancelledBy(
        'ACCESS_REFUSED',
        'Accès à la visiophonie refusé à la personne détenue (constaté à l’envoi du code, qui n’est pas parti)',
      ),
    );
    expect(await outcomeOf(withdrawn)).toEqual(
      cancelledBy(
        'ACCESS_WITHDRAWN',
        'Accès à la visiophonie retiré à la personne détenue (constaté à l’envoi du code, qui n’est pas parti)',
      ),
    );
    expect(await outcomeOf(suspended)).toEqual(
      cancelledBy(
        'ACCESS_SUSPENDED',
        'Accès à la visiophonie de la personne détenue suspendu (constaté à l’envoi du code, qui n’est pas parti)',
      ),
    );
    for (const c of [suspensionOver, restored, never]) expect(await outcomeOf(c)).toEqual(sent);
  });
});

describe('the contact of a booking', () => {
  it('is refused by the database when it is another detainee’s contact', async () => {
    const { e, devices } = await establishment();
    const mine = await detainee(e.id, { firstName: 'Łukasz' });
    const theirs = await detainee(e.id, { firstName: 'عمر' });
    await expect(callOf(e.id, devices[0], { id: mine.id, contact: theirs.contact })).rejects.toMatchObject({
      code: '23503',
      constraint: 'video_call_bookings_contact_owner_fk',
    });
    await expect(callOf(e.id, devices[0], { id: mine.id, contact: mine.contact })).resolves.toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      query(`UPDATE video_call_bookings SET contact_id = $2 WHERE detainee_id = $1`, [mine.id, theirs.contact]),
    ).rejects.toMatchObject({ code: '23503', constraint: 'video_call_bookings_contact_owner_fk' });
  });
});
