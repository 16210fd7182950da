import { createServer, Server } from 'node:http';
import express from 'express';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { query, resetDatabase, testDatabaseUrl } from './helpers/db';
import { TestSmtpServer } from './helpers/mail';
import { openDataSource, services, TestClock, worker } from './helpers/notifications';
import { freePort } from './helpers/processes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { demoSmsRouter } = require('../dist/src/notifications/demo-messaging');

const DAY = 86_400_000;
let ds: DataSource;
let smtp: TestSmtpServer;
let smsServer: Server;
let smsPool: Pool;
let smsUrl: string;
let establishmentId: string;
let familyId: string;
const SYSTEM = { type: 'SYSTEM' as const, label: 'test' };

beforeAll(async () => {
  await resetDatabase();
  ds = await openDataSource();
  await ds.runMigrations({ transaction: 'each' });
  [{ id: establishmentId }] = await ds.query(
    `INSERT INTO establishments (code, name, kind) VALUES ('TEST', 'Maison d’arrêt de Test', 'MAISON_ARRET') RETURNING id`,
  );
  [{ id: familyId }] = await ds.query(
    `INSERT INTO family_accounts (fc_subject, given_name, family_name, email) VALUES ('fc-test', 'Ana', 'Test', 'ana@example.fr') RETURNING id`,
  );
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
  await ds.query(
    `DELETE FROM notification_attempts; DELETE FROM notifications; DELETE FROM demo_inbox; UPDATE notification_recipients SET reminders_opted_out_at = NULL`,
  );
});

function appointmentInput(startsAt: Date, over: Record<string, unknown> = {}) {
  return {
    kind: 'VISIT' as const,
    establishmentId,
    familyAccountId: familyId,
    contactEmail: 'ana@example.fr',
    contactPhone: '06 12 34 56 78',
    startsAt,
    endsAt: new Date(startsAt.getTime() + 3_600_000),
    place: 'Parloir, bâtiment B',
    address: '2 rue du Test, 75000 Paris',
    ...over,
  };
}

async function notificationsOf(appointmentId: string) {
  return query(
    `SELECT channel, template, category, status, status_reason, send_after, attempts FROM notifications WHERE entity_id = $1 ORDER BY send_after, template, channel`,
    [appointmentId],
  );
}

