import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Found by `npm run bench` once the national dataset held UVF / PF cases (issue #15): a family's stays
 * and requests are those it filed or made for a permit it holds. Looking them up by the permit read the
 * whole of family_visit_requests and permits (a hash join, 116 ms for one family); the requests of a
 * permit are now found by index.
 */
export class FamilyRequestsByPermit1763903500000 implements MigrationInterface {
  name = 'FamilyRequestsByPermit1763903500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX family_visit_requests_by_permit_idx ON family_visit_requests (permit_id) WHERE permit_id IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX family_visit_requests_by_permit_idx`);
  }
}
