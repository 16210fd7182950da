import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import request from 'supertest';
import { query, queryOne } from './helpers/db';
import { APP_START_TIMEOUT, appForTests, startTestApp, type TestApp } from './helpers/app';
import { awayFromWindowEnd } from './helpers/rate-limit-window';
import { page } from './helpers/html';
import { openDataSource, services, testConfig } from './helpers/notifications';
import { signInAgent, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertBooking, insertContact, insertDevice } from './factories/video-calls';

/* eslint-disable @typescript-eslint/no-require-imports */
const { smsLength } = require('../dist/src/notifications/notification.rules') as typeof import('../src/notifications/notification.rules');
const { VideoCallCodesService } = require('../dist/src/video-calls/codes.service') as typeof import('../src/video-calls/codes.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
/* eslint-enable @typescript-eslint/no-require-imports */

const suite = appForTests();

/** The development values of VIDEO_CALL_CODE_SECRET and VIDEO_SERVICE_API_KEY (config.ts), as the test app runs. */
const SECRET = 'development-only-video-call-code-secret-0000';
const API_KEY = 'development-only-video-service-api-key-0000';

/** Tuesday 22 December 2026: the 10:30–11:15 slot in Paris. */
const START = new Date('2026-12-22T09:30:00Z');
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

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
  // The periodic job, run here on its own clock, as every instance of the app runs it.
  codes = new VideoCallCodesService(ds, new AuditService(), jobClock, services(ds, config, jobClock).notifications, config);
});
afterAll(async () => {
  // The app's clock goes back to the system's when the next file resets the shared app (or this file's app stops).
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

/** A booked call (no plan: 0.30 €/min + 0.14 €, 9.14 € blocked) on the slot starting at `start`, the account holding 50 €. */
async function call(establishmentId: string, deviceId: string, o: { start?: Date; firstName?: string; phone?: string } = {}) {
  const d = await insertDetainee(establishmentId, { firstName: o.firstName ?? 'Karim', lastName: 'Benali' });
  await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, blocked_cents) VALUES ($1, 5000, 914)`, [d.id]);
  const contact = await insertContact(d.id, officerRow.id, { name: 'Thị Lan Nguyễn', phone: o.phone ?? '+33611223344' });
  const start = o.start ?? START;
  const end = new Date(start.getTime() + 45 * 60_000);
  const booking = await insertBooking({
    establishmentId,
    detainee: { id: d.id, contact: contact.id },
    deviceId,
    slot: `[${start.toISOString()}, ${end.toISOString()})`,
    agentId: officerRow.id,
  });
  return { id: booking.id, detaineeId: d.id };
}

/** The code SMS of a call: its text, the code and the link's code id. */
async function codeSms(bookingId: string) {
  const rows = await query<{ body: string; address: string }>(
    `SELECT n.body_text AS body, r.address FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
      WHERE n.entity_type = 'video_call_booking' AND n.entity_id = $1 AND n.template = 'video-call-code'`,
    [bookingId],
  );
  expect(rows).toHaveLength(1);
  const m = /Votre code : (\d{6}),.*\/visio\/code\?appel=([0-9a-f-]{36})$/.exec(rows[0].body)!;
  return { ...rows[0], code: m[1], codeId: m[2] };
}

/** Runs the job at `when` (its own clock): the codes due then are issued. */
async function codesSentAt(when: Date) {
  jobClock.set(when, { frozen: true });
  await codes.issueDueCodes();
}

/** The contact types `code` on the page of the SMS link (a session of its own, CSRF token from the form). */
async function typeCode(codeId: string, code: string) {
  const contact = suite.app.http();
  const form = page(await contact.get(`/visio/code?appel=${codeId}`).expect(200));
  const res = await contact.post('/visio/code').type('form').send({ _csrf: form.csrf(), appel: codeId, code });
  return { status: res.status, p: page(res) };
}

async function accountOf(detaineeId: string) {
  return queryOne<{ balance: number; blocked: number }>(
    `SELECT balance_cents AS balance, blocked_cents AS blocked FROM phone_accounts WHERE detainee_id = $1`,
    [detaineeId],
  );
}

describe('the code sent at the slot’s start', () => {
  it('gives each booked call of the slot one code by SMS at its start, stored hashed: run again or twice at once, still one', async () => {
    const { e, devices } = await establishment(3);
    const first = await call(e.id, devices[0], { phone: '+33611223344' });
    const second = await call(e.id, devices[1], { firstName: 'Łukasz', phone: '+33622334455' });
    const later = await call(e.id, devices[2], { start: new Date(START.getTime() + 60 * 60_000) });

    jobClock.set(new Date(START.getTime() - 1000), { frozen: true });
    await codes.issueDueCodes();
    expect(await query(`SELECT id FROM video_call_codes WHERE booking_id = ANY($1::uuid[])`, [[first.id, second.id]])).toEqual([]);

    // Two instances at the same minute, then the next minute's run.
    jobClock.set(at(20), { frozen: true });
    await Promise.all([codes.issueDueCodes(), codes.issueDueCodes()]);
    jobClock.set(at(80), { frozen: true });
    await codes.issueDueCodes();

    const rows = await query<{ booking: string; hash: string; expires: Date; used: Date | null; failed: number }>(
      `SELECT booking_id AS booking, code_hash AS hash, expires_at AS expires, used_at AS used, failed_attempts AS failed
         FROM video_call_codes WHERE booking_id = ANY($1::uuid[]) ORDER BY booking_id`,
      [[first.id, second.id, later.id]],
    );
    expect(rows.map((r) => r.booking).sort()).toEqual([first.id, second.id].sort());
    const sms = await codeSms(first.id);
    expect(sms.address).toBe('+33611223344');
    expect(sms.body).toMatch(
      /^P2V Justice : votre appel en visio commence\. Votre code : \d{6}, valable 5 minutes\. Saisissez-le ici : http:\/\/localhost:\d+\/visio\/code\?appel=[0-9a-f-]{36}$/,
    );
    expect(smsLength(sms.body).segments).toBeLessThanOrEqual(2);
    const stored = rows.find((r) => r.booking === first.id)!;
    expect(stored.hash).toBe(createHmac('sha256', SECRET).update(sms.code).digest('hex'));
    expect(stored.hash).not.toContain(sms.code);
    expect(stored).toMatchObject({ expires: at(320), used: null, failed: 0 });
    const data = await queryOne<{ data: string }>(
      `SELECT data::text AS data FROM notifications WHERE entity_id = $1 AND template = 'video-call-code'`,
      [first.id],
    );
    expect(data.data).toContain('/visio/code?appel=');
    expect(data.data).not.toContain(sms.code);
    expect((await codeSms(second.id)).address).toBe('+33622334455');
    expect((await codeSms(second.id)).code).not.toBe(sms.code);
    const audit = await query<{ after: string }>(
      `SELECT after::text FROM audit_log WHERE action = 'VIDEO_CALL_CODE_SENT' AND entity_id = $1`,
      [first.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].after).not.toContain(sms.code);
  });

  it('gives a code sent late 5 minutes from when it is sent, never past the slot’s end, and a call that fails does not stop the others', async () => {
    const { e, devices } = await establishment(4);
    const late = await call(e.id, devices[0], { firstName: 'Łukasz' });
    const failing = await call(e.id, devices[1], { firstName: 'Şükrü', phone: '+999999999' });
    const ending = await call(e.id, devices[2], { firstName: 'عمر', start: new Date(START.getTime() - 40 * 60_000) });
    const ended = await call(e.id, devices[3], { start: new Date(START.getTime() - 45 * 60_000) });
    const expiry = async (bookingId: string) =>
      (await query<{ expires: Date }>(`SELECT expires_at AS expires FROM video_call_codes WHERE booking_id = $1`, [bookingId])).map(
        (r) => r.expires,
      );

    // The job ran late: 4 min 30 s after the start.
    await codesSentAt(at(270));
    expect(await expiry(late.id)).toEqual([at(570)]);
    expect(await expiry(ending.id)).toEqual([at(300)]);
    expect(await expiry(failing.id)).toEqual([]);
    expect(await expiry(ended.id)).toEqual([]);
    expect((await codeSms(late.id)).code).toMatch(/^\d{6}$/);

    // The failing call's contact is corrected: the next run sends its code, the others keep theirs.
    await query(
      `UPDATE detainee_phone_contacts SET phone = '+33644556677' WHERE id = (SELECT contact_id FROM video_call_bookings WHERE id = $1)`,
      [failing.id],
    );
    await codesSentAt(at(330));
    expect(await expiry(failing.id)).toEqual([at(630)]);
    expect(await expiry(late.id)).toEqual([at(570)]);
    expect((await codeSms(failing.id)).address).toBe('+33644556677');
  });
});

/** What the outbox keeps of a call's code SMS: its text, HTML, subject and data. */
async function storedSms(bookingId: string) {
  return queryOne<{ stored: string }>(
    `SELECT concat_ws(' ', body_text, body_html, subject, data::text) AS stored FROM notifications
      WHERE entity_type = 'video_call_booking' AND entity_id = $1 AND template = 'video-call-code'`,
    [bookingId],
  );
}

describe('the code SMS kept in the outbox', () => {
  it('blanks the stored SMS of a code once used or expired, so that no notification holds the code any more', async () => {
    const { e, devices } = await establishment(2);
    const used = await call(e.id, devices[0], { firstName: 'Łukasz' });
    const unused = await call(e.id, devices[1], { firstName: 'عمر', phone: '+33622334455' });
    await codesSentAt(START);
    const usedSms = await codeSms(used.id);
    const unusedSms = await codeSms(unused.id);
    await suite.app.setClock(at(30), { frozen: true });
    expect((await typeCode(usedSms.codeId, usedSms.code)).status).toBe(200);

    jobClock.set(at(299), { frozen: true });
    await codes.blankSpentCodeSms();
    expect((await storedSms(used.id)).stored).not.toContain(usedSms.code);
    expect((await storedSms(used.id)).stored).toContain('le code de votre appel en visio a expiré');
    // A code still usable keeps its SMS (not yet delivered, it must still carry the code).
    expect((await storedSms(unused.id)).stored).toContain(unusedSms.code);

    jobClock.set(at(300), { frozen: true });
    await codes.blankSpentCodeSms();
    for (const code of [usedSms.code, unusedSms.code]) {
      const holding = await query(
        `SELECT id FROM notifications WHERE entity_id = ANY($1::uuid[])
            AND position($2 in concat_ws(' ', body_text, body_html, subject, data::text)) > 0`,
        [[used.id, unused.id], code],
      );
      expect(holding).toEqual([]);
    }
    expect((await storedSms(unused.id)).stored).toMatch(/^P2V Justice : le code de votre appel en visio a expiré\. \{/);
  });
});

describe('the contact’s code page', () => {
  it('accepts the right code once, then refuses it as used', async () => {
    const { e, devices } = await establishment();
    const c = await call(e.id, devices[0]);
    await codesSentAt(at(10));
    const { code, codeId } = await codeSms(c.id);
    await suite.app.setClock(at(90), { frozen: true });

    const form = page(await suite.app.http().get(`/visio/code?appel=${codeId}`).expect(200));
    expect(form.heading()).toBe('Appel en visio : votre code');
    const accepted = await typeCode(codeId, code.replace(/(\d{3})/, '$1 '));
    expect(accepted.status).toBe(200);
    expect(accepted.p.text('code-result')).toBe('Code accepté : l’appel peut commencer.');
    expect(await queryOne(`SELECT used_at AS used FROM video_call_codes WHERE id = $1`, [codeId])).toEqual({ used: at(90) });

    const reused = await typeCode(codeId, code);
    expect(reused.status).toBe(409);
    expect(reused.p.text('code-result')).toBe('Ce code a déjà servi : il n’est valable qu’une fois.');
    await suite.app.http().get(`/visio/code?appel=00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('refuses the right code 5 minutes after the slot’s start, and accepts it just before', async () => {
    const { e, devices } = await establishment(2);
    const late = await call(e.id, devices[0]);
    const justInTime = await call(e.id, devices[1], { firstName: 'Nguyễn' });
    await codesSentAt(START);
    await suite.app.setClock(at(300), { frozen: true });
    const expired = await typeCode((await codeSms(late.id)).codeId, (await codeSms(late.id)).code);
    expect(expired.status).toBe(409);
    expect(expired.p.text('code-result')).toBe(
      'Ce code n’est plus valable : il fallait se connecter dans les 5 minutes suivant l’envoi du SMS.',
    );
    await suite.app.setClock(at(299), { frozen: true });
    expect((await typeCode((await codeSms(justInTime.id)).codeId, (await codeSms(justInTime.id)).code)).status).toBe(200);
  });

  it('counts five wrong codes, saying the attempts left, then refuses the sixth even when right', async () => {
    const { e, devices } = await establishment();
    const c = await call(e.id, devices[0]);
    await codesSentAt(at(5));
    const { code, codeId } = await codeSms(c.id);
    await suite.app.setClock(at(60), { frozen: true });
    const wrong = code === '000000' ? '111111' : '000000';

    const typo = await typeCode(codeId, '12a4');
    expect(typo.status).toBe(400);
    expect(typo.p.fieldError('code')).toBe('Saisissez les 6 chiffres du code reçu par SMS.');
    expect(typo.p.value('code')).toBe('12a4');
    for (const left of [4, 3, 2, 1]) {
      const res = await typeCode(codeId, wrong);
      expect(res.status).toBe(400);
      expect(res.p.fieldError('code')).toBe(
        `Ce code n’est pas le bon. Vérifiez le SMS reçu et saisissez les 6 chiffres. Il vous reste ${left} essai${left > 1 ? 's' : ''}.`,
      );
    }
    const fifth = await typeCode(codeId, wrong);
    expect(fifth.status).toBe(409);
    expect(fifth.p.text('code-result')).toContain('C’était le dernier essai : ce code est maintenant bloqué.');
    const sixth = await typeCode(codeId, code);
    expect(sixth.status).toBe(409);
    expect(sixth.p.text('code-result')).toBe('Trop d’essais erronés : ce code est bloqué.');
    expect(await queryOne(`SELECT failed_attempts AS failed, used_at AS used FROM video_call_codes WHERE id = $1`, [codeId])).toEqual({
      failed: 5,
      used: null,
    });
  });

  it('refuses the code of a call cancelled after it was sent', async () => {
    const { e, devices } = await establishment();
    const c = await call(e.id, devices[0]);
    await codesSentAt(at(5));
    const { code, codeId } = await codeSms(c.id);
    await query(`UPDATE video_call_bookings SET status = 'CANCELLED', cancelled_at = $2, cancel_reason = 'Transfert' WHERE id = $1`, [
      c.id,
      at(30),
    ]);
    await suite.app.setClock(at(60), { frozen: true });
    const res = await typeCode(codeId, code);
    expect(res.status).toBe(409);
    expect(res.p.text('code-result')).toBe('Cet appel a été annulé : ce code ne sert plus.');
    expect(await queryOne(`SELECT used_at AS used FROM video_call_codes WHERE id = $1`, [codeId])).toEqual({ used: null });
  });

  it('refuses a code posted without the page’s CSRF token', async () => {
    const { e, devices } = await establishment();
    const c = await call(e.id, devices[0]);
    await codesSentAt(at(5));
    const { code, codeId } = await codeSms(c.id);
    await suite.app.setClock(at(60), { frozen: true });
    await suite.app.http().post('/visio/code').type('form').send({ appel: codeId, code }).expect(403);
    expect(await queryOne(`SELECT used_at AS used FROM video_call_codes WHERE id = $1`, [codeId])).toEqual({ used: null });
  });
});

