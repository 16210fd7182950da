import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications' retention job (issue #15, docs/retention.md) finds what it deletes by index, in
 * batches: finished messages by the time they ended (sent, or their last change), delivery attempts by
 * the time they finished. Without them each batch would read the whole table.
 */
export class NotificationRetention1763903400000 implements MigrationInterface {
  name = 'NotificationRetention1763903400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX notifications_finished_idx ON notifications ((coalesce(sent_at, updated_at)))
        WHERE status IN ('SENT','FAILED','CANCELLED','DROPPED')`,
    );
    await q.query(`CREATE INDEX notification_attempts_finished_idx ON notification_attempts (finished_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notification_attempts_finished_idx`);
    await q.query(`DROP INDEX notifications_finished_idx`);
  }
}
