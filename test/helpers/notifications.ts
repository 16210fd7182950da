import { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/config';
import type { Clock as ClockT } from '../../src/common/clock';
import type { AppointmentsService as AppointmentsServiceT } from '../../src/appointments/appointments.service';
import type { NotificationsService as NotificationsServiceT } from '../../src/notifications/notifications.service';
import type { OutboxWorker as OutboxWorkerT } from '../../src/notifications/outbox-worker';
import { testDatabaseUrl } from './db';

/* The built modules, as the app runs them (the app itself is never imported into Jest: docs/adr/0001). */
/* eslint-disable @typescript-eslint/no-require-imports */
const { dataSourceOptions } =
  require('../../dist/src/database/data-source-options') as typeof import('../../src/database/data-source-options');
const { loadConfig } = require('../../dist/src/config/config') as typeof import('../../src/config/config');
const { Clock } = require('../../dist/src/common/clock') as typeof import('../../src/common/clock');
const { NotificationsService } =
  require('../../dist/src/notifications/notifications.service') as typeof import('../../src/notifications/notifications.service');
const { NotificationRenderer } =
  require('../../dist/src/notifications/notification-renderer') as typeof import('../../src/notifications/notification-renderer');
const { OutboxWorker } = require('../../dist/src/notifications/outbox-worker') as typeof import('../../src/notifications/outbox-worker');
const { SmtpTransport, BrevoSmsTransport } =
  require('../../dist/src/notifications/transports') as typeof import('../../src/notifications/transports');
const { AppointmentsService } =
  require('../../dist/src/appointments/appointments.service') as typeof import('../../src/appointments/appointments.service');
const { AuditService } = require('../../dist/src/common/audit.service') as typeof import('../../src/common/audit.service');
/* eslint-enable @typescript-eslint/no-require-imports */

export const APP_URL = 'http://localhost:3999';

export async function openDataSource(poolSize = 5): Promise<DataSource> {
  const ds = new DataSource({ ...dataSourceOptions(testDatabaseUrl()), extra: { max: poolSize } });
  await ds.initialize();
  return ds;
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ DATABASE_URL: testDatabaseUrl(), DEMO_IDP: 'true', DEMO_MESSAGING: 'true', APP_URL, ...env });
}

/** A clock stopped at `at`; `advance(clock, ms)` moves it on. */
export function frozenClock(at = new Date()): ClockT {
  const clock = new Clock();
  clock.set(at, { frozen: true });
  return clock;
}

export function advance(clock: ClockT, ms: number): void {
  clock.set(new Date(clock.now().getTime() + ms), { frozen: true });
}

/** The services on this clock (frozen by the test). */
export function servicesAt(ds: DataSource, clock: ClockT): Services {
  return services(ds, testConfig(), clock);
}

export interface Services {
  notifications: NotificationsServiceT;
  appointments: AppointmentsServiceT;
}

/** The notifications and appointments services wired as the app wires them (appointments' hooks registered), on this clock. */
export function services(ds: DataSource, config = testConfig(), clock: ClockT = new Clock()): Services {
  const notifications = new NotificationsService(
    new NotificationRenderer({ appUrl: config.appUrl }),
    config.notifications,
    config.appUrl,
    clock,
  );
  const appointments = new AppointmentsService(ds, notifications, new AuditService(), config.appUrl, clock);
  appointments.onModuleInit();
  return { notifications, appointments };
}

/** An outbox worker on a real SMTP server (and the SMS endpoint when given), re-checking with the services' registered checks. */
export function worker(
  ds: DataSource,
  notifications: NotificationsServiceT,
  opts: { smtpPort: number; smsUrl?: string; clock: ClockT; maxAttempts?: number },
): OutboxWorkerT {
  const smtp = new SmtpTransport({ host: '127.0.0.1', port: opts.smtpPort, secure: false }, 'P2V <ne-pas-repondre@p2v.test>');
  const sms = new BrevoSmsTransport({ apiUrl: opts.smsUrl ?? 'http://127.0.0.1:1', apiKey: 'demo-sms-api-key', sender: 'JUSTICE' });
  return new OutboxWorker(
    ds,
    { email: (m) => smtp.send(m), sms: (m) => sms.send(m) },
    {
      maxAttempts: opts.maxAttempts ?? 5,
      retryBaseMs: 30_000,
      leaseMs: 300_000,
      batchSize: 10,
      now: () => opts.clock.now(),
      reasonToDrop: (m, entity, now) => notifications.reasonToDrop(m, entity, now),
      log: () => undefined,
    },
  );
}