describe('the video service’s adapter endpoint', () => {
  const api = () => request(suite.app.url).post('/api/visio/codes/verifier');
  const auth = `Bearer ${API_KEY}`;

  it('checks a code for the video service with its key, and refuses a wrong or missing key', async () => {
    const { e, devices } = await establishment();
    const c = await call(e.id, devices[0]);
    await codesSentAt(at(5));
    const { code, codeId } = await codeSms(c.id);
    await suite.app.setClock(at(60), { frozen: true });

    expect((await api().send({ appel: codeId, code }).expect(401)).body).toEqual({ ok: false, reason: 'UNAUTHORIZED' });
    expect((await api().set('Authorization', `${auth}x`).send({ appel: codeId, code }).expect(401)).body).toEqual({
      ok: false,
      reason: 'UNAUTHORIZED',
    });
    expect(await queryOne(`SELECT used_at AS used FROM video_call_codes WHERE id = $1`, [codeId])).toEqual({ used: null });
    await api().set('Authorization', auth).set('Content-Type', 'application/json').send('{bad').expect(400);
    await api().set('Authorization', auth).send({ code }).expect(400);
    expect((await api().set('Authorization', auth).send({ appel: codeId, code }).expect(200)).body).toEqual({ ok: true, bookingId: c.id });
    expect((await api().set('Authorization', auth).send({ appel: codeId, code }).expect(200)).body).toEqual({
      ok: false,
      reason: 'REFUSED',
    });
  });

  it('counts the video service’s wrong codes against the call it names and refuses the sixth, with one answer for every refusal', async () => {
    const { e, devices } = await establishment(3);
    const guessed = await call(e.id, devices[0], { firstName: 'Łukasz' });
    const other = await call(e.id, devices[1], { firstName: 'Şükrü', phone: '+33622334455' });
    const late = await call(e.id, devices[2], { firstName: 'عمر', phone: '+33633445566' });
    await codesSentAt(at(5));
    const target = await codeSms(guessed.id);
    const second = await codeSms(other.id);
    const third = await codeSms(late.id);
    await suite.app.setClock(at(60), { frozen: true });
    const refused = { ok: false, reason: 'REFUSED' };
    const check = async (appel: string, code: string) =>
      (await api().set('Authorization', auth).send({ appel, code }).expect(200)).body as unknown;

    // Another call's live code, typed for this call, is a wrong attempt on this call, not a hit on the other.
    expect(await check(target.codeId, second.code)).toEqual(refused);
    const wrong = target.code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) expect(await check(target.codeId, wrong)).toEqual(refused);
    expect(await queryOne(`SELECT failed_attempts AS failed FROM video_call_codes WHERE id = $1`, [target.codeId])).toEqual({ failed: 5 });
    expect(await check(target.codeId, target.code)).toEqual(refused);
    expect(await queryOne(`SELECT used_at AS used FROM video_call_codes WHERE id = $1`, [target.codeId])).toEqual({ used: null });
    expect(
      await queryOne(`SELECT used_at AS used, failed_attempts AS failed FROM video_call_codes WHERE id = $1`, [second.codeId]),
    ).toEqual({
      used: null,
      failed: 0,
    });

    // An unknown call, a cancelled call, an expired code: the same answer.
    expect(await check('6d0f3c1e-8a54-4c2b-9a55-0d5a1b9c7e21', second.code)).toEqual(refused);
    expect(await check('x', second.code)).toEqual(refused);
    await query(`UPDATE video_call_bookings SET status = 'CANCELLED', cancelled_at = $2, cancel_reason = 'Transfert' WHERE id = $1`, [
      late.id,
      at(30),
    ]);
    expect(await check(third.codeId, third.code)).toEqual(refused);
    await suite.app.setClock(at(305), { frozen: true });
    expect(await check(second.codeId, second.code)).toEqual(refused);
    const results = await query<{ result: string }>(
      `SELECT after->>'result' AS result FROM audit_log WHERE action = 'VIDEO_CALL_CODE_CHECKED' AND entity_id = $1 ORDER BY id`,
      [guessed.id],
    );
    expect(results.map((r) => r.result)).toEqual(['WRONG', 'WRONG', 'WRONG', 'WRONG', 'WRONG', 'LOCKED']);
  });
});

