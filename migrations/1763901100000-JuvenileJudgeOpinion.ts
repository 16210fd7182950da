import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Minors in the SPIP instruction of UVF / PF requests (issue 11, note DAP 2014 A.4 and PF A.4):
 * - family_visit_juvenile_judge_opinions: for a minor's request, whether the SPIP knows of a follow-up
 *   by a juge des enfants (assistance éducative or a penal measure) and, if so, the opinion asked
 *   through the PJJ service in charge of the measure (service, day asked) and received (opinion, day,
 *   notes); one row per request, kept up to date by the counsellor;
 * - family_visit_interviews.with_accompanying_adult: a minor's interview held with the accompanying
 *   adult present (« selon des modalités adaptées à son âge »).
 */
export class JuvenileJudgeOpinion1763901100000 implements MigrationInterface {
  name = 'JuvenileJudgeOpinion1763901100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE family_visit_juvenile_judge_opinions (
        request_id uuid PRIMARY KEY REFERENCES family_visit_requests(id),
        followed boolean NOT NULL,
        pjj_service text NULL,
        asked_on date NULL,
        opinion text NULL CHECK (opinion IN ('FAVOURABLE','UNFAVOURABLE','RESERVED')),
        received_on date NULL,
        notes text NULL CHECK (length(notes) <= 4000),
        recorded_by uuid NOT NULL REFERENCES agents(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT family_visit_juvenile_judge_asked CHECK (CASE WHEN followed
          THEN coalesce(length(trim(pjj_service)) > 0, false) AND asked_on IS NOT NULL
          ELSE pjj_service IS NULL AND asked_on IS NULL END),
        CONSTRAINT family_visit_juvenile_judge_received CHECK (
          (opinion IS NULL) = (received_on IS NULL) AND coalesce(received_on >= asked_on, received_on IS NULL))
      )`);
    await q.query(`ALTER TABLE family_visit_interviews ADD COLUMN with_accompanying_adult boolean NOT NULL DEFAULT false`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_visit_interviews DROP COLUMN with_accompanying_adult`);
    await q.query(`DROP TABLE family_visit_juvenile_judge_opinions`);
  }
}
