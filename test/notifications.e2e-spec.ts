import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import express from 'express';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { Appointment } from '../src/appointments/appointments.service';
import { appointmentInput, uniqueEmail, uniquePhone } from './factories/appointments';
import { insertEstablishment, insertFamily, type EstablishmentRow } from './factories/people';
import { freshDatabase, query, queryOne, testDatabaseUrl } from './helpers/db';
import { TestSmtpServer } from './helpers/mail';
import { advance, frozenClock, openDataSource, services, servicesAt, worker } from './helpers/notifications';
import { freePort } from './helpers/processes';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { demoSmsRouter } = require('../dist/src/notifications/demo-messaging') as typeof import('../src/notifications/demo-messaging');
const { smsLength } = require('../dist/src/notifications/notification.rules') as typeof import('../src/notifications/notification.rules');
const { AppointmentScopes } =
  require('../dist/src/appointments/appointments.service') as typeof import('../src/appointments/appointments.service');
const { installTransactionGuard } = require('../dist/src/database/transaction-guard') as typeof import('../src/database/transaction-guard');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The outbox and the appointments' messages, in-process on the test file's database, with a real
 * SMTP server, the demo SMS endpoint, a frozen clock and the transaction guard on. Every test
 * books its own appointments with their own addresses; the outbox is emptied before each one, as
 * each test's worker delivers whatever is due.
 */
const SYSTEM = { type: 'SYSTEM' as const, label: 'test' };
let ds: DataSource;
let smtp: TestSmtpServer;
let smsServer: Server;
let smsPool: Pool;
let smsUrl: string;
let establishment: EstablishmentRow;

beforeAll(async () => {
  await freshDatabase();
  installTransactionGuard();
  ds = await openDataSource();
  establishment = await insertEstablishment({ name: 'Maison d’arrêt de Test', kind: 'MAISON_ARRET' });
  smtp = new TestSmtpServer();
  await smtp.start();
  smsPool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const smsApp = express();
  smsApp.use('/demo-sms', demoSmsRouter(smsPool));
  const smsPort = await freePort();
  smsServer = createServer(smsApp).listen(smsPort, '127.0.0.1');
  smsUrl = `http://127.0.0.1:${smsPort}/demo-sms`;
});

afterAll(async () => {
  await smtp?.stop();
  smsServer?.close();
  await smsPool?.end();
  await ds?.destroy();
});

beforeEach(async () => {
  smtp.received.length = 0;
  await query(`DELETE FROM notification_attempts; DELETE FROM notifications; DELETE FROM demo_inbox`);
});

interface NotificationRow {
  channel: 'EMAIL' | 'SMS';
  template: string;
  category: 'TRANSACTIONAL' | 'REMINDER';
  status: string;
  status_reason: string | null;
  send_after: Date;
  attempts: number;
}

function notificationsOf(a: Appointment): Promise<NotificationRow[]> {
  return query<NotificationRow>(
    `SELECT channel, template, category, status, status_reason, send_after, attempts FROM notifications WHERE entity_id = $1
      ORDER BY send_after, template, channel`,
    [a.id],
  );
}

function cancelledData() {
  return {
    kindLabel: 'visite au parloir',
    reference: 'ABCDEFGH',
    when: 'lundi 7 décembre 2026 à 10 h 00',
    whenShort: '07/12 à 10h00',
    place: 'Parloir',
    address: 'Paris',
    establishmentName: 'Maison d’arrêt de Test',
    manageUrl: 'http://localhost/mes-rendez-vous',
    zoneNote: 'heure de Paris',
  };
}

/** A transactional message to an address, written in its own transaction. */
function enqueueCancellation(n: ReturnType<typeof services>['notifications'], to: string, now: Date) {
  return ds.transaction((m) =>
    n.enqueue(
      m,
      {
        channel: 'EMAIL',
        to,
        template: 'appointment-cancelled',
        category: 'TRANSACTIONAL',
        data: cancelledData(),
        establishmentId: establishment.id,
      },
      now,
    ),
  );
}

