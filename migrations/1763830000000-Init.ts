import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * First schema: establishments, detainees, agents and their roles, family accounts, the
 * append-only hash-chained audit log, and the session store. Runs on PostgreSQL 15+ and PGlite.
 */
export class Init1763830000000 implements MigrationInterface {
  name = 'Init1763830000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE establishments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(16) NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,16}$'),
        name text NOT NULL CHECK (length(trim(name)) > 0),
        kind text NOT NULL CHECK (kind IN ('MAISON_ARRET','CENTRE_DETENTION','MAISON_CENTRALE','CENTRE_PENITENTIAIRE','ETABLISSEMENT_MINEURS','CENTRE_SEMI_LIBERTE')),
        time_zone text NOT NULL DEFAULT 'Europe/Paris',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE detainees (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        ecrou_number varchar(20) NOT NULL CHECK (ecrou_number ~ '^[0-9A-Z]{1,20}$'),
        last_name text NOT NULL CHECK (length(trim(last_name)) > 0),
        first_name text NOT NULL CHECK (length(trim(first_name)) > 0),
        birth_date date NOT NULL,
        legal_status text NOT NULL CHECK (legal_status IN ('PREVENU','CONDAMNE')),
        custody_status text NOT NULL DEFAULT 'PRESENT' CHECK (custody_status IN ('PRESENT','LIBERE','TRANSFERE')),
        transferred_to_id uuid NULL REFERENCES establishments(id),
        left_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT detainees_ecrou_unique UNIQUE (establishment_id, ecrou_number),
        CONSTRAINT detainees_transfer_target CHECK ((custody_status = 'TRANSFERE') = (transferred_to_id IS NOT NULL)),
        CONSTRAINT detainees_left_at CHECK ((custody_status = 'PRESENT') = (left_at IS NULL))
      )`);
    await q.query(`CREATE INDEX detainees_identity_idx ON detainees (lower(last_name), lower(first_name), birth_date)`);

    await q.query(`
      CREATE TABLE agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        oidc_subject text NULL UNIQUE,
        email text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
        first_name text NOT NULL,
        last_name text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        last_sign_in_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE role_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        role text NOT NULL CHECK (role IN ('PERMITS_OFFICER','PARLOIR_AGENT','SPIP_COUNSELLOR','HEAD_OF_ESTABLISHMENT','ACTIVITIES_OFFICER','ADMIN')),
        granted_by uuid NULL REFERENCES agents(id),
        granted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT role_assignments_unique UNIQUE (agent_id, establishment_id, role)
      )`);
    await q.query(`CREATE INDEX role_assignments_establishment_idx ON role_assignments (establishment_id)`);

    await q.query(`
      CREATE TABLE family_accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        fc_subject text NOT NULL UNIQUE,
        given_name text NOT NULL,
        family_name text NOT NULL,
        birthdate date NULL,
        email text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NULL
      )`);

    // Append-only audit log, chained by SHA-256: each row's hash covers its content and the
    // previous row's hash. Ids are taken under an advisory lock so that id order is chain order.
    await q.query(`CREATE SEQUENCE audit_log_id_seq`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigint PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('AGENT','FAMILY','SYSTEM')),
        actor_id uuid NULL,
        actor_label text NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NULL,
        establishment_id uuid NULL,
        before jsonb NULL,
        after jsonb NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE
      )`);
    await q.query(`
      CREATE FUNCTION audit_log_row_hash(r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws(chr(31),
          r.id::text,
          to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
          r.actor_type, coalesce(r.actor_id::text, ''), coalesce(r.actor_label, ''),
          r.action, r.entity_type, coalesce(r.entity_id, ''), coalesce(r.establishment_id::text, ''),
          coalesce(r.before::text, ''), coalesce(r.after::text, ''), r.prev_hash), 'UTF8')), 'hex')
      $$`);
    await q.query(`
      CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
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
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = '42501';
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain()`);
    await q.query(
      `CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id)`);

    // express-session store (connect-pg-simple's schema).
    await q.query(`
      CREATE TABLE session (
        sid varchar NOT NULL PRIMARY KEY,
        sess json NOT NULL,
        expire timestamp(6) NOT NULL
      )`);
    await q.query(`CREATE INDEX session_expire_idx ON session (expire)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE session`);
    await q.query(`DROP TABLE audit_log CASCADE`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
    await q.query(`DROP FUNCTION audit_log_chain()`);
    await q.query(`DROP SEQUENCE audit_log_id_seq`);
    await q.query(`DROP TABLE family_accounts`);
    await q.query(`DROP TABLE role_assignments`);
    await q.query(`DROP TABLE agents`);
    await q.query(`DROP TABLE detainees`);
    await q.query(`DROP TABLE establishments`);
  }
}
