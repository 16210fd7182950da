import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stays at the door (issue 11). One detainee in one place (audit gap 4): a detainee is never in two
 * UVF / PF stays at once, whether a UVF and a PF or two units of the same kind.
 * - family_visit_stays.detainee_id: the detainee of the stay's case, backfilled from the case, NOT NULL,
 *   a foreign key to detainees; a trigger keeps it equal to the case's detainee on every insert and on
 *   any change of case_id or detainee_id (so every writer, the demo and the tests' factories included,
 *   gets it right without naming it);
 * - family_visit_stays_detainee_no_overlap: an exclusion constraint on (detainee_id WITH =, during
 *   WITH &&) ignoring cancelled stays, like the per-unit family_visit_stays_no_overlap. Should existing
 *   rows overlap, adding it fails and names the rows: cancel one of the two stays, then migrate again.
 * And an intervention in a stay (audit gap 14) records its cause (note DAP 2014, UVF D.2.c: « à la
 * demande des personnes présentes dans l'UVF, en cas d'incident ou en cas de suspicion d'incident ») and,
 * on an incident or a suspicion, who decided it (« ne peut avoir lieu que sur décision du chef
 * d'établissement ou d'un personnel ayant reçu délégation »): family_visit_stay_events.intervention_cause
 * (CALL / INCIDENT, INTERVENTION entries only) and decided_by, set exactly for an intervention on
 * incident. Interventions recorded before keep neither.
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
    await q.query(`
      ALTER TABLE family_visit_stay_events
        ADD COLUMN intervention_cause text NULL CHECK (intervention_cause IN ('CALL','INCIDENT')),
        ADD COLUMN decided_by uuid NULL REFERENCES agents(id),
        ADD CONSTRAINT family_visit_stay_events_intervention
          CHECK ((intervention_cause IS NULL OR kind = 'INTERVENTION')
                 AND coalesce(intervention_cause = 'INCIDENT', false) = (decided_by IS NOT NULL))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE family_visit_stay_events
        DROP CONSTRAINT family_visit_stay_events_intervention, DROP COLUMN decided_by, DROP COLUMN intervention_cause`);
    await q.query(`ALTER TABLE family_visit_stays DROP CONSTRAINT family_visit_stays_detainee_no_overlap`);
    await q.query(`DROP TRIGGER family_visit_stays_detainee ON family_visit_stays`);
    await q.query(`DROP FUNCTION family_visit_stays_detainee()`);
    await q.query(`ALTER TABLE family_visit_stays DROP COLUMN detainee_id`);
  }
}
