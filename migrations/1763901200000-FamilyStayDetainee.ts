import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One detainee in one place (issue 11, audit gap 4): a detainee is never in two UVF / PF stays at once,
 * whether a UVF and a PF or two units of the same kind.
 * - family_visit_stays.detainee_id: the detainee of the stay's case, backfilled from the case, NOT NULL,
 *   a foreign key to detainees; a trigger keeps it equal to the case's detainee on every insert and on
 *   any change of case_id or detainee_id (so every writer, the demo and the tests' factories included,
 *   gets it right without naming it);
 * - family_visit_stays_detainee_no_overlap: an exclusion constraint on (detainee_id WITH =, during
 *   WITH &&) ignoring cancelled stays, like the per-unit family_visit_stays_no_overlap. Should existing
 *   rows overlap, adding it fails and names the rows: cancel one of the two stays, then migrate again.
 */
export class FamilyStayDetainee1763901200000 implements MigrationInterface {
  name = 'FamilyStayDetainee1763901200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_stays ADD COLUMN detainee_id uuid NULL REFERENCES detainees(id)`);
    await q.query(`UPDATE family_visit_stays s SET detainee_id = c.detainee_id FROM family_visit_cases c WHERE c.id = s.case_id`);
    await q.query(`ALTER TABLE family_visit_stays ALTER COLUMN detainee_id SET NOT NULL`);
    await q.query(`
      CREATE FUNCTION family_visit_stays_detainee() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.detainee_id := (SELECT detainee_id FROM family_visit_cases WHERE id = NEW.case_id);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER family_visit_stays_detainee BEFORE INSERT OR UPDATE OF case_id, detainee_id ON family_visit_stays
        FOR EACH ROW EXECUTE FUNCTION family_visit_stays_detainee()`);
    await q.query(`
      ALTER TABLE family_visit_stays ADD CONSTRAINT family_visit_stays_detainee_no_overlap
        EXCLUDE USING gist (detainee_id WITH =, during WITH &&) WHERE (status <> 'CANCELLED')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_stays DROP CONSTRAINT family_visit_stays_detainee_no_overlap`);
    await q.query(`DROP TRIGGER family_visit_stays_detainee ON family_visit_stays`);
    await q.query(`DROP FUNCTION family_visit_stays_detainee()`);
    await q.query(`ALTER TABLE family_visit_stays DROP COLUMN detainee_id`);
  }
}