describe('outbox delivery', () => {
  it('delivers a booking confirmation exactly once, with its .ics, and records the attempt', async () => {
    const clock = new TestClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments } = services(ds);
    const a = await appointments.book(SYSTEM, appointmentInput(new Date(clock.current.getTime() + 5 * DAY)), clock.now());
    const w = worker(ds, { smtpPort: smtp.port, smsUrl, clock });
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
    const [row] = await query(
      `SELECT n.id, n.status, n.attempts, n.sent_at, (SELECT count(*)::int FROM notification_attempts t WHERE t.notification_id = n.id AND t.outcome = 'SENT') AS ok FROM notifications n WHERE template = 'appointment-confirmation'`,
    );
    expect(row).toMatchObject({ status: 'SENT', attempts: 1, ok: 1 });
    expect(mail.messageId).toBe(`<${row.id}@p2v.test>`);
  });

  it('keeps the message while the SMTP server is down, then delivers it once after a retry', async () => {
    const clock = new TestClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments } = services(ds);
    await appointments.book(SYSTEM, appointmentInput(new Date(clock.current.getTime() + 5 * DAY)), clock.now());
    const port = await freePort();
    const down = new TestSmtpServer();
    const w = worker(ds, { smtpPort: port, smsUrl, clock });

    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    let [row] = await query(
      `SELECT status, attempts, next_attempt_at, status_reason FROM notifications WHERE template = 'appointment-confirmation'`,
    );
    expect(row.status).toBe('PENDING');
    expect(row.attempts).toBe(1);
    expect(new Date(row.next_attempt_at).getTime()).toBe(clock.current.getTime() + 30_000);
    expect(row.status_reason).toMatch(/ECONNREFUSED/);
    expect((await w.runOnce()).claimed).toBe(0); // not before the back-off

    clock.advance(31_000);
    expect(await w.runOnce()).toMatchObject({ retried: 1 }); // still down: next wait doubles
    [row] = await query(`SELECT attempts, next_attempt_at FROM notifications WHERE template = 'appointment-confirmation'`);
    expect(new Date(row.next_attempt_at).getTime()).toBe(clock.current.getTime() + 60_000);

    await down.start(port);
    try {
      clock.advance(61_000);
      expect(await w.runOnce()).toMatchObject({ sent: 1 });
      clock.advance(3_600_000);
      expect((await w.runOnce()).claimed).toBe(0);
      expect(down.received).toHaveLength(1);
      const attempts = await query(`SELECT attempt, outcome FROM notification_attempts ORDER BY attempt`);
      expect(attempts).toEqual([
        { attempt: 1, outcome: 'ERROR' },
        { attempt: 2, outcome: 'ERROR' },
        { attempt: 3, outcome: 'SENT' },
      ]);
    } finally {
      await down.stop();
    }
  });

  it('gives up after the configured number of attempts, saying why', async () => {
    const clock = new TestClock();
    const { notifications } = services(ds);
    await ds.transaction((m) =>
      notifications.enqueue(
        m,
        {
          channel: 'EMAIL',
          to: 'ana@example.fr',
          template: 'appointment-cancelled',
          category: 'TRANSACTIONAL',
          data: cancelledData(),
          establishmentId,
        },
        clock.now(),
      ),
    );
    const w = worker(ds, { smtpPort: await freePort(), clock, maxAttempts: 2 });
    await w.runOnce();
    clock.advance(31_000);
    expect(await w.runOnce()).toMatchObject({ failed: 1 });
    const [row] = await query(`SELECT status, status_reason FROM notifications`);
    expect(row.status).toBe('FAILED');
    expect(row.status_reason).toMatch(/^Échec après 2 tentatives/);
  });

  it('writes nothing when the business transaction rolls back', async () => {
    const { notifications, appointments } = services(ds);
    await expect(
      ds.transaction(async (m) => {
        await notifications.enqueue(m, {
          channel: 'EMAIL',
          to: 'ana@example.fr',
          template: 'appointment-cancelled',
          category: 'TRANSACTIONAL',
          data: cancelledData(),
          establishmentId,
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    // A booking that fails half-way (unknown establishment) leaves no confirmation and no reminder.
    await expect(
      appointments.book(
        SYSTEM,
        appointmentInput(new Date(Date.now() + 5 * DAY), { establishmentId: '00000000-0000-0000-0000-000000000000' }),
      ),
    ).rejects.toThrow();
    expect(await query(`SELECT count(*)::int AS n FROM notifications`)).toEqual([{ n: 0 }]);
    expect(
      await query(`SELECT count(*)::int AS n FROM appointments WHERE establishment_id = '00000000-0000-0000-0000-000000000000'`),
    ).toEqual([{ n: 0 }]);
  });

  it('two workers running at once deliver each message once', async () => {
    const clock = new TestClock();
    const { notifications } = services(ds);
    await ds.transaction(async (m) => {
      for (let i = 0; i < 40; i++) {
        await notifications.enqueue(
          m,
          {
            channel: 'EMAIL',
            to: `famille${i}@example.fr`,
            template: 'appointment-cancelled',
            category: 'TRANSACTIONAL',
            data: cancelledData(),
            establishmentId,
          },
          clock.now(),
        );
      }
    });
    const other = await openDataSource();
    try {
      const [r1, r2] = await Promise.all([
        worker(ds, { smtpPort: smtp.port, clock }).runOnce(),
        worker(other, { smtpPort: smtp.port, clock }).runOnce(),
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
});

describe('reminders', () => {
  it('plans 2 days before by e-mail and the day before by SMS, re-plans them when the appointment moves, cancels them with it', async () => {
    const clock = new TestClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments } = services(ds);
    const startsAt = new Date('2026-12-10T13:30:00Z');
    const a = await appointments.book(SYSTEM, appointmentInput(startsAt), clock.now());
    const reminders = async () => (await notificationsOf(a.id)).filter((n) => n.template === 'appointment-reminder');
    expect((await reminders()).map((n) => [n.channel, n.status, new Date(n.send_after).toISOString()])).toEqual([
      ['EMAIL', 'PENDING', '2026-12-08T13:30:00.000Z'],
      ['SMS', 'PENDING', '2026-12-09T13:30:00.000Z'],
    ]);

    await appointments.move(SYSTEM, a.id, new Date('2026-12-15T08:00:00Z'), new Date('2026-12-15T09:00:00Z'), clock.now());
    expect((await reminders()).map((n) => [n.channel, n.status, new Date(n.send_after).toISOString()])).toEqual([
      ['EMAIL', 'CANCELLED', '2026-12-08T13:30:00.000Z'],
      ['SMS', 'CANCELLED', '2026-12-09T13:30:00.000Z'],
      ['EMAIL', 'PENDING', '2026-12-13T08:00:00.000Z'],
      ['SMS', 'PENDING', '2026-12-14T08:00:00.000Z'],
    ]);
    expect((await notificationsOf(a.id)).some((n) => n.template === 'appointment-moved')).toBe(true);

    await appointments.cancel(SYSTEM, a.id, 'test', clock.now());
    expect((await reminders()).filter((n) => n.status === 'PENDING')).toEqual([]);
    expect((await notificationsOf(a.id)).filter((n) => n.template === 'appointment-cancelled').map((n) => [n.channel, n.status])).toEqual([
      ['EMAIL', 'PENDING'],
      ['SMS', 'PENDING'],
    ]);
  });

  it('sends the SMS reminder through the SMS API: E.164, at most 2 segments, no sensitive detail, an opt-out link', async () => {
    const clock = new TestClock(new Date('2026-12-02T09:00:00Z'));
    const { appointments } = services(ds);
    const a = await appointments.book(SYSTEM, appointmentInput(new Date('2026-12-03T13:30:00Z')), clock.now());
    clock.current = new Date('2026-12-02T13:31:00Z');
    const report = await worker(ds, { smtpPort: smtp.port, smsUrl, clock }).runOnce();
    expect(report.sent).toBe(2); // confirmation + the SMS (the e-mail reminder's time had passed at booking)
    const [sms] = await query(`SELECT recipient, body FROM demo_inbox WHERE channel = 'SMS'`);
    expect(sms.recipient).toBe('+33612345678');
    expect(sms.body).toContain(`rendez-vous le 03/12 à 14h30, réf. ${a.reference}`);
    expect(sms.body).not.toMatch(/Maison d’arrêt|détenu|prévenu|condamné|parloir/i);
    expect(sms.body).toMatch(/Stop rappels : http:\/\/localhost:3999\/stop\/[A-Za-z0-9_-]{12}$/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { smsLength } = require('../dist/src/notifications/notification.rules');
    expect(smsLength(sms.body).segments).toBeLessThanOrEqual(2);
  });

  it('right before sending, drops a reminder whose appointment is past or whose recipient opted out, and says why', async () => {
    const clock = new TestClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments } = services(ds);
    await appointments.book(SYSTEM, appointmentInput(new Date('2026-12-10T13:30:00Z')), clock.now());
    await ds.query(`UPDATE notification_recipients SET reminders_opted_out_at = now() WHERE channel = 'SMS'`);
    clock.current = new Date('2026-12-11T00:00:00Z'); // the worker was stopped for days
    await worker(ds, { smtpPort: smtp.port, smsUrl, clock }).runOnce();
    const rows = await query(`SELECT template, channel, status, status_reason FROM notifications ORDER BY send_after`);
    expect(rows).toEqual([
      { template: 'appointment-confirmation', channel: 'EMAIL', status: 'SENT', status_reason: null },
      { template: 'appointment-reminder', channel: 'EMAIL', status: 'DROPPED', status_reason: 'Rendez-vous déjà passé' },
      { template: 'appointment-reminder', channel: 'SMS', status: 'DROPPED', status_reason: 'Le destinataire a refusé les rappels' },
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM demo_inbox WHERE channel = 'SMS'`)).toEqual([{ n: 0 }]);
  });

  it('still sends what is not a reminder to a recipient who opted out: a cancellation by SMS', async () => {
    const clock = new TestClock(new Date('2026-12-01T09:00:00Z'));
    const { appointments } = services(ds);
    const a = await appointments.book(SYSTEM, appointmentInput(new Date('2026-12-10T13:30:00Z')), clock.now());
    await ds.query(`UPDATE notification_recipients SET reminders_opted_out_at = now() WHERE channel = 'SMS'`);
    await appointments.cancel(SYSTEM, a.id, 'fermeture exceptionnelle du parloir', clock.now());
    await worker(ds, { smtpPort: smtp.port, smsUrl, clock }).runOnce();
    const [sms] = await query(`SELECT recipient, body FROM demo_inbox WHERE channel = 'SMS'`);
    expect(sms.recipient).toBe('+33612345678');
    expect(sms.body).toContain(`votre rendez-vous du 10/12 à 14h30, réf. ${a.reference}, est annulé. Ne vous déplacez pas.`);
    expect(await query(`SELECT channel, status FROM notifications WHERE template = 'appointment-cancelled' ORDER BY channel`)).toEqual([
      { channel: 'EMAIL', status: 'SENT' },
      { channel: 'SMS', status: 'SENT' },
    ]);
  });

  it('refuses an invalid phone number when the message is created, not at sending time', async () => {
    const { appointments } = services(ds);
    await expect(appointments.book(SYSTEM, appointmentInput(new Date(Date.now() + 5 * DAY), { contactPhone: '0612' }))).rejects.toThrow(
      'Le numéro de téléphone « 0612 » n’est pas valide',
    );
    expect(await query(`SELECT count(*)::int AS n FROM notifications`)).toEqual([{ n: 0 }]);
  });
});

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
