import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The day at the visiting rooms: arrival checks per visitor (with the refusal reason), visits
 * imported from GENESIS (visitors without a digital permit kept by name), the waiting list (a
 * freed place is held for the family offered it), and the "À revoir" flags that a database trigger
 * sets on future visits when a permit is suspended or withdrawn or a detainee leaves.
 */
export class VisitDay1763870000000 implements MigrationInterface {
  name = 'VisitDay1763870000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE detainees ADD COLUMN housing text NULL`);
    // Name search that ignores accents, case, hyphens and apostrophes (no unaccent extension needed).
    await q.query(
      `CREATE FUNCTION unaccent_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT upper(translate($1, 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ-''', 'aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY  ')) $$`,
    );
    await q.query(
      `ALTER TABLE visit_settings ADD COLUMN waitlist_offer_hours integer NOT NULL DEFAULT 12 CHECK (waitlist_offer_hours BETWEEN 1 AND 72)`,
    );
    await q.query(`
      CREATE TABLE visit_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        filename text NOT NULL,
        imported_by uuid NOT NULL REFERENCES agents(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        visits_created integer NOT NULL,
        visits_existing integer NOT NULL,
        visitors_unmatched integer NOT NULL,
        lines_rejected integer NOT NULL,
        report jsonb NOT NULL
      )`);
    await q.query(`ALTER TABLE visits DROP CONSTRAINT visits_status_check`);
    await q.query(
      `ALTER TABLE visits ADD CONSTRAINT visits_status_check CHECK (status IN ('BOOKED','CANCELLED','IN_PROGRESS','DONE','NO_SHOW','REFUSED'))`,
    );
    await q.query(`ALTER TABLE visits DROP CONSTRAINT visits_channel_check`);
    await q.query(`ALTER TABLE visits ADD CONSTRAINT visits_channel_check CHECK (channel IN ('ONLINE','PHONE','IN_PERSON','GENESIS'))`);
    await q.query(`
      ALTER TABLE visits
        ADD COLUMN import_id uuid NULL REFERENCES visit_imports(id),
        ADD COLUMN review_reason text NULL,
        ADD COLUMN review_flagged_at timestamptz NULL,
        ADD COLUMN first_check_at timestamptz NULL,
        ADD COLUMN last_check_at timestamptz NULL,
        ADD COLUMN ended_at timestamptz NULL`);
    await q.query(`CREATE INDEX visits_day_idx ON visits (establishment_id, lower(during))`);
    await q.query(`CREATE INDEX visits_review_idx ON visits (establishment_id) WHERE review_reason IS NOT NULL`);

    await q.query(`ALTER TABLE visit_visitors DROP CONSTRAINT visit_visitors_pkey`);
    await q.query(`ALTER TABLE visit_visitors ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid()`);
    await q.query(`ALTER TABLE visit_visitors ADD CONSTRAINT visit_visitors_pkey PRIMARY KEY (id)`);
    await q.query(`ALTER TABLE visit_visitors ALTER COLUMN permit_id DROP NOT NULL`);
    await q.query(`ALTER TABLE visit_visitors ADD CONSTRAINT visit_visitors_permit_unique UNIQUE (visit_id, permit_id)`);
    await q.query(`
      ALTER TABLE visit_visitors
        ADD COLUMN given_name text NULL,
        ADD COLUMN family_name text NULL,
        ADD COLUMN birthdate date NULL,
        ADD COLUMN check_status text NULL CHECK (check_status IN ('ARRIVED','ABSENT','REFUSED')),
        ADD COLUMN refusal_reason text NULL CHECK (refusal_reason IN ('NO_ID','ID_MISMATCH','PERMIT_SUSPENDED','LATE','SECURITY')),
        ADD COLUMN checked_at timestamptz NULL,
        ADD COLUMN checked_by uuid NULL REFERENCES agents(id),
        ADD CONSTRAINT visit_visitors_identity CHECK (permit_id IS NOT NULL OR (given_name IS NOT NULL AND family_name IS NOT NULL)),
        ADD CONSTRAINT visit_visitors_refusal CHECK ((check_status IS NOT DISTINCT FROM 'REFUSED') = (refusal_reason IS NOT NULL)),
        ADD CONSTRAINT visit_visitors_checked CHECK ((check_status IS NULL) = (checked_at IS NULL))`);

    // A freed place offered to the waiting list is held (not bookable by others) until answered.
    await q.query(`ALTER TABLE visit_slots DROP CONSTRAINT visit_slots_capacity`);
    await q.query(`ALTER TABLE visit_slots ADD COLUMN held integer NOT NULL DEFAULT 0`);
    await q.query(
      `ALTER TABLE visit_slots ADD CONSTRAINT visit_slots_capacity CHECK (booked >= 0 AND held >= 0 AND booked + held <= capacity)`,
    );
    await q.query(`
      CREATE TABLE visit_waitlist (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        template_id uuid NOT NULL REFERENCES slot_templates(id),
        day date NOT NULL,
        starts_at timestamptz NOT NULL,
        family_account_id uuid NOT NULL REFERENCES family_accounts(id),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        permit_ids uuid[] NOT NULL CHECK (cardinality(permit_ids) > 0),
        status text NOT NULL DEFAULT 'WAITING' CHECK (status IN ('WAITING','OFFERED','BOOKED','EXPIRED','DECLINED','LEFT')),
        offered_at timestamptz NULL,
        offer_expires_at timestamptz NULL,
        visit_id uuid NULL REFERENCES visits(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT visit_waitlist_offer CHECK (status <> 'OFFERED' OR offer_expires_at IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX visit_waitlist_once ON visit_waitlist (family_account_id, detainee_id, template_id, day) WHERE status IN ('WAITING','OFFERED')`,
    );
    await q.query(`CREATE INDEX visit_waitlist_queue ON visit_waitlist (template_id, starts_at, created_at) WHERE status = 'WAITING'`);

