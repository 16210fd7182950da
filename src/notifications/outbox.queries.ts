import type { EntityManager } from 'typeorm';
import type { Language } from '../common/i18n';
import { execute, select, selectOne } from '../common/sql';
import type { Channel } from '../config/reminder-offsets';
import type { AttemptOutcome } from './notification-attempt.entity';
import type { Category, NotificationStatus } from './notification.entity';

/** The SQL of the outbox: recipients, messages, their delivery and the "Messages envoyés" page. */

// Recipients ----------------------------------------------------------------------------------

export interface RecipientRef {
  id: string;
  optoutToken: string;
  /** The language messages to this address are written in (its family's); null: French. */
  language: Language | null;
}

/** The recipient of an address, created on first use with this opt-out token. */
export async function recipientOf(db: EntityManager, channel: Channel, address: string, newToken: string): Promise<RecipientRef> {
  await execute(
    db,
    `INSERT INTO notification_recipients (channel, address, optout_token) VALUES ($1, $2, $3) ON CONFLICT (channel, address) DO NOTHING`,
    [channel, address, newToken],
  );
  const row = await selectOne<RecipientRef>(
    db,
    `SELECT id, optout_token AS "optoutToken", language FROM notification_recipients WHERE channel = $1 AND address = $2`,
    [channel, address],
  );
  if (!row) throw new Error(`Recipient ${channel} not found right after its creation`);
  return row;
}

/** The language of the messages to an address (created with this opt-out token if new). */
export async function setRecipientLanguage(db: EntityManager, channel: Channel, address: string, newToken: string, language: Language) {
  await execute(
    db,
    `INSERT INTO notification_recipients (channel, address, optout_token, language) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, address) DO UPDATE SET language = EXCLUDED.language`,
    [channel, address, newToken, language],
  );
}

export interface RecipientOptOut {
  id: string;
  remindersOptedOutAt: Date | null;
}

export function recipientByToken(db: EntityManager, token: string): Promise<RecipientOptOut | null> {
  return selectOne<RecipientOptOut>(
    db,
    `SELECT id, reminders_opted_out_at AS "remindersOptedOutAt" FROM notification_recipients WHERE optout_token = $1`,
    [token],
  );
}

/** Records the opt-out of reminders once; returns whether it was new. */
export async function optOutOfReminders(db: EntityManager, recipientId: string, at: Date): Promise<boolean> {
  const changed = await execute(
    db,
    `UPDATE notification_recipients SET reminders_opted_out_at = $2 WHERE id = $1 AND reminders_opted_out_at IS NULL`,
    [recipientId, at],
  );
  return changed > 0;
}

// Writing messages ----------------------------------------------------------------------------

export interface NewNotification {
  recipientId: string;
  channel: Channel;
  template: string;
  category: Category;
  data: Record<string, unknown>;
  subject: string | null;
  bodyText: string;
  bodyHtml: string | null;
  entity: { type: string; id: string } | null;
  establishmentId: string | null;
  sendAfter: Date;
}

export async function insertNotification(db: EntityManager, n: NewNotification): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO notifications (recipient_id, channel, template, category, data, subject, body_text, body_html, entity_type, entity_id,
                                establishment_id, send_after, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
    [
      n.recipientId,
      n.channel,
      n.template,
      n.category,
      JSON.stringify(n.data),
      n.subject,
      n.bodyText,
      n.bodyHtml,
      n.entity?.type ?? null,
      n.entity?.id ?? null,
      n.establishmentId,
      n.sendAfter,
    ],
  );
  return row.id;
}

/** Cancels what still waits for an entity (of one category, or all with null); returns how many. */
export function cancelPendingOf(
  db: EntityManager,
  entity: { type: string; id: string },
  reason: string,
  category: Category | null,
): Promise<number> {
  return execute(
    db,
    `UPDATE notifications SET status = 'CANCELLED', status_reason = $3, updated_at = now()
      WHERE entity_type = $1 AND entity_id = $2 AND status = 'PENDING' AND ($4::text IS NULL OR category = $4)`,
    [entity.type, entity.id, reason, category],
  );
}

/** A message still waiting to be sent, with its recipient's opt-out token (to render it again). */
export interface PendingMessage {
  id: string;
  channel: Channel;
  template: string;
  data: Record<string, unknown>;
  entityId: string;
  optoutToken: string;
  language: Language | null;
}

/** The messages about entities of a type, of an establishment, still waiting (not being sent), locked. */
export function pendingOfEstablishment(
  db: EntityManager,
  entityType: string,
  establishmentId: string,
  now: Date,
): Promise<PendingMessage[]> {
  return select<PendingMessage>(
    db,
    `SELECT n.id, n.channel, n.template, n.data, n.entity_id AS "entityId", r.optout_token AS "optoutToken", r.language
       FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
      WHERE n.entity_type = $1 AND n.establishment_id = $2 AND n.status = 'PENDING' AND (n.lease_until IS NULL OR n.lease_until < $3)
      ORDER BY n.id FOR UPDATE OF n`,
    [entityType, establishmentId, now],
  );
}

/** A waiting message's data and content, rendered again. */
export async function rewriteMessage(
  db: EntityManager,
  id: string,
  m: { data: Record<string, unknown>; subject: string | null; bodyText: string; bodyHtml: string | null },
): Promise<void> {
  await execute(db, `UPDATE notifications SET data = $2, subject = $3, body_text = $4, body_html = $5, updated_at = now() WHERE id = $1`, [
    id,
    JSON.stringify(m.data),
    m.subject,
    m.bodyText,
    m.bodyHtml,
  ]);
}

