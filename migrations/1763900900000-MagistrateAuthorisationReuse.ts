import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A magistrate's authorisation of a prévenu's UVF / PF access is reused (note DAP of 4 December 2014,
 * A.5.a, « le magistrat donne une autorisation permanente ou temporaire d'accès »), and its follow-up
 * after an incident is recorded (« sollicité pour décision de maintien ou d'annulation de l'autorisation »):
 * - family_visit_requests.reused_authorisation_from: a request the head granted within the magistrate's
 *   authorisation held by an earlier request (same detainee, same kind, same applicant), never one the
 *   magistrate answered himself;
 * - authorisation_followup / authorisation_followup_on: on the request that holds a magistrate's
 *   authorisation (permanent or temporary), the magistrate's decision after an incident, maintained or
 *   withdrawn (annulée), and its date; both or neither.
 */
export class MagistrateAuthorisationReuse1763900900000 implements MigrationInterface {
  name = 'MagistrateAuthorisationReuse1763900900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_requests ADD COLUMN reused_authorisation_from uuid NULL REFERENCES family_visit_requests(id)`);
    await q.query(`
      ALTER TABLE family_visit_requests ADD CONSTRAINT family_visit_requests_reused_authorisation
        CHECK (reused_authorisation_from IS NULL OR (NOT decided_by_magistrate AND reused_authorisation_from <> id))`);
    await q.query(`
      CREATE INDEX family_visit_requests_reused_authorisation_idx ON family_visit_requests (reused_authorisation_from)
        WHERE reused_authorisation_from IS NOT NULL`);
    await q.query(`
      ALTER TABLE family_visit_requests ADD COLUMN authorisation_followup text NULL
        CONSTRAINT family_visit_requests_authorisation_followup_check CHECK (authorisation_followup IN ('MAINTAINED','WITHDRAWN'))`);
    await q.query(`ALTER TABLE family_visit_requests ADD COLUMN authorisation_followup_on date NULL`);
    await q.query(`
      ALTER TABLE family_visit_requests ADD CONSTRAINT family_visit_requests_authorisation_followup
        CHECK ((authorisation_followup IS NULL) = (authorisation_followup_on IS NULL)
               AND (authorisation_followup IS NULL OR (decided_by_magistrate AND magistrate_answer IN ('PERMANENT','TEMPORARY'))))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_requests DROP CONSTRAINT family_visit_requests_authorisation_followup`);
    await q.query(`ALTER TABLE family_visit_requests DROP COLUMN authorisation_followup_on`);
    await q.query(`ALTER TABLE family_visit_requests DROP COLUMN authorisation_followup`);
    await q.query(`DROP INDEX family_visit_requests_reused_authorisation_idx`);
    await q.query(`ALTER TABLE family_visit_requests DROP CONSTRAINT family_visit_requests_reused_authorisation`);
    await q.query(`ALTER TABLE family_visit_requests DROP COLUMN reused_authorisation_from`);
  }
}
