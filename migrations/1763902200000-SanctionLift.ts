import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sanction on a number may be lifted early by the head of establishment (or a signature delegate),
 * with a motivation: `lifted_at`, `lifted_by`, `lift_motivation`, all null (not lifted) or all set,
 * lifted after the decision and while the sanction was in force (before its end, when it has one).
 * A lifted sanction stops blocking the number from `lifted_at`; the calls it cancelled stay cancelled.
 */
export class SanctionLift1763902200000 implements MigrationInterface {
  name = 'SanctionLift1763902200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sanctioned_numbers
        ADD COLUMN lifted_at timestamptz NULL,
        ADD COLUMN lifted_by uuid NULL REFERENCES agents(id),
        ADD COLUMN lift_motivation text NULL`);
    await q.query(`
      ALTER TABLE sanctioned_numbers ADD CONSTRAINT sanctioned_numbers_lift CHECK (
        (lifted_at IS NULL AND lifted_by IS NULL AND lift_motivation IS NULL)
        OR (lifted_at IS NOT NULL AND lifted_by IS NOT NULL AND lift_motivation IS NOT NULL
            AND length(trim(lift_motivation)) > 0
            AND lifted_at >= decided_at
            AND (until IS NULL OR lifted_at < until)))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sanctioned_numbers DROP CONSTRAINT sanctioned_numbers_lift`);
    await q.query(`ALTER TABLE sanctioned_numbers DROP COLUMN lift_motivation, DROP COLUMN lifted_by, DROP COLUMN lifted_at`);
  }
}
