import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Demander un permis de visite" tapped twice made two drafts. A family now has at most one empty
 * draft (a draft whose detainee is not chosen yet: nothing answered): the button opens that one if it
 * exists, and the unique index holds this against two requests at once. Empty drafts made twice
 * before this migration are merged into the newest; the files of any document sent to an older one
 * (possible by hand only) are deleted by the orphan-file sweep once their records are gone.
 */
export class OneEmptyDraft1763902500000 implements MigrationInterface {
  name = 'OneEmptyDraft1763902500000';

  public async up(q: QueryRunner): Promise<void> {
    const older = `SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY family_account_id ORDER BY created_at DESC, id DESC) AS n
          FROM permit_requests WHERE status = 'DRAFT' AND detainee_id IS NULL) d
       WHERE n > 1`;
    await q.query(`DELETE FROM permit_documents WHERE request_id IN (${older})`);
    await q.query(`DELETE FROM permit_request_events WHERE request_id IN (${older})`);
    await q.query(`DELETE FROM permit_requests WHERE id IN (${older})`);
    await q.query(`
      CREATE UNIQUE INDEX permit_requests_one_empty_draft ON permit_requests (family_account_id)
       WHERE status = 'DRAFT' AND detainee_id IS NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX permit_requests_one_empty_draft`);
  }
}