// Delivery ------------------------------------------------------------------------------------

/** A message claimed by a worker, with its recipient. */
export interface ClaimedNotification {
  id: string;
  channel: Channel;
  template: string;
  category: Category;
  data: Record<string, unknown>;
  subject: string | null;
  bodyText: string;
  bodyHtml: string | null;
  entityType: string | null;
  entityId: string | null;
  /** This attempt's number (counted when claimed). */
  attempts: number;
  address: string;
  remindersOptedOutAt: Date | null;
}

/**
 * Claims due messages (and those whose worker's lease expired): marked SENDING with a lease, the
 * attempt counted. SKIP LOCKED: two workers never take the same row.
 */
export function claimDue(db: EntityManager, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedNotification[]> {
  return select<ClaimedNotification>(
    db,
    `WITH due AS (
       SELECT id FROM notifications
        WHERE (status = 'PENDING' AND next_attempt_at <= $1) OR (status = 'SENDING' AND lease_until < $1)
        ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE notifications n SET status = 'SENDING', attempts = n.attempts + 1, lease_until = $3, updated_at = now()
       FROM due, notification_recipients r
      WHERE n.id = due.id AND r.id = n.recipient_id
     RETURNING n.id, n.channel, n.template, n.category, n.data, n.subject, n.body_text AS "bodyText", n.body_html AS "bodyHtml",
               n.entity_type AS "entityType", n.entity_id AS "entityId", n.attempts, r.address,
               r.reminders_opted_out_at AS "remindersOptedOutAt"`,
    [now, limit, leaseUntil],
  );
}

/** How a delivery attempt ended, for the message's row. */
export type DeliveryOutcome =
  | { status: 'SENT'; sentAt: Date; providerMessageId: string | null }
  | { status: 'PENDING'; reason: string; nextAttemptAt: Date }
  | { status: 'FAILED'; reason: string }
  | { status: 'DROPPED'; reason: string };

export async function recordOutcome(db: EntityManager, id: string, o: DeliveryOutcome): Promise<void> {
  switch (o.status) {
    case 'SENT':
      await execute(
        db,
        `UPDATE notifications SET status = 'SENT', sent_at = $2, provider_message_id = $3, status_reason = NULL, lease_until = NULL,
                updated_at = now()
          WHERE id = $1`,
        [id, o.sentAt, o.providerMessageId],
      );
      return;
    case 'PENDING':
      await execute(
        db,
        `UPDATE notifications SET status = 'PENDING', status_reason = $2, next_attempt_at = $3, lease_until = NULL, updated_at = now()
          WHERE id = $1`,
        [id, o.reason, o.nextAttemptAt],
      );
      return;
    case 'FAILED':
    case 'DROPPED':
      await execute(db, `UPDATE notifications SET status = $2, status_reason = $3, lease_until = NULL, updated_at = now() WHERE id = $1`, [
        id,
        o.status,
        o.reason,
      ]);
      return;
  }
}

export async function insertAttempt(
  db: EntityManager,
  a: { notificationId: string; attempt: number; startedAt: Date; finishedAt: Date; outcome: AttemptOutcome; detail: string | null },
): Promise<void> {
  await execute(
    db,
    `INSERT INTO notification_attempts (notification_id, attempt, started_at, finished_at, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (notification_id, attempt) DO NOTHING`,
    [a.notificationId, a.attempt, a.startedAt, a.finishedAt, a.outcome, a.detail],
  );
}

// "Messages envoyés" --------------------------------------------------------------------------

export interface OutboxAttemptView {
  attempt: number;
  outcome: AttemptOutcome;
  detail: string | null;
  /** ISO instant (from JSON). */
  at: string;
}

export interface OutboxMessage {
  id: string;
  channel: Channel;
  template: string;
  category: Category;
  status: NotificationStatus;
  statusReason: string | null;
  attempts: number;
  sendAfter: Date;
  sentAt: Date | null;
  createdAt: Date;
  subject: string | null;
  bodyText: string;
  address: string;
  tries: OutboxAttemptView[];
}

export async function countOutbox(db: EntityManager, establishmentId: string, status: NotificationStatus | null): Promise<number> {
  const row = await selectOne<{ total: number }>(
    db,
    `SELECT count(*)::int AS total FROM notifications WHERE establishment_id = $1 AND ($2::text IS NULL OR status = $2)`,
    [establishmentId, status],
  );
  return row?.total ?? 0;
}

export function outboxPage(
  db: EntityManager,
  establishmentId: string,
  status: NotificationStatus | null,
  limit: number,
  offset: number,
): Promise<OutboxMessage[]> {
  return select<OutboxMessage>(
    db,
    `SELECT n.id, n.channel, n.template, n.category, n.status, n.status_reason AS "statusReason", n.attempts, n.send_after AS "sendAfter",
            n.sent_at AS "sentAt", n.created_at AS "createdAt", n.subject, n.body_text AS "bodyText", r.address,
            coalesce((SELECT json_agg(json_build_object('attempt', t.attempt, 'outcome', t.outcome, 'detail', t.detail, 'at', t.finished_at)
                                      ORDER BY t.attempt)
                        FROM notification_attempts t WHERE t.notification_id = n.id), '[]') AS tries
       FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
      WHERE n.establishment_id = $1 AND ($2::text IS NULL OR n.status = $2)
      ORDER BY n.created_at DESC, n.id LIMIT $3 OFFSET $4`,
    [establishmentId, status, limit, offset],
  );
}
