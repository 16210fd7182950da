import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Changes to booked UVF / PF stays and the units' own rules (issue 11, note DAP 2014):
 * - family_units.house_rules: the unit's rules drawn from the establishment's règlement intérieur
 *   (forbidden items, hours, what to bring), shown to the family with its booked stay;
 * - a cancelled stay, like a stay ended early, keeps its reason: the check on end_reason now covers
 *   both, and no longer lets a missing reason through (NULL made the old check pass).
 */
export class FamilyStayChanges1763900600000 implements MigrationInterface {
  name = 'FamilyStayChanges1763900600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE family_units ADD COLUMN house_rules text NULL
        CONSTRAINT family_units_house_rules_length CHECK (length(trim(house_rules)) > 0 AND length(house_rules) <= 4000)`);
    // Rows written before the reason was required (none through the application) get a neutral one.
    await q.query(`
      UPDATE family_visit_stays SET end_reason = 'Motif non enregistré'
       WHERE status IN ('ENDED_EARLY','CANCELLED') AND coalesce(length(trim(end_reason)), 0) = 0`);
    await q.query(`ALTER TABLE family_visit_stays DROP CONSTRAINT family_visit_stays_early_end`);
    await q.query(`
      ALTER TABLE family_visit_stays ADD CONSTRAINT family_visit_stays_end_reason
        CHECK ((status IN ('ENDED_EARLY','CANCELLED')) = coalesce(length(trim(end_reason)) > 0, false))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_stays DROP CONSTRAINT family_visit_stays_end_reason`);
    await q.query(`UPDATE family_visit_stays SET end_reason = NULL WHERE status = 'CANCELLED'`);
    await q.query(`
      ALTER TABLE family_visit_stays ADD CONSTRAINT family_visit_stays_early_end
        CHECK ((status = 'ENDED_EARLY') = (length(trim(end_reason)) > 0))`);
    await q.query(`ALTER TABLE family_units DROP COLUMN house_rules`);
  }
}
