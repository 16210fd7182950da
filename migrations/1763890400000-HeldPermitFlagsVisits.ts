import { MigrationInterface, QueryRunner } from 'typeorm';

const FLAG = (statuses: string, why: string) => `
  CREATE OR REPLACE FUNCTION flag_visits_for_review() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE why text;
  BEGIN
    IF TG_TABLE_NAME = 'permits' THEN
      IF NEW.status IN (${statuses}) AND OLD.status IS DISTINCT FROM NEW.status THEN
        why := ${why} || ' (' || NEW.visitor_given_name || ' ' || NEW.visitor_family_name || ')';
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

/**
 * A permit put on hold while the magistrate is referred to (R341-3 1°) stops visits like a
 * suspension: the visits booked with it are flagged « À revoir » as well.
 */
export class HeldPermitFlagsVisits1763890400000 implements MigrationInterface {
  name = 'HeldPermitFlagsVisits1763890400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      FLAG(
        `'SUSPENDED','WITHDRAWN','ON_HOLD'`,
        `CASE NEW.status WHEN 'SUSPENDED' THEN 'Permis suspendu' WHEN 'ON_HOLD' THEN 'Permis en attente de la décision du magistrat' ELSE 'Permis retiré' END`,
      ),
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(FLAG(`'SUSPENDED','WITHDRAWN'`, `CASE NEW.status WHEN 'SUSPENDED' THEN 'Permis suspendu' ELSE 'Permis retiré' END`));
  }
}