    // "À revoir": whatever path suspends a permit or moves a detainee out, future visits get flagged.
    await q.query(`
      CREATE FUNCTION flag_visits_for_review() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE why text;
      BEGIN
        IF TG_TABLE_NAME = 'permits' THEN
          IF NEW.status IN ('SUSPENDED','WITHDRAWN') AND OLD.status IS DISTINCT FROM NEW.status THEN
            why := CASE NEW.status WHEN 'SUSPENDED' THEN 'Permis suspendu' ELSE 'Permis retiré' END || ' (' || NEW.visitor_given_name || ' ' || NEW.visitor_family_name || ')';
            UPDATE visits v SET review_reason = coalesce(v.review_reason || ' ; ', '') || why, review_flagged_at = now()
             WHERE v.status = 'BOOKED' AND lower(v.during) > now()
               AND EXISTS (SELECT 1 FROM visit_visitors vv WHERE vv.visit_id = v.id AND vv.permit_id = NEW.id AND vv.active);
          END IF;
        ELSIF NEW.custody_status <> 'PRESENT' AND OLD.custody_status = 'PRESENT' THEN
          why := CASE NEW.custody_status WHEN 'LIBERE' THEN 'Personne détenue libérée' ELSE 'Personne détenue transférée' END;
          UPDATE visits v SET review_reason = coalesce(v.review_reason || ' ; ', '') || why, review_flagged_at = now()
           WHERE v.detainee_id = NEW.id AND v.status = 'BOOKED' AND lower(v.during) > now();
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER permits_flag_visits AFTER UPDATE OF status ON permits FOR EACH ROW EXECUTE FUNCTION flag_visits_for_review()`,
    );
    await q.query(
      `CREATE TRIGGER detainees_flag_visits AFTER UPDATE OF custody_status ON detainees FOR EACH ROW EXECUTE FUNCTION flag_visits_for_review()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER detainees_flag_visits ON detainees`);
    await q.query(`DROP TRIGGER permits_flag_visits ON permits`);
    await q.query(`DROP FUNCTION flag_visits_for_review()`);
    await q.query(`DROP TABLE visit_waitlist`);
    await q.query(`ALTER TABLE visit_slots DROP CONSTRAINT visit_slots_capacity`);
    await q.query(`ALTER TABLE visit_slots DROP COLUMN held`);
    await q.query(`ALTER TABLE visit_slots ADD CONSTRAINT visit_slots_capacity CHECK (booked >= 0 AND booked <= capacity)`);
    await q.query(`DELETE FROM visit_visitors WHERE permit_id IS NULL OR visit_id IN (SELECT id FROM visits WHERE channel = 'GENESIS')`);
    await q.query(`DELETE FROM visits WHERE channel = 'GENESIS'`);
    await q.query(`ALTER TABLE visit_visitors DROP CONSTRAINT visit_visitors_pkey`);
    await q.query(`ALTER TABLE visit_visitors DROP CONSTRAINT visit_visitors_permit_unique`);
    for (const c of ['id', 'given_name', 'family_name', 'birthdate', 'check_status', 'refusal_reason', 'checked_at', 'checked_by'])
      await q.query(`ALTER TABLE visit_visitors DROP COLUMN ${c}`);
    await q.query(`ALTER TABLE visit_visitors ALTER COLUMN permit_id SET NOT NULL`);
    await q.query(`ALTER TABLE visit_visitors ADD CONSTRAINT visit_visitors_pkey PRIMARY KEY (visit_id, permit_id)`);
    await q.query(`DROP INDEX visits_review_idx`);
    await q.query(`DROP INDEX visits_day_idx`);
    await q.query(`UPDATE visits SET status = 'NO_SHOW' WHERE status = 'REFUSED'`);
    for (const c of ['import_id', 'review_reason', 'review_flagged_at', 'first_check_at', 'last_check_at', 'ended_at'])
      await q.query(`ALTER TABLE visits DROP COLUMN ${c}`);
    await q.query(`ALTER TABLE visits DROP CONSTRAINT visits_channel_check`);
    await q.query(`ALTER TABLE visits ADD CONSTRAINT visits_channel_check CHECK (channel IN ('ONLINE','PHONE','IN_PERSON'))`);
    await q.query(`ALTER TABLE visits DROP CONSTRAINT visits_status_check`);
    await q.query(
      `ALTER TABLE visits ADD CONSTRAINT visits_status_check CHECK (status IN ('BOOKED','CANCELLED','IN_PROGRESS','DONE','NO_SHOW'))`,
    );
    await q.query(`DROP TABLE visit_imports`);
    await q.query(`ALTER TABLE visit_settings DROP COLUMN waitlist_offer_hours`);
    await q.query(`DROP FUNCTION unaccent_fold(text)`);
    await q.query(`ALTER TABLE detainees DROP COLUMN housing`);
  }
}
