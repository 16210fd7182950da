import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A visitor refused at the door because the permit does not allow this visit (expired, used up,
 * not yet valid, on hold, or a condition of place or time not met: R341-1): its own reason,
 * « Permis non valable pour cette visite », apart from a suspension.
 */
export class PermitInvalidRefusal1763890300000 implements MigrationInterface {
  name = 'PermitInvalidRefusal1763890300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE visit_visitors DROP CONSTRAINT visit_visitors_refusal_reason_check`);
    await q.query(`
      ALTER TABLE visit_visitors ADD CONSTRAINT visit_visitors_refusal_reason_check
        CHECK (refusal_reason IN ('NO_ID','ID_MISMATCH','PERMIT_SUSPENDED','PERMIT_INVALID','LATE','SECURITY'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE visit_visitors SET refusal_reason = 'PERMIT_SUSPENDED' WHERE refusal_reason = 'PERMIT_INVALID'`);
    await q.query(`ALTER TABLE visit_visitors DROP CONSTRAINT visit_visitors_refusal_reason_check`);
    await q.query(`
      ALTER TABLE visit_visitors ADD CONSTRAINT visit_visitors_refusal_reason_check
        CHECK (refusal_reason IN ('NO_ID','ID_MISMATCH','PERMIT_SUSPENDED','LATE','SECURITY'))`);
  }
}
