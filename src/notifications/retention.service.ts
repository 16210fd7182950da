import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { deleteAttempts, deleteFinishedNotifications } from './retention.queries';

const DAY = 86400_000;

export interface NotificationRetentionReport {
  notifications: number;
  attempts: number;
}

/**
 * Deletes the messages that ended more than NOTIFICATIONS_RETENTION_DAYS ago and the delivery attempts
 * older than NOTIFICATION_ATTEMPTS_RETENTION_DAYS (docs/retention.md), in batches of `batchSize` rows,
 * each in a transaction of its own, at most `maxBatches` a run (a backlog is worked off over several
 * runs). One audit entry per run that deleted something, with the counts.
 */
@Injectable()
export class NotificationRetentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async applyRetention(opts: { batchSize?: number; maxBatches?: number } = {}): Promise<NotificationRetentionReport & { batches: number }> {
    const batchSize = opts.batchSize ?? 1000;
    const maxBatches = opts.maxBatches ?? 100;
    const now = this.clock.now().getTime();
    const settings = this.config.notifications;
    const report = { notifications: 0, attempts: 0, batches: 0 };
    const drain = async (step: (m: EntityManager) => Promise<number>) => {
      let total = 0;
      while (report.batches < maxBatches) {
        report.batches += 1;
        const deleted = await this.dataSource.transaction(step);
        total += deleted;
        if (deleted < batchSize) break;
      }
      return total;
    };
    // Attempts first: those of a message deleted below went with it.
    report.attempts = await drain((m) => deleteAttempts(m, new Date(now - settings.attemptsRetentionDays * DAY), batchSize));
    report.notifications = await drain((m) => deleteFinishedNotifications(m, new Date(now - settings.retentionDays * DAY), batchSize));
    if (report.notifications || report.attempts)
      await this.audit.recordNow({
        actor: { type: 'SYSTEM', label: 'durées de conservation' },
        action: 'RETENTION_APPLIED',
        entityType: 'retention',
        after: { notifications: report.notifications, notification_attempts: report.attempts },
      });
    return report;
  }
}
