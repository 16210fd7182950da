import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain becomes keyed (issue #14): each new entry's hash is an HMAC-SHA256, under
 * AUDIT_KEY, of the same canonical text that was hashed with plain SHA-256 before. The key lives
 * in the application's environment, never in the database, so an owner of the database who
 * rewrites rows (and recomputes a plain SHA-256 chain over them) cannot produce matching HMACs.
 *
 * The application therefore computes the hash, not the trigger: AuditService.record takes the
 * chain's advisory lock, reads the next id, the time, the head and the canonical text
 * (audit_log_message), signs it and inserts the whole row. The trigger keeps the lock and checks
 * that the row extends the head; it refuses a row without its hash (no plain entry can follow).
 *
 * Existing entries cannot be re-signed here (a migration has no key): they stay plain SHA-256
 * entries. `audit:verify` accepts plain entries only before the first keyed one, and the first
 * keyed entry covers the last plain hash, so the older entries are anchored by it too. The
 * application's first start after this migration writes AUDIT_CHAIN_KEYED if the head is plain.
 */
export class AuditChainKeyed1763903160000 implements MigrationInterface {
  name = 'AuditChainKeyed1763903160000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_log_message(
        id bigint, occurred_at timestamptz, actor_type text, actor_id uuid, actor_label text, action text,
        entity_type text, entity_id text, establishment_id uuid, before jsonb, after jsonb, prev_hash text
      ) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT concat_ws(chr(31),
          id::text,
          to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          actor_type, coalesce(actor_id::text, ''), coalesce(actor_label, ''),
          action, entity_type, coalesce(entity_id, ''), coalesce(establishment_id::text, ''),
          coalesce(before::text, ''), coalesce(after::text, ''), prev_hash)
      $$`);
    // Same result as before for every row: the plain SHA-256 of the canonical text.
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_row_hash(r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT encode(sha256(convert_to(audit_log_message(r.id, r.occurred_at, r.actor_type, r.actor_id, r.actor_label,
          r.action, r.entity_type, r.entity_id, r.establishment_id, r.before, r.after, r.prev_hash), 'UTF8')), 'hex')
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE last_id bigint; last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(727262001);
        IF NEW.id IS NULL OR NEW.occurred_at IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL THEN
          RAISE EXCEPTION 'audit_log entries are signed by the application (AuditService.record)' USING ERRCODE = '23514';
        END IF;
        SELECT a.id, a.hash INTO last_id, last_hash FROM audit_log a ORDER BY a.id DESC LIMIT 1;
        IF NEW.prev_hash <> coalesce(last_hash, repeat('0', 64)) OR NEW.id <= coalesce(last_id, 0) THEN
          RAISE EXCEPTION 'audit_log entry % does not extend the chain head %', NEW.id, last_id USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE last_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(727262001);
        NEW.id := nextval('audit_log_id_seq');
        NEW.occurred_at := clock_timestamp();
        SELECT hash INTO last_hash FROM audit_log ORDER BY id DESC LIMIT 1;
        NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
        NEW.hash := audit_log_row_hash(NEW);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_row_hash(r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws(chr(31),
          r.id::text,
          to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          r.actor_type, coalesce(r.actor_id::text, ''), coalesce(r.actor_label, ''),
          r.action, r.entity_type, coalesce(r.entity_id, ''), coalesce(r.establishment_id::text, ''),
          coalesce(r.before::text, ''), coalesce(r.after::text, ''), r.prev_hash), 'UTF8')), 'hex')
      $$`);
    await q.query(`DROP FUNCTION audit_log_message(bigint, timestamptz, text, uuid, text, text, text, text, uuid, jsonb, jsonb, text)`);
  }
}
