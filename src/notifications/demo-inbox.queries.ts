import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { select } from '../common/sql';
import type { Channel } from '../config/reminder-offsets';

/**
 * Demo mode: what the local SMTP server and SMS endpoint received. They write through the app's
 * small side pool (they run outside Nest's request cycle); the page reads through TypeORM.
 */
export interface CapturedMessage {
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  attachments: string[];
  receivedAt: Date;
}

export async function insertCaptured(pool: Pool, m: Omit<CapturedMessage, 'receivedAt'>): Promise<string> {
  const result = await pool.query<{ id: string }>(
    `INSERT INTO demo_inbox (channel, recipient, subject, body, attachments) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [m.channel, m.recipient, m.subject, m.body, m.attachments],
  );
  return result.rows[0].id;
}

/**
 * The latest captured messages that this establishment's notifications sent, newest first: never
 * another establishment's. An SMS is known by the id the demo endpoint answered (the notification's
 * provider message id); an e-mail by its recipient, subject and text (line endings and the final
 * new line aside, as SMTP and MIME may change them).
 */
export function latestCaptured(db: EntityManager, establishmentId: string, limit: number): Promise<CapturedMessage[]> {
  return select<CapturedMessage>(
    db,
    `SELECT d.channel, d.recipient, d.subject, d.body, d.attachments, d.received_at AS "receivedAt"
       FROM demo_inbox d
      WHERE EXISTS (
              SELECT 1 FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
               WHERE n.establishment_id = $1 AND n.channel = d.channel
                 AND CASE WHEN d.channel = 'SMS' THEN n.provider_message_id = d.id::text
                          ELSE n.status = 'SENT' AND d.recipient = r.address AND d.subject IS NOT DISTINCT FROM n.subject
                               AND rtrim(replace(d.body, E'\\r', ''), E'\\n') = rtrim(replace(n.body_text, E'\\r', ''), E'\\n') END)
      ORDER BY d.id DESC LIMIT $2`,
    [establishmentId, limit],
  );
}
