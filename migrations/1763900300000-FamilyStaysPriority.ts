import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The waiting list of the units (issue 11, note DAP 2014): when demand exceeds capacity, priority goes
 * to detainees who cannot get leave (permission de sortir) and, for PF, to families living far away.
 */
export class FamilyStaysPriority1763900300000 implements MigrationInterface {
  name = 'FamilyStaysPriority1763900300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_cases ADD COLUMN no_leave_possible boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE family_visit_cases ADD COLUMN distance_km integer NULL CHECK (distance_km >= 0)`);
    await q.query(`CREATE INDEX family_visit_stays_unit_idx ON family_visit_stays (unit_id, lower(during))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX family_visit_stays_unit_idx`);
    await q.query(`ALTER TABLE family_visit_cases DROP COLUMN distance_km`);
    await q.query(`ALTER TABLE family_visit_cases DROP COLUMN no_leave_possible`);
  }
}
