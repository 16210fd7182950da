import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rules corrected (issue 13):
 * - legal majority (18, code civil art. 414) is no setting: `visit_settings.majority_age` goes; the weekly
 *   figures of L341-2/3 are floors, the columns `weekly_prevenu` / `weekly_condamne` the establishment's
 *   caps, kept at or above them by their check constraints;
 * - a minor of 16 or more may visit alone in an ordinary parloir with the written consent of the
 *   parental-authority holders, recorded on the permit by the greffe: when, by whom, with the document
 *   (one of the request's, or a description of the paper one);
 * - a GENESIS population import is previewed before it is applied: the file waits in
 *   `detainee_import_previews` until the administrator confirms it (or another preview replaces it).
 */
export class VisitRules1763902800000 implements MigrationInterface {
  name = 'VisitRules1763902800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visit_settings DROP COLUMN majority_age`);
    await q.query(`
      ALTER TABLE permits
        ADD COLUMN unaccompanied_consent_at timestamptz NULL,
        ADD COLUMN unaccompanied_consent_by uuid NULL REFERENCES agents(id),
        ADD COLUMN unaccompanied_consent_document_id uuid NULL REFERENCES permit_documents(id),
        ADD COLUMN unaccompanied_consent_note text NULL,
        ADD CONSTRAINT permits_unaccompanied_consent_cleared CHECK (unaccompanied_consent_at IS NOT NULL OR
          (unaccompanied_consent_document_id IS NULL AND unaccompanied_consent_note IS NULL AND unaccompanied_consent_by IS NULL)),
        ADD CONSTRAINT permits_unaccompanied_consent_document CHECK (unaccompanied_consent_at IS NULL OR
          unaccompanied_consent_document_id IS NOT NULL OR length(trim(coalesce(unaccompanied_consent_note, ''))) > 0)`);
    await q.query(`
      CREATE TABLE detainee_import_previews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        agent_id uuid NULL REFERENCES agents(id),
        file_name text NOT NULL,
        content text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX detainee_import_previews_establishment ON detainee_import_previews (establishment_id, created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE detainee_import_previews`);
    await q.query(`
      ALTER TABLE permits
        DROP CONSTRAINT permits_unaccompanied_consent_document,
        DROP CONSTRAINT permits_unaccompanied_consent_cleared,
        DROP COLUMN unaccompanied_consent_note,
        DROP COLUMN unaccompanied_consent_document_id,
        DROP COLUMN unaccompanied_consent_by,
        DROP COLUMN unaccompanied_consent_at`);
    await q.query(`ALTER TABLE visit_settings ADD COLUMN majority_age integer NOT NULL DEFAULT 18 CHECK (majority_age BETWEEN 12 AND 21)`);
  }
}
