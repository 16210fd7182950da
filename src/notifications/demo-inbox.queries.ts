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

/** The latest captured messages, newest first. */
export function latestCaptured(db: EntityManager, limit: number): Promise<CapturedMessage[]> {
  return select<CapturedMessage>(
    db,
    `SELECT channel, recipient, subject, body, attachments, received_at AS "receivedAt" FROM demo_inbox ORDER BY id DESC LIMIT $1`,
    [limit],
  );
}
