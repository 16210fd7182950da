import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A family's « Mes visites » reads its last 100 visits, newest first (src/visits/visit.queries.ts). The
 * visits were found by the idempotency key's index (family, key), all of them, then sorted: with ten years
 * of history (`npm run data:national -- --years=10`) a regular family holds hundreds, and the statement
 * joined every one of them, reading the detainees' whole table (EXPLAIN: a hash join on a sequential
 * scan, 700 ms cold for 809 visits). By family and day, the 100 newest are read in order and nothing more.
 */
export class VisitsFamilyDayIndex1763904100000 implements MigrationInterface {
  name = 'VisitsFamilyDayIndex1763904100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX visits_family_day_idx ON visits (family_account_id, lower(during)) WHERE family_account_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX visits_family_day_idx`);
  }
}