describe('the video service’s rate limit', () => {
  let limited: TestApp;
  afterAll(async () => {
    await limited?.stop();
  });
  it(
    'limits the video service’s code checks per address with its own limit, not the sign-in one',
    async () => {
      limited = await startTestApp({ SIGNIN_RATE_LIMIT: '1', VIDEO_SERVICE_RATE_LIMIT: '3' }, { reset: false });
      await awayFromWindowEnd();
      const post = () =>
        request(limited.url)
          .post('/api/visio/codes/verifier')
          .set('Authorization', `Bearer ${API_KEY}`)
          .send({ appel: 'x', code: '123456' });
      for (let i = 0; i < 3; i++) expect((await post().expect(200)).body).toEqual({ ok: false, reason: 'REFUSED' });
      expect((await post().expect(429)).body).toEqual({ ok: false, reason: 'RATE_LIMITED' });
    },
    APP_START_TIMEOUT + 10_000,
  );
});

describe('the call’s outcome and its charge', () => {
  it('records a call held with its real duration: the minutes begun are debited, the rest released', async () => {
    const { e, devices, base } = await establishment(2);
    const c = await call(e.id, devices[0]);
    const future = await call(e.id, devices[1], { start: new Date(START.getTime() + 3 * 3600_000), firstName: 'Łukasz' });
    await suite.app.setClock(at(50 * 60), { frozen: true });

    const day = page(await officer.get(`${base}/jour?date=2026-12-22`).expect(200));
    expect(day.texts('day-outcome')).toEqual(['Appel à clôturer Code non envoyé Enregistrer le bilan', 'À venir']);
    const form = page(await officer.get(`${base}/appels/${c.id}/bilan`).expect(200));
    const bad = page(
      await officer
        .post(`${base}/appels/${c.id}/bilan/relire`)
        .type('form')
        .send({ _csrf: form.csrf(), issue: 'passe', duree: '12' })
        .expect(400),
    );
    expect(bad.fieldError('duree')).toBe('Indiquez la durée réelle en minutes:secondes, par exemple 12:34.');
    expect(bad.value('duree')).toBe('12');
    const readBack = page(
      await officer
        .post(`${base}/appels/${c.id}/bilan/relire`)
        .type('form')
        .send({ _csrf: form.csrf(), issue: 'passe', duree: '12:34' })
        .expect(200),
    );
    // 13 minutes begun × 0.30 € + 0.14 € = 4.04 €; 9.14 € − 4.04 € = 5.10 € released.
    expect(readBack.text('read-back')).toBe(
      'Appel passé, durée 12:34 : 4,04 € prélevés sur le compte téléphonique de BENALI Karim, 5,10 € débloqués.',
    );
    expect(await accountOf(c.detaineeId)).toEqual({ balance: 5000, blocked: 914 });

    const res = await officer
      .post(`${base}/appels/${c.id}/bilan`)
      .type('form')
      .send({ _csrf: form.csrf(), issue: 'passe', duree: '12:34' });
    expect(res.status).toBe(303);
    expect(await accountOf(c.detaineeId)).toEqual({ balance: 4596, blocked: 0 });
    expect(
      await queryOne(`SELECT status, duration_seconds AS seconds, charged_cents AS charged FROM video_call_bookings WHERE id = $1`, [c.id]),
    ).toEqual({ status: 'HELD', seconds: 754, charged: 404 });
    const [audit] = await query<{ actor: string; after: Record<string, unknown> }>(
      `SELECT actor_id AS actor, after FROM audit_log WHERE action = 'VIDEO_CALL_HELD' AND entity_id = $1`,
      [c.id],
    );
    expect(audit).toEqual({
      actor: officerRow.id,
      after: { status: 'HELD', durationSeconds: 754, chargedCents: 404, releasedCents: 510, balanceCents: 4596 },
    });
    expect(page(await officer.get(res.headers.location).expect(200)).text('call-status')).toBe('Passé (12:34), 4,04 € prélevés');

    const again = await officer.post(`${base}/appels/${c.id}/bilan`).type('form').send({ _csrf: form.csrf(), issue: 'absent' }).expect(409);
    expect(page(again).errors()).toEqual(['Le bilan de cet appel est déjà enregistré, ou il a été annulé.']);
    const early = await officer
      .post(`${base}/appels/${future.id}/bilan`)
      .type('form')
      .send({ _csrf: form.csrf(), issue: 'absent' })
      .expect(409);
    expect(page(early).errors()).toEqual(['Cet appel n’a pas encore commencé : son bilan s’enregistre après le début du créneau.']);
    expect(await accountOf(c.detaineeId)).toEqual({ balance: 4596, blocked: 0 });
    expect(await accountOf(future.detaineeId)).toEqual({ balance: 5000, blocked: 914 });
  });

  it('records a call not honoured: nothing charged, all the blocked amount released', async () => {
    const { e, devices, base } = await establishment();
    const c = await call(e.id, devices[0]);
    await suite.app.setClock(at(50 * 60), { frozen: true });
    const form = page(await officer.get(`${base}/appels/${c.id}/bilan`).expect(200));
    const readBack = page(
      await officer.post(`${base}/appels/${c.id}/bilan/relire`).type('form').send({ _csrf: form.csrf(), issue: 'absent' }).expect(200),
    );
    expect(readBack.text('read-back')).toBe('Appel non honoré : rien n’est prélevé, les 9,14 € bloqués sont débloqués.');
    await officer.post(`${base}/appels/${c.id}/bilan`).type('form').send({ _csrf: form.csrf(), issue: 'absent' }).expect(303);
    expect(await accountOf(c.detaineeId)).toEqual({ balance: 5000, blocked: 0 });
    expect(
      await queryOne(`SELECT status, duration_seconds AS seconds, charged_cents AS charged FROM video_call_bookings WHERE id = $1`, [c.id]),
    ).toEqual({ status: 'NO_SHOW', seconds: null, charged: null });
    expect(await query(`SELECT 1 FROM audit_log WHERE action = 'VIDEO_CALL_NO_SHOW' AND entity_id = $1`, [c.id])).toHaveLength(1);
    expect(page(await officer.get(`${base}/jour?date=2026-12-22`).expect(200)).texts('day-outcome')).toEqual(['Non honoré']);
  });
});
