import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A litigation hold on a UVF / PF request (docs/retention.md), as permit requests have one: while a
 * recourse against the request's decision is recorded (since when, and a note that describes it), the
 * retention job keeps its documents. A hold always has a note that is not blank; a missing note
 * (NULL) is refused too, which the permits' own check lets through.
 */
export class FamilyVisitLitigationHold1763900700000 implements MigrationInterface {
  name = 'FamilyVisitLitigationHold1763900700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE family_visit_requests
        ADD COLUMN litigation_hold_since timestamptz NULL,
        ADD COLUMN litigation_note text NULL,
        ADD CONSTRAINT family_visit_requests_litigation
          CHECK (litigation_hold_since IS NULL OR coalesce(length(trim(litigation_note)), 0) > 0)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE family_visit_requests
        DROP CONSTRAINT family_visit_requests_litigation,
        DROP COLUMN litigation_hold_since, DROP COLUMN litigation_note`);
  }
}
