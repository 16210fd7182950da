import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * UVF / PF requests (issue 11, audit gaps 6, 12 and 13):
 * - family_visit_requests.wished_from / wished_to / wished_hours: each request keeps its own wished
 *   period and duration (the case keeps the first request's); existing rows take the case's, and a
 *   row inserted without them (older code, seeds) takes the case's too (trigger), with the case's checks;
 * - family_visit_requests.withdrawn_at: when the applicant withdrew the request (status WITHDRAWN);
 * - family_visit_documents.consent_companion: the accompanying adult the parental consent names
 *   (« cet accord doit préciser le nom et prénom de l'adulte qui accompagnera »), a consent only.
 */
export class FamilyVisitRequestWish1763901000000 implements MigrationInterface {
  name = 'FamilyVisitRequestWish1763901000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE family_visit_requests
        ADD COLUMN wished_from date NULL,
        ADD COLUMN wished_to date NULL,
        ADD COLUMN wished_hours integer NULL CONSTRAINT family_visit_requests_wished_hours CHECK (wished_hours BETWEEN 1 AND 72),
        ADD COLUMN withdrawn_at timestamptz NULL`);
    await q.query(`
      UPDATE family_visit_requests r SET wished_from = c.wished_from, wished_to = c.wished_to, wished_hours = c.wished_hours
        FROM family_visit_cases c WHERE c.id = r.case_id`);
    await q.query(`
      ALTER TABLE family_visit_requests
        ALTER COLUMN wished_from SET NOT NULL,
        ALTER COLUMN wished_to SET NOT NULL,
        ALTER COLUMN wished_hours SET NOT NULL,
        ADD CONSTRAINT family_visit_requests_wished_period CHECK (wished_to >= wished_from),
        ADD CONSTRAINT family_visit_requests_withdrawn CHECK (status = 'WITHDRAWN' OR withdrawn_at IS NULL)`);
    await q.query(`
      CREATE FUNCTION family_visit_requests_wish() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE c record;
      BEGIN
        IF NEW.wished_from IS NULL OR NEW.wished_to IS NULL OR NEW.wished_hours IS NULL THEN
          SELECT wished_from, wished_to, wished_hours INTO c FROM family_visit_cases WHERE id = NEW.case_id;
          NEW.wished_from := coalesce(NEW.wished_from, c.wished_from);
          NEW.wished_to := coalesce(NEW.wished_to, c.wished_to);
          NEW.wished_hours := coalesce(NEW.wished_hours, c.wished_hours);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER family_visit_requests_wish BEFORE INSERT ON family_visit_requests
        FOR EACH ROW EXECUTE FUNCTION family_visit_requests_wish()`);
    await q.query(`
      ALTER TABLE family_visit_documents ADD COLUMN consent_companion text NULL
        CONSTRAINT family_visit_documents_consent_companion
          CHECK (consent_companion IS NULL OR (kind = 'PARENTAL_CONSENT' AND length(trim(consent_companion)) > 0))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_documents DROP COLUMN consent_companion`);
    await q.query(`DROP TRIGGER family_visit_requests_wish ON family_visit_requests`);
    await q.query(`DROP FUNCTION family_visit_requests_wish()`);
    await q.query(`
      ALTER TABLE family_visit_requests
        DROP CONSTRAINT family_visit_requests_withdrawn,
        DROP CONSTRAINT family_visit_requests_wished_period,
        DROP COLUMN withdrawn_at,
        DROP COLUMN wished_hours,
        DROP COLUMN wished_to,
        DROP COLUMN wished_from`);
  }
}
