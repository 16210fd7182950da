import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visiting rooms, slot templates, closures, per-establishment booking settings, and visits. The
 * database guarantees capacity (a per-slot counter under a CHECK, updated under a row lock), no
 * detainee booked twice at overlapping times and no visitor twice at the same time (exclusion
 * constraints), and idempotent retries (unique key).
 */
export class Visits1763860000000 implements MigrationInterface {
  name = 'Visits1763860000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visit_settings (
        establishment_id uuid PRIMARY KEY REFERENCES establishments(id),
        min_notice_hours integer NOT NULL DEFAULT 24 CHECK (min_notice_hours BETWEEN 0 AND 720),
        horizon_days integer NOT NULL DEFAULT 28 CHECK (horizon_days BETWEEN 1 AND 180),
        cancel_deadline_hours integer NOT NULL DEFAULT 24 CHECK (cancel_deadline_hours BETWEEN 0 AND 720),
        max_adults integer NOT NULL DEFAULT 3 CHECK (max_adults BETWEEN 1 AND 10),
        max_children integer NOT NULL DEFAULT 3 CHECK (max_children BETWEEN 0 AND 10),
        majority_age integer NOT NULL DEFAULT 18 CHECK (majority_age BETWEEN 12 AND 21),
        weekly_prevenu integer NOT NULL DEFAULT 3 CHECK (weekly_prevenu >= 3),
        weekly_condamne integer NOT NULL DEFAULT 1 CHECK (weekly_condamne >= 1),
        online_booking boolean NOT NULL DEFAULT true,
        open_on_holidays boolean NOT NULL DEFAULT false
      )`);
    await q.query(`
      CREATE TABLE visiting_rooms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ORDINARY','SEPARATION','ACCESSIBLE')),
        cabins integer NOT NULL CHECK (cabins > 0),
        active boolean NOT NULL DEFAULT true,
        CONSTRAINT visiting_rooms_name_unique UNIQUE (establishment_id, name)
      )`);
    await q.query(`
      CREATE TABLE slot_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room_id uuid NOT NULL REFERENCES visiting_rooms(id),
        day_of_week integer NOT NULL CHECK (day_of_week BETWEEN 1 AND 7),
        start_time time NOT NULL,
        end_time time NOT NULL,
        capacity integer NOT NULL CHECK (capacity > 0),
        valid_from date NOT NULL,
        valid_to date NULL,
        CONSTRAINT slot_templates_times CHECK (end_time > start_time),
        CONSTRAINT slot_templates_validity CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`
      CREATE TABLE closures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        day date NOT NULL,
        room_id uuid NULL REFERENCES visiting_rooms(id),
        template_id uuid NULL REFERENCES slot_templates(id),
        reason text NOT NULL CHECK (length(trim(reason)) > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX closures_day_idx ON closures (establishment_id, day)`);
    await q.query(`
      CREATE TABLE visit_slots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room_id uuid NOT NULL REFERENCES visiting_rooms(id),
        template_id uuid NULL REFERENCES slot_templates(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        capacity integer NOT NULL CHECK (capacity > 0),
        booked integer NOT NULL DEFAULT 0,
        CONSTRAINT visit_slots_capacity CHECK (booked >= 0 AND booked <= capacity),
        CONSTRAINT visit_slots_times CHECK (ends_at > starts_at),
        CONSTRAINT visit_slots_unique UNIQUE (room_id, starts_at)
      )`);
    await q.query(`
      CREATE TABLE visits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        slot_id uuid NOT NULL REFERENCES visit_slots(id),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        family_account_id uuid NULL REFERENCES family_accounts(id),
        appointment_id uuid NULL REFERENCES appointments(id),
        reference varchar(12) NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED','CANCELLED','IN_PROGRESS','DONE','NO_SHOW')),
        channel text NOT NULL CHECK (channel IN ('ONLINE','PHONE','IN_PERSON')),
        idempotency_key text NULL,
        during tstzrange NOT NULL,
        booked_by_agent uuid NULL REFERENCES agents(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        cancelled_at timestamptz NULL,
        CONSTRAINT visits_idempotency UNIQUE (family_account_id, idempotency_key),
        CONSTRAINT visits_detainee_no_overlap EXCLUDE USING gist (detainee_id WITH =, during WITH &&) WHERE (status <> 'CANCELLED')
      )`);
    await q.query(`CREATE INDEX visits_detainee_week_idx ON visits (detainee_id, lower(during))`);
    await q.query(`
      CREATE TABLE visit_visitors (
        visit_id uuid NOT NULL REFERENCES visits(id),
        permit_id uuid NOT NULL REFERENCES permits(id),
        during tstzrange NOT NULL,
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (visit_id, permit_id),
        CONSTRAINT visit_visitors_no_overlap EXCLUDE USING gist (permit_id WITH =, during WITH &&) WHERE (active)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of ['visit_visitors', 'visits', 'visit_slots', 'closures', 'slot_templates', 'visiting_rooms', 'visit_settings'])
      await q.query(`DROP TABLE ${t}`);
  }
}
