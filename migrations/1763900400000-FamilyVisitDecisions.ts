import { MigrationInterface, QueryRunner } from 'typeorm';

const PERMIT_KINDS = `'ACKNOWLEDGEMENT','REFUSAL','GRANT','REEXAMINATION','INTENDED_MEASURE','SUSPENSION','WITHDRAWAL','REFERRAL','CLAIM_CODE','CONDITIONS'`;
const FAMILY_VISIT_KINDS = `'FV_GRANT','FV_REFUSAL','FV_IMPLICIT_REJECTION','FV_REFERRAL','FV_MAGISTRATE_DECISION','FV_JAP_NOTICE','FV_INCIDENT'`;

/**
 * The decisions on UVF / PF requests (issue 11, note DAP of 4 December 2014):
 * - the letters register becomes the establishment's one register of outgoing letters (`letters`,
 *   formerly `permit_letters`): a letter is about a permit request, a permit, or a UVF / PF case
 *   (and one of its requests). Decision letters to the detainee and to each relative, the transmission
 *   to the magistrate, the notice to the JAP and the incident reports are kept there as issued;
 * - a refusal (of a permit, of a UVF / PF request) and an implicit rejection cannot be recorded without
 *   the recourse routes and the R. 421-1 mention (`body.recourse`, drawn by letterPdf);
 * - a request's decision keeps the facts apart from the motivation, and a PF's one or two cumulated slots.
 */
export class FamilyVisitDecisions1763900400000 implements MigrationInterface {
  name = 'FamilyVisitDecisions1763900400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE permit_letters RENAME TO letters`);
    await q.query(`ALTER TABLE letters ADD COLUMN family_visit_case_id uuid NULL REFERENCES family_visit_cases(id)`);
    await q.query(`ALTER TABLE letters ADD COLUMN family_visit_request_id uuid NULL REFERENCES family_visit_requests(id)`);
    await q.query(`ALTER TABLE letters DROP CONSTRAINT permit_letters_kind_check`);
    await q.query(`ALTER TABLE letters ADD CONSTRAINT letters_kind_check CHECK (kind IN (${PERMIT_KINDS},${FAMILY_VISIT_KINDS}))`);
    await q.query(`ALTER TABLE letters DROP CONSTRAINT permit_letters_subject`);
    await q.query(`
      ALTER TABLE letters ADD CONSTRAINT letters_subject CHECK (
        CASE WHEN kind LIKE 'FV\\_%' THEN family_visit_case_id IS NOT NULL AND request_id IS NULL AND permit_id IS NULL
             ELSE family_visit_case_id IS NULL AND family_visit_request_id IS NULL AND (request_id IS NOT NULL OR permit_id IS NOT NULL) END)`);
    await q.query(`
      ALTER TABLE letters ADD CONSTRAINT letters_recourse CHECK (
        kind NOT IN ('REFUSAL','FV_REFUSAL','FV_IMPLICIT_REJECTION') OR body @> '{"recourse": true}'::jsonb)`);
    await q.query(`CREATE INDEX letters_family_visit_case_idx ON letters (family_visit_case_id) WHERE family_visit_case_id IS NOT NULL`);

    await q.query(`ALTER TABLE family_visit_requests ADD COLUMN decision_facts text NULL`);
    await q.query(`ALTER TABLE family_visit_requests ADD COLUMN granted_slots smallint NULL CHECK (granted_slots IN (1, 2))`);
    await q.query(`ALTER TABLE family_visit_requests ADD COLUMN decided_by_magistrate boolean NOT NULL DEFAULT false`);
    await q.query(`
      ALTER TABLE family_visit_requests ADD CONSTRAINT family_visit_requests_refusal_facts
        CHECK (status <> 'REFUSED' OR decided_by_magistrate OR length(trim(decision_facts)) > 0)`);
    await q.query(`
      ALTER TABLE family_visit_requests ADD CONSTRAINT family_visit_requests_magistrate
        CHECK ((magistrate_answer IS NULL) = NOT decided_by_magistrate
               AND (magistrate_answer IS DISTINCT FROM 'TEMPORARY' OR magistrate_until IS NOT NULL))`);
    await q.query(`
      ALTER TABLE family_visit_cases ADD CONSTRAINT family_visit_cases_referral
        CHECK (referred_at IS NULL OR (length(trim(magistrate)) > 0 AND length(trim(referral_opinion)) > 0 AND proposed_hours IS NOT NULL))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_cases DROP CONSTRAINT family_visit_cases_referral`);
    await q.query(`ALTER TABLE family_visit_requests DROP CONSTRAINT family_visit_requests_magistrate`);
    await q.query(`ALTER TABLE family_visit_requests DROP CONSTRAINT family_visit_requests_refusal_facts`);
    await q.query(`ALTER TABLE family_visit_requests DROP COLUMN decided_by_magistrate`);
    await q.query(`ALTER TABLE family_visit_requests DROP COLUMN granted_slots`);
    await q.query(`ALTER TABLE family_visit_requests DROP COLUMN decision_facts`);
    await q.query(`DELETE FROM letters WHERE kind LIKE 'FV\\_%'`);
    await q.query(`DROP INDEX letters_family_visit_case_idx`);
    await q.query(`ALTER TABLE letters DROP CONSTRAINT letters_recourse`);
    await q.query(`ALTER TABLE letters DROP CONSTRAINT letters_subject`);
    await q.query(`ALTER TABLE letters ADD CONSTRAINT permit_letters_subject CHECK (request_id IS NOT NULL OR permit_id IS NOT NULL)`);
    await q.query(`ALTER TABLE letters DROP CONSTRAINT letters_kind_check`);
    await q.query(`ALTER TABLE letters ADD CONSTRAINT permit_letters_kind_check CHECK (kind IN (${PERMIT_KINDS}))`);
    await q.query(`ALTER TABLE letters DROP COLUMN family_visit_request_id`);
    await q.query(`ALTER TABLE letters DROP COLUMN family_visit_case_id`);
    await q.query(`ALTER TABLE letters RENAME TO permit_letters`);
  }
}
