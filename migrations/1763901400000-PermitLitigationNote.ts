import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A permit request's litigation hold always has a note: the check of LawfulPermits
 * (`length(trim(litigation_note)) > 0`) let a hold with no note at all (NULL) through, because a
 * check that evaluates to NULL passes. A hold recorded that way before this migration (none through
 * the app, whose form requires the note) gets a note saying so, then the check is replaced.
 */
export class PermitLitigationNote1763901400000 implements MigrationInterface {
  name = 'PermitLitigationNote1763901400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE permit_requests SET litigation_note = 'Recours enregistré sans description.'
        WHERE litigation_hold_since IS NOT NULL AND coalesce(length(trim(litigation_note)), 0) = 0`);
    await q.query(`
      ALTER TABLE permit_requests
        DROP CONSTRAINT permit_requests_litigation,
        ADD CONSTRAINT permit_requests_litigation
          CHECK (litigation_hold_since IS NULL OR coalesce(length(trim(litigation_note)), 0) > 0)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE permit_requests
        DROP CONSTRAINT permit_requests_litigation,
        ADD CONSTRAINT permit_requests_litigation CHECK (litigation_hold_since IS NULL OR length(trim(litigation_note)) > 0)`);
  }
}
