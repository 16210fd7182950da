import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes found missing by `npm run bench` on the national dataset (issue #15: every statement of the
 * measured pages planned with EXPLAIN, no sequential scan of a large table):
 * - visit_visitors (permit_id): the visits a permit has served (its `max_visits` limit, shown on the
 *   day list, the visit page, the booking and the permit pages) were counted by reading the whole
 *   table for each visitor: 1 s for the busiest day list on the 1 % dataset, several at national
 *   scale. The exclusion index (permit_id, during) only holds active rows.
 */
export class NationalScaleIndexes1763903200000 implements MigrationInterface {
  name = 'NationalScaleIndexes1763903200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX visit_visitors_permit_idx ON visit_visitors (permit_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX visit_visitors_permit_idx`);
  }
}
