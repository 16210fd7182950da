import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { returnedRows } from '../common/sql';
import type { NotificationSettings } from '../config/config';
import { NotificationRenderer } from './notification-renderer';
import type { Channel } from '../config/reminder-offsets';
import { MAX_SMS_SEGMENTS, normalizeEmail, normalizePhone, planReminders, smsLength } from './notification.rules';

export type Category = 'TRANSACTIONAL' | 'REMINDER';

export interface EnqueueInput {
  channel: Channel;
  /** E-mail address or phone number as typed; validated and normalised here. */
  to: string;
  template: string;
  category: Category;
  data: Record<string, unknown>;
  entity?: { type: string; id: string };
  establishmentId?: string | null;
  sendAfter?: Date;
}

export interface AppointmentForReminders {
  id: string;
  startsAt: Date;
  email: string | null;
  phone: string | null;
  establishmentId: string;
  data: Record<string, unknown>;
}

/**
 * A phone number (to E.164) or an e-mail address, checked when it is typed: an invalid one is a
 * clear error at entry, never a failed send later.
 */
export function contactAddress(channel: Channel, raw: string): string {
  const address = channel === 'SMS' ? normalizePhone(raw) : normalizeEmail(raw);
  if (address) return address;
  throw channel === 'SMS'
    ? new DomainError('INVALID_PHONE', `Le numéro de téléphone « ${raw.trim()} » n’est pas valide. Exemple : 06 12 34 56 78.`)
    : new DomainError('INVALID_EMAIL', `L’adresse électronique « ${raw.trim()} » n’est pas valide.`);
}

/** Opt-out tokens: 12 base64url characters (72 bits), short enough for an SMS link. */
function newToken(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The outbox. A notification is written in the transaction of the business change that causes it
 * (pass that transaction's EntityManager): it exists if and only if the change is committed. The
 * OutboxWorker delivers it later. Content is rendered now, so a template error fails the change.
 */
export class NotificationsService {
  constructor(
    private readonly renderer: NotificationRenderer,
    private readonly settings: NotificationSettings,
    private readonly appUrl: string,
  ) {}

  async enqueue(m: EntityManager, input: EnqueueInput, now = new Date()): Promise<string> {
    const address = contactAddress(input.channel, input.to);
    const recipient = await this.recipient(m, input.channel, address);
    const data = { ...input.data, optoutUrl: `${this.appUrl}/stop/${recipient.optout_token}` };
    const rendered = this.renderer.render(input.channel, input.template, data);
    if (input.channel === 'SMS') {
      const length = smsLength(rendered.text);
      if (length.segments > MAX_SMS_SEGMENTS)
        throw new Error(`SMS template ${input.template} renders ${length.segments} segments (max ${MAX_SMS_SEGMENTS})`);
    }
    const sendAfter = input.sendAfter ?? now;
    const [row] = await m.query(
      `INSERT INTO notifications (recipient_id, channel, template, category, data, subject, body_text, body_html, entity_type, entity_id,
                                  establishment_id, send_after, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
      [
        recipient.id,
        input.channel,
        input.template,
        input.category,
        JSON.stringify(input.data),
        rendered.subject,
        rendered.text,
        rendered.html,
        input.entity?.type ?? null,
        input.entity?.id ?? null,
        input.establishmentId ?? null,
        sendAfter,
      ],
    );
    return row.id;
  }

  /** Plans the reminders of an appointment (offsets from the configuration). */
  async planAppointmentReminders(m: EntityManager, a: AppointmentForReminders, now = new Date()): Promise<number> {
    const plan = planReminders(a.startsAt, now, this.settings.reminderOffsets, { email: Boolean(a.email), sms: Boolean(a.phone) });
    for (const r of plan) {
      await this.enqueue(
        m,
        {
          channel: r.channel,
          to: (r.channel === 'EMAIL' ? a.email : a.phone)!,
          template: 'appointment-reminder',
          category: 'REMINDER',
          data: a.data,
          entity: { type: 'appointment', id: a.id },
          establishmentId: a.establishmentId,
          sendAfter: r.sendAt,
        },
        now,
      );
    }
    return plan.length;
  }

  /** Cancels what is still waiting for an entity (e.g. reminders of a cancelled or moved appointment). */
  async cancelPending(
    m: EntityManager,
    entity: { type: string; id: string },
    reason: string,
    category: Category | null = 'REMINDER',
  ): Promise<number> {
    const result = await m.query(
      `UPDATE notifications SET status = 'CANCELLED', status_reason = $3, updated_at = now()
        WHERE entity_type = $1 AND entity_id = $2 AND status = 'PENDING' AND ($4::text IS NULL OR category = $4) RETURNING id`,
      [entity.type, entity.id, reason, category],
    );
    return returnedRows(result).length;
  }

  private async recipient(m: EntityManager, channel: Channel, address: string): Promise<{ id: string; optout_token: string }> {
    await m.query(
      `INSERT INTO notification_recipients (channel, address, optout_token) VALUES ($1, $2, $3) ON CONFLICT (channel, address) DO NOTHING`,
      [channel, address, newToken()],
    );
    const [row] = await m.query(`SELECT id, optout_token FROM notification_recipients WHERE channel = $1 AND address = $2`, [
      channel,
      address,
    ]);
    return row;
  }
}
