import { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/config';
import type { AppointmentsService as AppointmentsServiceT } from '../../src/appointments/appointments.service';
import type { NotificationsService as NotificationsServiceT } from '../../src/notifications/notifications.service';
import type { OutboxWorker as OutboxWorkerT } from '../../src/notifications/outbox-worker';
import { testDatabaseUrl } from './db';

/* The built modules, as the app runs them (the app itself is never imported into Jest: docs/adr/0001). */
/* eslint-disable @typescript-eslint/no-require-imports */
const { dataSourceOptions } = require('../../dist/src/database/data-source-options');
const { loadConfig } = require('../../dist/src/config/config');
const { NotificationsService } = require('../../dist/src/notifications/notifications.service');
const { NotificationRenderer } = require('../../dist/src/notifications/notification-renderer');
const { OutboxWorker } = require('../../dist/src/notifications/outbox-worker');
const { SmtpTransport, BrevoSmsTransport } = require('../../dist/src/notifications/transports');
const { AppointmentsService } = require('../../dist/src/appointments/appointments.service');
const { AuditService } = require('../../dist/src/common/audit.service');
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

export function services(ds: DataSource, config = testConfig()) {
  const notifications: NotificationsServiceT = new NotificationsService(
    new NotificationRenderer({ appUrl: config.appUrl }),
    config.notifications,
    config.appUrl,
  );
  const appointments: AppointmentsServiceT = new AppointmentsService(ds, notifications, new AuditService(ds), config.appUrl);
  return { notifications, appointments };
}

/** A controllable clock for the worker. */
export class TestClock {
  constructor(public current = new Date()) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function worker(ds: DataSource, opts: { smtpPort: number; smsUrl?: string; clock: TestClock; maxAttempts?: number }): OutboxWorkerT {
  const smtp = new SmtpTransport({ host: '127.0.0.1', port: opts.smtpPort, secure: false }, 'P2V <ne-pas-repondre@p2v.test>');
  const sms = new BrevoSmsTransport({ apiUrl: opts.smsUrl ?? 'http://127.0.0.1:1', apiKey: 'demo-sms-api-key', sender: 'JUSTICE' });
  return new OutboxWorker(
    ds,
    { email: (m: never) => smtp.send(m), sms: (m: never) => sms.send(m) },
    { maxAttempts: opts.maxAttempts ?? 5, retryBaseMs: 30_000, leaseMs: 300_000, batchSize: 10, now: opts.clock.now, log: () => undefined },
  );
}
