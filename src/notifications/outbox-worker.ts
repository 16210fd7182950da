import { DataSource } from 'typeorm';
import QRCode from 'qrcode';
import { icsFile, type CalendarEvent } from './calendar';

/** The convocation's QR code, shown inline in the e-mail (`<img src="cid:…">`). */
export const CONVOCATION_QR_CID = 'convocation-qr@p2v';
import { returnedRows } from '../common/sql';
import { retryDelayMs } from './notification.rules';
import type { Transports } from './transports';

export interface WorkerOptions {
  maxAttempts: number;
  retryBaseMs: number;
  leaseMs: number;
  batchSize: number;
  now: () => Date;
  log: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

interface Claimed {
  id: string;
  channel: 'EMAIL' | 'SMS';
  template: string;
  category: 'TRANSACTIONAL' | 'REMINDER';
  data: Record<string, unknown>;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  entity_type: string | null;
  entity_id: string | null;
  attempts: number;
  address: string;
  reminders_opted_out_at: Date | null;
}

export interface RunReport {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
}

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
      const batch = await this.claim();
      report.claimed += batch.length;
      for (const n of batch) report[await this.deliver(n)]++;
      if (batch.length < this.options.batchSize) return report;
    }
  }

  private async claim(): Promise<Claimed[]> {
    const now = this.options.now();
    const result = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM notifications
          WHERE (status = 'PENDING' AND next_attempt_at <= $1) OR (status = 'SENDING' AND lease_until < $1)
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE notifications n SET status = 'SENDING', attempts = n.attempts + 1, lease_until = $3, updated_at = now()
         FROM due, notification_recipients r
        WHERE n.id = due.id AND r.id = n.recipient_id
       RETURNING n.id, n.channel, n.template, n.category, n.data, n.subject, n.body_text, n.body_html, n.entity_type, n.entity_id,
                 n.attempts, r.address, r.reminders_opted_out_at`,
      [now, this.options.batchSize, new Date(now.getTime() + this.options.leaseMs)],
    );
    return returnedRows<Claimed>(result);
  }

  /** Why a message no longer makes sense, checked right before sending. */
  private async reasonToDrop(n: Claimed, now: Date): Promise<string | null> {
    if (n.category !== 'REMINDER') return null;
    if (n.reminders_opted_out_at) return 'Le destinataire a refusé les rappels';
    if (n.entity_type === 'appointment') {
      const [a] = await this.dataSource.query(`SELECT status, starts_at FROM appointments WHERE id = $1`, [n.entity_id]);
      if (!a) return 'Rendez-vous introuvable';
      if (a.status !== 'BOOKED') return 'Rendez-vous annulé';
      if (new Date(a.starts_at).getTime() <= now.getTime()) return 'Rendez-vous déjà passé';
    }
    return null;
  }

  private async deliver(n: Claimed): Promise<'sent' | 'retried' | 'failed' | 'dropped'> {
    const started = this.options.now();
    let providerId: string | null = null;
    try {
      const drop = await this.reasonToDrop(n, started);
      if (drop) {
        await this.finish(
          n,
          started,
          'DROPPED',
          drop,
          `UPDATE notifications SET status = 'DROPPED', status_reason = $2, lease_until = NULL, updated_at = now() WHERE id = $1`,
          [n.id, drop],
        );
        return 'dropped';
      }
      if (n.channel === 'EMAIL') {
        const ics = n.data.ics as CalendarEvent | undefined;
        providerId = await this.transports.email({
          id: n.id,
          to: n.address,
          subject: n.subject ?? 'P2V',
          text: n.body_text,
          html: n.body_html,
          attachments: [
            ...(ics
              ? [{ filename: 'rendez-vous.ics', content: icsFile(ics), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }]
              : []),
            ...(typeof n.data.qr === 'string'
              ? [
                  {
                    filename: 'convocation-qr.png',
                    content: await QRCode.toBuffer(n.data.qr, { margin: 2, width: 240 }),
                    contentType: 'image/png',
                    cid: CONVOCATION_QR_CID,
                  },
                ]
              : []),
          ],
        });
      } else {
        providerId = await this.transports.sms({ id: n.id, to: n.address, text: n.body_text, tag: n.template });
      }
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const final = n.attempts >= this.options.maxAttempts;
      const next = new Date(this.options.now().getTime() + retryDelayMs(n.attempts, this.options.retryBaseMs));
      this.options.log('warn', `Notification ${n.id} attempt ${n.attempts} failed${final ? ' (final)' : ''}`, { error });
      await this.finish(
        n,
        started,
        'ERROR',
        error,
        final
          ? `UPDATE notifications SET status = 'FAILED', status_reason = $2, lease_until = NULL, updated_at = now() WHERE id = $1`
          : `UPDATE notifications SET status = 'PENDING', status_reason = $2, next_attempt_at = $3, lease_until = NULL, updated_at = now() WHERE id = $1`,
        final ? [n.id, `Échec après ${n.attempts} tentatives : ${error}`] : [n.id, error, next],
      );
      return final ? 'failed' : 'retried';
    }
    await this.finish(
      n,
      started,
      'SENT',
      providerId,
      `UPDATE notifications SET status = 'SENT', sent_at = $2, provider_message_id = $3, status_reason = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
      [n.id, this.options.now(), providerId],
    );
    return 'sent';
  }

  private async finish(
    n: Claimed,
    started: Date,
    outcome: 'SENT' | 'ERROR' | 'DROPPED',
    detail: string | null,
    update: string,
    params: unknown[],
  ) {
    await this.dataSource.transaction(async (m) => {
      await m.query(update, params);
      await m.query(
        `INSERT INTO notification_attempts (notification_id, attempt, started_at, finished_at, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (notification_id, attempt) DO NOTHING`,
        [n.id, n.attempts, started, this.options.now(), outcome, detail],
      );
    });
  }
}
