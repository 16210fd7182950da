import QRCode from 'qrcode';
import type { DataSource, EntityManager } from 'typeorm';
import { icsFile, isCalendarEvent } from './calendar';
import { retryDelayMs } from './notification.rules';
import { claimDue, recordOutcome, insertAttempt, type ClaimedNotification, type DeliveryOutcome } from './outbox.queries';
import type { EntityRef } from './notifications.service';
import type { OutgoingEmail, Transports } from './transports';
import type { AttemptOutcome } from './notification-attempt.entity';

/** The convocation's QR code, shown inline in the e-mail (`<img src="cid:…">`). */
export const CONVOCATION_QR_CID = 'convocation-qr@p2v';

export interface WorkerOptions {
  maxAttempts: number;
  retryBaseMs: number;
  leaseMs: number;
  batchSize: number;
  /** The app's clock (NotificationsModule feeds it from Clock). */
  now: () => Date;
  /**
   * Why a reminder about this entity no longer makes sense, or null: the checks the modules
   * registered with NotificationsService.onRelevanceCheck.
   */
  reasonToDrop: (m: EntityManager, entity: EntityRef | null, now: Date) => Promise<string | null>;
  log: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

export interface RunReport {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
}

type Delivery = 'sent' | 'retried' | 'failed' | 'dropped';

/**
 * Delivers due notifications. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, in a short
 * transaction, so any number of workers (app instances) never take the same row; the send happens
 * outside any transaction; the outcome is then recorded with the attempt. A worker that dies
 * mid-send leaves a lease that expires, and the row is tried again (at-least-once on a crash; the
 * Message-ID lets mail servers drop a duplicate).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transports: Transports,
    private readonly options: WorkerOptions,
  ) {}

  start(intervalMs: number) {
    const tick = () => {
      this.running = this.runOnce()
        .catch((e) => this.options.log('error', 'Outbox run failed', { err: String(e) }))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  async runOnce(): Promise<RunReport> {
    const report: RunReport = { claimed: 0, sent: 0, retried: 0, failed: 0, dropped: 0 };
    for (;;) {
      const now = this.options.now();
      const batch = await claimDue(this.dataSource.manager, now, this.options.batchSize, new Date(now.getTime() + this.options.leaseMs));
      report.claimed += batch.length;
      for (const n of batch) report[await this.deliver(n)]++;
      if (batch.length < this.options.batchSize) return report;
    }
  }

  /** Why a message no longer makes sense, checked right before sending. Only reminders are ever dropped. */
  private async reasonToDrop(n: ClaimedNotification, now: Date): Promise<string | null> {
    if (n.category !== 'REMINDER') return null;
    if (n.remindersOptedOutAt) return 'Le destinataire a refusé les rappels';
    const entity = n.entityType && n.entityId ? { type: n.entityType, id: n.entityId } : null;
    return this.options.reasonToDrop(this.dataSource.manager, entity, now);
  }

  private async deliver(n: ClaimedNotification): Promise<Delivery> {
    const started = this.options.now();
    let providerId: string | null;
    try {
      const drop = await this.reasonToDrop(n, started);
      if (drop) {
        await this.finish(n, started, 'DROPPED', drop, { status: 'DROPPED', reason: drop });
        return 'dropped';
      }
      providerId =
        n.channel === 'EMAIL'
          ? await this.transports.email(await this.email(n))
          : await this.transports.sms({ id: n.id, to: n.address, text: n.bodyText, tag: n.template });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const final = n.attempts >= this.options.maxAttempts;
      this.options.log('warn', `Notification ${n.id} attempt ${n.attempts} failed${final ? ' (final)' : ''}`, { error });
      await this.finish(
        n,
        started,
        'ERROR',
        error,
        final
          ? { status: 'FAILED', reason: `Échec après ${n.attempts} tentatives : ${error}` }
          : {
              status: 'PENDING',
              reason: error,
              nextAttemptAt: new Date(this.options.now().getTime() + retryDelayMs(n.attempts, this.options.retryBaseMs)),
            },
      );
      return final ? 'failed' : 'retried';
    }
    await this.finish(n, started, 'SENT', providerId, { status: 'SENT', sentAt: this.options.now(), providerMessageId: providerId });
    return 'sent';
  }

  /** The e-mail of a message: its stored content, with the calendar file and the convocation's QR code made now. */
  private async email(n: ClaimedNotification): Promise<OutgoingEmail> {
    const attachments: OutgoingEmail['attachments'] = [];
    if (isCalendarEvent(n.data.ics)) {
      attachments.push({
        filename: 'rendez-vous.ics',
        content: icsFile(n.data.ics),
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      });
    }
    if (typeof n.data.qr === 'string') {
      attachments.push({
        filename: 'convocation-qr.png',
        content: await QRCode.toBuffer(n.data.qr, { margin: 2, width: 240 }),
        contentType: 'image/png',
        cid: CONVOCATION_QR_CID,
      });
    }
    return { id: n.id, to: n.address, subject: n.subject ?? 'P2V', text: n.bodyText, html: n.bodyHtml, attachments };
  }

  private async finish(n: ClaimedNotification, started: Date, outcome: AttemptOutcome, detail: string | null, result: DeliveryOutcome) {
    await this.dataSource.transaction(async (m) => {
      await recordOutcome(m, n.id, result);
      await insertAttempt(m, {
        notificationId: n.id,
        attempt: n.attempts,
        startedAt: started,
        finishedAt: this.options.now(),
        outcome,
        detail,
      });
    });
  }
}
