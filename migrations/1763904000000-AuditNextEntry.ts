import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain's lock is held from the moment it is taken until the transaction ends: every audited
 * change of every establishment waits behind it. AuditService.record used to take it in one statement
 * and read the next entry (id, time, head, canonical text) in another, a round trip and a turn of the
 * Node event loop more under the lock, paid by every instance waiting (issue #15: two instances).
 *
 * audit_log_next does both in one call: it takes the lock, then reads the head. It is VOLATILE, so its
 * query takes a new snapshot after the lock is granted and sees the head committed while it waited (a
 * single statement doing both would read the head from before the wait). The signing stays in the
 * application (the key never reaches the database) and the trigger still checks each row.
 */
export class AuditNextEntry1763904000000 implements MigrationInterface {
  name = 'AuditNextEntry1763904000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_log_next(
        actor_type text, actor_id uuid, actor_label text, action text, entity_type text, entity_id text,
        establishment_id uuid, before jsonb, after jsonb
      ) RETURNS TABLE (next_id text, next_at text, next_prev text, next_message text) LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(727262001);
        RETURN QUERY
          SELECT n.id::text, to_char(n.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), n.prev::text,
                 audit_log_message(n.id, n.at, actor_type, actor_id, actor_label, action, entity_type, entity_id,
                                   establishment_id, before, after, n.prev)
            FROM (SELECT nextval('audit_log_id_seq') AS id, clock_timestamp() AS at,
                         coalesce((SELECT a.hash FROM audit_log a ORDER BY a.id DESC LIMIT 1), repeat('0', 64)) AS prev) n;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_log_next(text, uuid, text, text, text, text, uuid, jsonb, jsonb)`);
  }
}