describe('outbox delivery', () => {
  it('delivers a booking confirmation exactly once, with its .ics, and records the attempt', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const a = await appointments.book(SYSTEM, appointmentInput(establishment.id, { startsAt: new Date('2026-12-06T09:00:00Z') }));
    const w = worker(ds, notifications, { smtpPort: smtp.port, smsUrl, clock });
    expect((await w.runOnce()).sent).toBe(1);
    expect((await w.runOnce()).claimed).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.subject).toBe(`Rendez-vous confirmé le 06/12 à 10h00 (réf. ${a.reference})`);
    expect(mail.text).toContain('dimanche 6 décembre 2026 à 10 h 00 (heure de Paris)');
    expect(mail.text).toContain('À apporter : une pièce d’identité en cours de validité');
    expect(mail.text).toContain(`/mes-rendez-vous/${a.id}/annuler`);
    expect(mail.text).toContain('Ce message vous est envoyé par P2V');
    expect(mail.html).toContain('<strong>À apporter :</strong>');
    expect(mail.attachments.map((x) => x.contentType)).toEqual(['text/calendar']);
    expect(mail.attachments[0].content.toString()).toContain('DTSTART:20261206T090000Z');
    const row = await queryOne<{ id: string; status: string; attempts: number; ok: number }>(
      `SELECT n.id, n.status, n.attempts,
              (SELECT count(*)::int FROM notification_attempts t WHERE t.notification_id = n.id AND t.outcome = 'SENT') AS ok
         FROM notifications n WHERE n.entity_id = $1 AND n.template = 'appointment-confirmation'`,
      [a.id],
    );
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, ok: 1 });
    expect(mail.messageId).toBe(`<${row.id}@p2v.test>`);
  });

  it('keeps the message while the SMTP server is down, then delivers it once after a retry', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const a = await appointments.book(SYSTEM, appointmentInput(establishment.id, { startsAt: new Date('2026-12-06T09:00:00Z') }));
    const port = await freePort();
    const down = new TestSmtpServer();
    const w = worker(ds, notifications, { smtpPort: port, smsUrl, clock });
    const confirmation = () =>
      queryOne<{ id: string; status: string; attempts: number; next_attempt_at: Date; status_reason: string | null }>(
        `SELECT id, status, attempts, next_attempt_at, status_reason FROM notifications
          WHERE entity_id = $1 AND template = 'appointment-confirmation'`,
        [a.id],
      );

    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    let row = await confirmation();
    expect(row.status).toBe('PENDING');
    expect(row.attempts).toBe(1);
    expect(row.next_attempt_at.getTime()).toBe(clock.now().getTime() + 30_000);
    expect(row.status_reason).toMatch(/ECONNREFUSED/);
    expect((await w.runOnce()).claimed).toBe(0); // not before the back-off

    advance(clock, 31_000);
    expect(await w.runOnce()).toMatchObject({ retried: 1 }); // still down: next wait doubles
    row = await confirmation();
    expect(row.next_attempt_at.getTime()).toBe(clock.now().getTime() + 60_000);

    await down.start(port);
    try {
      advance(clock, 61_000);
      expect(await w.runOnce()).toMatchObject({ sent: 1 });
      advance(clock, 3_600_000);
      expect((await w.runOnce()).claimed).toBe(0);
      expect(down.received).toHaveLength(1);
      const attempts = await query(`SELECT attempt, outcome FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt`, [
        row.id,
      ]);
      expect(attempts).toEqual([
        { attempt: 1, outcome: 'ERROR' },
        { attempt: 2, outcome: 'ERROR' },
        { attempt: 3, outcome: 'SENT' },
      ]);
    } finally {
      await down.stop();
    }
  });

  it('keeps an SMS while the SMS API is unreachable, then answering errors, and delivers it once when it is back', async () => {
    const clock = frozenClock(new Date('2026-12-02T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const phone = uniquePhone();
    const a = await appointments.book(
      SYSTEM,
      appointmentInput(establishment.id, { contactPhone: phone.typed, startsAt: new Date('2026-12-03T13:30:00Z') }),
    );
    clock.set(new Date('2026-12-02T13:31:00Z'), { frozen: true });
    const reminder = () =>
      queryOne<{ id: string; status: string; attempts: number; status_reason: string | null }>(
        `SELECT id, status, attempts, status_reason FROM notifications WHERE entity_id = $1 AND channel = 'SMS'`,
        [a.id],
      );
    // Nothing listens: the SMS waits, the e-mail goes.
    const nowhere = `http://127.0.0.1:${await freePort()}/demo-sms`;
    expect(await worker(ds, notifications, { smtpPort: smtp.port, smsUrl: nowhere, clock }).runOnce()).toMatchObject({
      sent: 1,
      retried: 1,
    });
    const waiting = await reminder();
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(waiting.status_reason).toMatch(/ECONNREFUSED|fetch failed/);
    // Then an API that answers 503: still waiting, the reason kept.
    const failing = express();
    failing.use((_req, res) => void res.status(503).json({ code: 'unavailable' }));
    const failingPort = await freePort();
    const failingServer = createServer(failing).listen(failingPort, '127.0.0.1');
    try {
      advance(clock, 31_000);
      const failingUrl = `http://127.0.0.1:${failingPort}/demo-sms`;
      expect(await worker(ds, notifications, { smtpPort: smtp.port, smsUrl: failingUrl, clock }).runOnce()).toMatchObject({ retried: 1 });
      const refused = await reminder();
      expect(refused).toMatchObject({ status: 'PENDING', attempts: 2 });
      expect(refused.status_reason).toMatch(/503/);
    } finally {
      failingServer.close();
    }
    // Back: sent once, and never again.
    advance(clock, 61_000);
    const back = worker(ds, notifications, { smtpPort: smtp.port, smsUrl, clock });
    expect(await back.runOnce()).toMatchObject({ sent: 1 });
    advance(clock, 3_600_000);
    expect((await back.runOnce()).claimed).toBe(0);
    expect(await reminder()).toMatchObject({ status: 'SENT', attempts: 3 });
    expect(await query(`SELECT recipient FROM demo_inbox WHERE channel = 'SMS'`)).toEqual([{ recipient: phone.e164 }]);
  });

  it('gives up after the configured number of attempts, saying why', async () => {
    const clock = frozenClock();
    const { notifications } = servicesAt(ds, clock);
    const id = await enqueueCancellation(notifications, uniqueEmail(), clock.now());
    const w = worker(ds, notifications, { smtpPort: await freePort(), clock, maxAttempts: 2 });
    await w.runOnce();
    advance(clock, 31_000);
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    const row = await queryOne<{ status: string; status_reason: string }>(`SELECT status, status_reason FROM notifications WHERE id = $1`, [
      id,
    ]);
    expect(row.status).toBe('FAILED');
    expect(row.status_reason).toMatch(/^Échec après 2 tentatives/);
  });

  it('writes nothing when the business transaction rolls back', async () => {
    const { notifications, appointments } = services(ds);
    const to = uniqueEmail();
    await expect(
      ds.transaction(async (m) => {
        await notifications.enqueue(m, {
          channel: 'EMAIL',
          to,
          template: 'appointment-cancelled',
          category: 'TRANSACTIONAL',
          data: cancelledData(),
          establishmentId: establishment.id,
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    // A booking that fails half-way (unknown establishment) leaves no confirmation and no reminder.
    const unknown = randomUUID();
    await expect(appointments.book(SYSTEM, appointmentInput(unknown))).rejects.toThrow();
    expect(await query(`SELECT count(*)::int AS n FROM notifications`)).toEqual([{ n: 0 }]);
    expect(await query(`SELECT count(*)::int AS n FROM appointments WHERE establishment_id = $1`, [unknown])).toEqual([{ n: 0 }]);
  });

  it('two workers running at once deliver each message once', async () => {
    const clock = frozenClock();
    const { notifications } = servicesAt(ds, clock);
    await ds.transaction(async (m) => {
      for (let i = 0; i < 40; i++) {
        await notifications.enqueue(
          m,
          {
            channel: 'EMAIL',
            to: uniqueEmail(`famille${i}`),
            template: 'appointment-cancelled',
            category: 'TRANSACTIONAL',
            data: cancelledData(),
            establishmentId: establishment.id,
          },
          clock.now(),
        );
      }
    });
    const other = await openDataSource();
    try {
      const [r1, r2] = await Promise.all([
        worker(ds, notifications, { smtpPort: smtp.port, clock }).runOnce(),
        worker(other, notifications, { smtpPort: smtp.port, clock }).runOnce(),
      ]);
      expect(r1.sent + r2.sent).toBe(40);
      expect(r1.sent).toBeGreaterThan(0);
      expect(r2.sent).toBeGreaterThan(0);
    } finally {
      await other.destroy();
    }
    expect(smtp.received).toHaveLength(40);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(40);
    expect(await query(`SELECT status, attempts, count(*)::int AS n FROM notifications GROUP BY status, attempts`)).toEqual([
      { status: 'SENT', attempts: 1, n: 40 },
    ]);
  });

  it('delivers names and places in any script intact: a confirmation for Łucja Nguyễn-Şahin, محمد', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const place = 'Bureau de Łucja Nguyễn-Şahin, conseillère — entretien avec محمد';
    const address = 'Résidence Ştefan, 4 rue Đặng Thái Thân, 59000 Lille';
    const a = await appointments.book(
      SYSTEM,
      appointmentInput(establishment.id, {
        kind: 'SPIP_INTERVIEW',
        familyAccountId: family.id,
        contactEmail: family.email,
        startsAt: new Date('2026-12-06T09:00:00Z'),
        place,
        address,
      }),
    );
    expect((await worker(ds, notifications, { smtpPort: smtp.port, smsUrl, clock }).runOnce()).sent).toBe(1);
    const [mail] = smtp.received;
    expect(mail.subject).toBe(`Rendez-vous confirmé le 06/12 à 10h00 (réf. ${a.reference})`);
    expect(mail.text).toContain(`Lieu : ${place}, ${address}`);
    expect(mail.html).toContain(`<td>${place}<br>${address}</td>`);
    // The calendar file folds long lines (RFC 5545): unfolded, the place reads as typed.
    const ics = mail.attachments[0].content.toString('utf8').replace(/\r\n[ \t]/g, '');
    expect(ics).toContain(`LOCATION:${place.replace(/,/g, '\\,')}\\, ${address.replace(/,/g, '\\,')}`);
    expect(ics).not.toContain('\uFFFD');
  });
});

describe('reminders', () => {
  it('plans 2 days before by e-mail and the day before by SMS, re-plans them when the appointment moves, cancels them with it', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments } = servicesAt(ds, clock);
    const a = await appointments.book(SYSTEM, appointmentInput(establishment.id, { startsAt: new Date('2026-12-10T13:30:00Z') }));
    const reminders = async () =>
      (await notificationsOf(a))
        .filter((n) => n.template === 'appointment-reminder')
        .map((n) => [n.channel, n.status, n.send_after.toISOString()]);
    expect(await reminders()).toEqual([
      ['EMAIL', 'PENDING', '2026-12-08T13:30:00.000Z'],
      ['SMS', 'PENDING', '2026-12-09T13:30:00.000Z'],
    ]);

    await appointments.move(SYSTEM, AppointmentScopes.any, a.id, {
      startsAt: new Date('2026-12-15T08:00:00Z'),
      endsAt: new Date('2026-12-15T09:00:00Z'),
    });
    expect(await reminders()).toEqual([
      ['EMAIL', 'CANCELLED', '2026-12-08T13:30:00.000Z'],
      ['SMS', 'CANCELLED', '2026-12-09T13:30:00.000Z'],
      ['EMAIL', 'PENDING', '2026-12-13T08:00:00.000Z'],
      ['SMS', 'PENDING', '2026-12-14T08:00:00.000Z'],
    ]);
    expect((await notificationsOf(a)).some((n) => n.template === 'appointment-moved')).toBe(true);

    await appointments.cancel(SYSTEM, AppointmentScopes.any, a.id, 'test');
    expect((await notificationsOf(a)).filter((n) => n.template === 'appointment-reminder' && n.status === 'PENDING')).toEqual([]);
    expect((await notificationsOf(a)).filter((n) => n.template === 'appointment-cancelled').map((n) => [n.channel, n.status])).toEqual([
      ['EMAIL', 'PENDING'],
      ['SMS', 'PENDING'],
    ]);
  });

  it('moves and cancels an appointment only within the caller’s scope: another family or establishment finds none', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments } = servicesAt(ds, clock);
    const family = await insertFamily();
    const a = await appointments.book(
      SYSTEM,
      appointmentInput(establishment.id, { familyAccountId: family.id, startsAt: new Date('2026-12-10T13:30:00Z') }),
    );
    const later = { startsAt: new Date('2026-12-11T13:30:00Z'), endsAt: new Date('2026-12-11T14:30:00Z') };
    const otherFamily = AppointmentScopes.family((await insertFamily()).id);
    const otherEstablishment = AppointmentScopes.establishment((await insertEstablishment()).id);
    for (const scope of [otherFamily, otherEstablishment]) {
      await expect(appointments.move(SYSTEM, scope, a.id, later)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
      await expect(appointments.cancel(SYSTEM, scope, a.id, 'test')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    }
    expect(await queryOne(`SELECT status, starts_at FROM appointments WHERE id = $1`, [a.id])).toEqual({
      status: 'BOOKED',
      starts_at: new Date('2026-12-10T13:30:00Z'),
    });
    await appointments.move(SYSTEM, AppointmentScopes.establishment(establishment.id), a.id, later);
    const cancelled = await appointments.cancel(SYSTEM, AppointmentScopes.family(family.id), a.id, 'test');
    expect(cancelled).toMatchObject({ status: 'CANCELLED', startsAt: later.startsAt });
    await expect(appointments.cancel(SYSTEM, AppointmentScopes.family(family.id), a.id, 'test')).rejects.toMatchObject({
      code: 'ALREADY_CANCELLED',
      status: 409,
    });
  });

  it('sends the SMS reminder through the SMS API: E.164, at most 2 segments, no sensitive detail, an opt-out link', async () => {
    const clock = frozenClock(new Date('2026-12-02T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const phone = uniquePhone();
    const a = await appointments.book(
      SYSTEM,
      appointmentInput(establishment.id, { contactPhone: phone.typed, startsAt: new Date('2026-12-03T13:30:00Z') }),
    );
    clock.set(new Date('2026-12-02T13:31:00Z'), { frozen: true });
    const report = await worker(ds, notifications, { smtpPort: smtp.port, smsUrl, clock }).runOnce();
    expect(report.sent).toBe(2); // confirmation + the SMS (the e-mail reminder's time had passed at booking)
    const sms = await queryOne<{ recipient: string; body: string }>(`SELECT recipient, body FROM demo_inbox WHERE channel = 'SMS'`);
    expect(sms.recipient).toBe(phone.e164);
    expect(sms.body).toContain(`rendez-vous le 03/12 à 14h30, réf. ${a.reference}`);
    expect(sms.body).not.toMatch(/Maison d’arrêt|détenu|prévenu|condamné|parloir/i);
    expect(sms.body).toMatch(/Stop rappels : http:\/\/localhost:3999\/stop\/[A-Za-z0-9_-]{12}$/);
    expect(smsLength(sms.body).segments).toBeLessThanOrEqual(2);
  });

  it('right before sending, drops a reminder whose appointment is past or whose recipient opted out, and says why', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const phone = uniquePhone();
    await appointments.book(
      SYSTEM,
      appointmentInput(establishment.id, { contactPhone: phone.typed, startsAt: new Date('2026-12-10T13:30:00Z') }),
    );
    await query(`UPDATE notification_recipients SET reminders_opted_out_at = now() WHERE channel = 'SMS' AND address = $1`, [phone.e164]);
    clock.set(new Date('2026-12-11T00:00:00Z'), { frozen: true }); // the worker was stopped for days
    await worker(ds, notifications, { smtpPort: smtp.port, smsUrl, clock }).runOnce();
    const rows = await query(`SELECT template, channel, status, status_reason FROM notifications ORDER BY send_after`);
    expect(rows).toEqual([
      { template: 'appointment-confirmation', channel: 'EMAIL', status: 'SENT', status_reason: null },
      { template: 'appointment-reminder', channel: 'EMAIL', status: 'DROPPED', status_reason: 'Rendez-vous déjà passé' },
      { template: 'appointment-reminder', channel: 'SMS', status: 'DROPPED', status_reason: 'Le destinataire a refusé les rappels' },
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM demo_inbox WHERE channel = 'SMS'`)).toEqual([{ n: 0 }]);
  });

  it('re-checks a reminder with its module’s registered check: dropped once its appointment is cancelled, sent if no module checks it', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const a = await appointments.book(
      SYSTEM,
      appointmentInput(establishment.id, { contactPhone: null, startsAt: new Date('2026-12-10T13:30:00Z') }),
    );
    // Cancelled by a path that left its reminder waiting: the appointments module's check still stops it.
    await query(`UPDATE appointments SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1`, [a.id]);
    const other = await ds.transaction((m) =>
      notifications.enqueue(m, {
        channel: 'EMAIL',
        to: uniqueEmail(),
        template: 'appointment-reminder',
        category: 'REMINDER',
        data: { ...cancelledData(), whatToBring: 'une pièce d’identité', cancelUrl: 'http://localhost/x', qr: null },
        entity: { type: 'unchecked_thing', id: randomUUID() },
        sendAfter: new Date('2026-12-08T13:30:00Z'),
      }),
    );
    clock.set(new Date('2026-12-08T14:00:00Z'), { frozen: true });
    expect(await worker(ds, notifications, { smtpPort: smtp.port, clock }).runOnce()).toMatchObject({ sent: 2, dropped: 1 });
    expect(
      await query(`SELECT template, status, status_reason FROM notifications WHERE entity_id = $1 ORDER BY send_after`, [a.id]),
    ).toEqual([
      { template: 'appointment-confirmation', status: 'SENT', status_reason: null },
      { template: 'appointment-reminder', status: 'DROPPED', status_reason: 'Rendez-vous annulé' },
    ]);
    expect(await queryOne(`SELECT status FROM notifications WHERE id = $1`, [other])).toEqual({ status: 'SENT' });
  });

  it('still sends what is not a reminder to a recipient who opted out: a cancellation by SMS', async () => {
    const clock = frozenClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments, notifications } = servicesAt(ds, clock);
    const phone = uniquePhone();
    const a = await appointments.book(
      SYSTEM,
      appointmentInput(establishment.id, { contactPhone: phone.typed, startsAt: new Date('2026-12-10T13:30:00Z') }),
    );
    await query(`UPDATE notification_recipients SET reminders_opted_out_at = now() WHERE channel = 'SMS' AND address = $1`, [phone.e164]);
    await appointments.cancel(SYSTEM, AppointmentScopes.any, a.id, 'fermeture exceptionnelle du parloir');
    await worker(ds, notifications, { smtpPort: smtp.port, smsUrl, clock }).runOnce();
    const sms = await queryOne<{ recipient: string; body: string }>(`SELECT recipient, body FROM demo_inbox WHERE channel = 'SMS'`);
    expect(sms.recipient).toBe(phone.e164);
    expect(sms.body).toContain(`votre rendez-vous du 10/12 à 14h30, réf. ${a.reference}, est annulé. Ne vous déplacez pas.`);
    expect(
      await query(
        `SELECT channel, status FROM notifications WHERE entity_id = $1 AND template = 'appointment-cancelled' ORDER BY channel`,
        [a.id],
      ),
    ).toEqual([
      { channel: 'EMAIL', status: 'SENT' },
      { channel: 'SMS', status: 'SENT' },
    ]);
  });

  it('refuses an invalid phone number when the message is created, not at sending time', async () => {
    const { appointments } = services(ds);
    await expect(appointments.book(SYSTEM, appointmentInput(establishment.id, { contactPhone: '0612' }))).rejects.toThrow(
      'Le numéro de téléphone « 0612 » n’est pas valide',
    );
    expect(await query(`SELECT count(*)::int AS n FROM notifications`)).toEqual([{ n: 0 }]);
  });
});
