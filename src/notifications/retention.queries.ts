import type { EntityManager } from 'typeorm';
import { execute } from '../common/sql';

/**
 * The notifications' retention (docs/retention.md), a batch at a time: each statement deletes at most
 * `limit` rows, found by index (migration NotificationRetention), oldest first, skipping rows another
 * transaction holds, so that no lock is held long and no run reads the whole table.
 */

/** Finished messages (sent, failed, cancelled, dropped) that ended before `before`, with their attempts. */
export function deleteFinishedNotifications(db: EntityManager, before: Date, limit: number): Promise<number> {
  return execute(
    db,
    `WITH doomed AS (
       SELECT id FROM notifications
        WHERE status IN ('SENT','FAILED','CANCELLED','DROPPED') AND coalesce(sent_at, updated_at) < $1
        ORDER BY coalesce(sent_at, updated_at) LIMIT $2 FOR UPDATE SKIP LOCKED),
     attempts AS (DELETE FROM notification_attempts WHERE notification_id IN (SELECT id FROM doomed))
     DELETE FROM notifications WHERE id IN (SELECT id FROM doomed)`,
    [before, limit],
  );
}

/** Delivery attempts that finished before `before`. */
export function deleteAttempts(db: EntityManager, before: Date, limit: number): Promise<number> {
  return execute(
    db,
    `DELETE FROM notification_attempts WHERE id IN (
       SELECT id FROM notification_attempts WHERE finished_at < $1 ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [before, limit],
  );
}
