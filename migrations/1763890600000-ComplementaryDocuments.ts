import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complementary documents add up: a request may hold several current documents of one complementary
 * kind (both parents' consents, several proofs of life together). The photo, the identity document and
 * the proof of address stay one current file each (a new one replaces the previous one).
 */
export class ComplementaryDocuments1763890600000 implements MigrationInterface {
  name = 'ComplementaryDocuments1763890600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX permit_documents_current_idx`);
    await q.query(
      `CREATE UNIQUE INDEX permit_documents_current_idx ON permit_documents (request_id, kind)
        WHERE current AND kind IN ('PHOTO','ID_DOCUMENT','PROOF_OF_ADDRESS')`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // Keep the latest complementary document of each kind current, as the former index requires.
    await q.query(`
      UPDATE permit_documents p SET current = false
       WHERE current AND EXISTS (SELECT 1 FROM permit_documents n WHERE n.request_id = p.request_id AND n.kind = p.kind AND n.current
                                   AND (n.created_at, n.id) > (p.created_at, p.id))`);
    await q.query(`DROP INDEX permit_documents_current_idx`);
    await q.query(`CREATE UNIQUE INDEX permit_documents_current_idx ON permit_documents (request_id, kind) WHERE current`);
  }
}
