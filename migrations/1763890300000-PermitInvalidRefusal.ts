import { MigrationInterface, QueryRunner } from 'typeorm';

const PREVIOUS_FLAG_FUNCTION = `
      CREATE OR REPLACE FUNCTION flag_visits_for_review() RETURNS trigger LANGUAGE plpgsql AS $$
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
      END $$`;

const FLAG_FUNCTION = `
      CREATE OR REPLACE FUNCTION flag_visits_for_review() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE why text;
      BEGIN
        IF TG_TABLE_NAME = 'permits' THEN
          IF NEW.status IN ('ON_HOLD','SUSPENDED','WITHDRAWN') AND OLD.status IS DISTINCT FROM NEW.status THEN
            why := CASE NEW.status WHEN 'SUSPENDED' THEN 'Permis suspendu' WHEN 'ON_HOLD' THEN 'Permis en attente de la réponse du magistrat'
                   ELSE 'Permis retiré' END || ' (' || NEW.visitor_given_name || ' ' || NEW.visitor_family_name || ')';
            UPDATE visits v SET review_reason = coalesce(v.review_reason || ' ; ', '') || why, review_flagged_at = now()
             WHERE v.status = 'BOOKED' AND lower(v.during) > now()
               AND EXISTS (SELECT 1 FROM visit_visitors vv WHERE vv.visit_id = v.id AND vv.permit_id = NEW.id AND vv.active);
          ELSIF NEW.status = 'ACTIVE' AND (OLD.valid_to IS DISTINCT FROM NEW.valid_to OR OLD.room_condition IS DISTINCT FROM NEW.room_condition
                 OR OLD.allowed_days IS DISTINCT FROM NEW.allowed_days OR OLD.allowed_from IS DISTINCT FROM NEW.allowed_from
                 OR OLD.allowed_to IS DISTINCT FROM NEW.allowed_to) THEN
            -- New limits or conditions (R341-1): the visits already booked that no longer meet them.
            why := 'Conditions du permis non respectées (' || NEW.visitor_given_name || ' ' || NEW.visitor_family_name || ')';
            UPDATE visits v SET review_reason = coalesce(v.review_reason || ' ; ', '') || why, review_flagged_at = now()
              FROM visit_slots s JOIN visiting_rooms r ON r.id = s.room_id JOIN establishments e ON e.id = r.establishment_id
             WHERE s.id = v.slot_id AND v.status = 'BOOKED' AND lower(v.during) > now()
               AND EXISTS (SELECT 1 FROM visit_visitors vv WHERE vv.visit_id = v.id AND vv.permit_id = NEW.id AND vv.active)
               AND ((NEW.valid_to IS NOT NULL AND (lower(v.during) AT TIME ZONE e.time_zone)::date > NEW.valid_to)
                 OR (NEW.room_condition IS NOT NULL AND r.kind <> NEW.room_condition)
                 OR (NEW.allowed_days IS NOT NULL
                     AND NOT (extract(isodow FROM lower(v.during) AT TIME ZONE e.time_zone)::smallint = ANY (NEW.allowed_days)))
                 OR (NEW.allowed_from IS NOT NULL AND ((lower(v.during) AT TIME ZONE e.time_zone)::time < NEW.allowed_from
                                                       OR (upper(v.during) AT TIME ZONE e.time_zone)::time > NEW.allowed_to)));
          END IF;
        ELSIF NEW.custody_status <> 'PRESENT' AND OLD.custody_status = 'PRESENT' THEN
          why := CASE NEW.custody_status WHEN 'LIBERE' THEN 'Personne détenue libérée' ELSE 'Personne détenue transférée' END;
          UPDATE visits v SET review_reason = coalesce(v.review_reason || ' ; ', '') || why, review_flagged_at = now()
           WHERE v.detainee_id = NEW.id AND v.status = 'BOOKED' AND lower(v.during) > now();
        END IF;
        RETURN NEW;
      END $$`;

/**
 * A visitor refused at the door because the permit does not allow this visit (expired, used up,
 * not yet valid, on hold, or a condition of place or time not met: R341-1): its own reason,
 * « Permis non valable pour cette visite », apart from a suspension. And "À revoir" follows: a permit
 * put on hold for the magistrate flags its future visits like a suspension, and new limits or
 * conditions flag the future visits that no longer meet them.
 */
export class PermitInvalidRefusal1763890300000 implements MigrationInterface {
  name = 'PermitInvalidRefusal1763890300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visit_visitors DROP CONSTRAINT visit_visitors_refusal_reason_check`);
    await q.query(`
      ALTER TABLE visit_visitors ADD CONSTRAINT visit_visitors_refusal_reason_check
        CHECK (refusal_reason IN ('NO_ID','ID_MISMATCH','PERMIT_SUSPENDED','PERMIT_INVALID','LATE','SECURITY'))`);
    await q.query(FLAG_FUNCTION);
    await q.query(`DROP TRIGGER permits_flag_visits ON permits`);
    await q.query(
      `CREATE TRIGGER permits_flag_visits AFTER UPDATE OF status, valid_to, room_condition, allowed_days, allowed_from, allowed_to ON permits
       FOR EACH ROW EXECUTE FUNCTION flag_visits_for_review()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER permits_flag_visits ON permits`);
    await q.query(
      `CREATE TRIGGER permits_flag_visits AFTER UPDATE OF status ON permits FOR EACH ROW EXECUTE FUNCTION flag_visits_for_review()`,
    );
    await q.query(PREVIOUS_FLAG_FUNCTION);
    await q.query(`UPDATE visit_visitors SET refusal_reason = 'PERMIT_SUSPENDED' WHERE refusal_reason = 'PERMIT_INVALID'`);
    await q.query(`ALTER TABLE visit_visitors DROP CONSTRAINT visit_visitors_refusal_reason_check`);
    await q.query(`
      ALTER TABLE visit_visitors ADD CONSTRAINT visit_visitors_refusal_reason_check
        CHECK (refusal_reason IN ('NO_ID','ID_MISMATCH','PERMIT_SUSPENDED','LATE','SECURITY'))`);
  }
}
