import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * « Mes données » reads a family's whole data by the account (src/my-data/my-data.queries.ts). Three of
 * its statements found no index and would read a whole table at national scale: a request's documents
 * (only the current main ones were indexed, by the uniqueness they keep), a UVF / PF request's history
 * (indexed by case only) and a family's waiting-list entries (indexed only while waiting or offered).
 */
export class FamilyDataIndexes1763903700000 implements MigrationInterface {
  name = 'FamilyDataIndexes1763903700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX permit_documents_request_idx ON permit_documents (request_id) WHERE request_id IS NOT NULL`);
    await q.query(`CREATE INDEX family_visit_events_request_idx ON family_visit_events (request_id) WHERE request_id IS NOT NULL`);
    await q.query(`CREATE INDEX visit_waitlist_family_idx ON visit_waitlist (family_account_id, starts_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX visit_waitlist_family_idx`);
    await q.query(`DROP INDEX family_visit_events_request_idx`);
    await q.query(`DROP INDEX permit_documents_request_idx`);
  }
}
