/** `npm run seed`: creates or completes the demo data on DATABASE_URL (or on the embedded database). */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { AppointmentsService } from '../src/appointments/appointments.service';
import { AuditService } from '../src/common/audit.service';
import { Clock } from '../src/common/clock';
import { DocumentStore } from '../src/common/document-store';
import { projectRoot } from '../src/common/project-root';
import { loadConfig } from '../src/config/config';
import { seedDemoData } from '../src/demo/seed';
import { NotificationRenderer } from '../src/notifications/notification-renderer';
import { NotificationsService } from '../src/notifications/notifications.service';
import { withDataSource } from './cli-data-source';

withDataSource(async (ds) => {
  const config = loadConfig({
    ...process.env,
    DEMO_IDP: process.env.DEMO_IDP ?? 'true',
    DEMO_MESSAGING: process.env.DEMO_MESSAGING ?? 'true',
  });
  const clock = new Clock();
  const notifications = new NotificationsService(
    new NotificationRenderer({ appUrl: config.appUrl }),
    config.notifications,
    config.appUrl,
    clock,
  );
  await ds.runMigrations({ transaction: 'each' });
  await seedDemoData(ds, {
    onlyIfEmpty: false,
    appointments: new AppointmentsService(ds, notifications, new AuditService(), config.appUrl, clock),
    now: clock.now(),
    photos: new DocumentStore(resolve(projectRoot(), config.documents.dir), config.documents.key),
  });
  console.log('Demo data ready.');
});
