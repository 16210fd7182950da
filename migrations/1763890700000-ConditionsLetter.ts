import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'ACKNOWLEDGEMENT','REFUSAL','GRANT','REEXAMINATION','INTENDED_MEASURE','SUSPENSION','WITHDRAWAL','REFERRAL','CLAIM_CODE'`;

/** A decision that restricts a permit's limits or conditions (R341-1) is a letter of its own kind. */
export class ConditionsLetter1763890700000 implements MigrationInterface {
  name = 'ConditionsLetter1763890700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE permit_letters DROP CONSTRAINT permit_letters_kind_check`);
    await q.query(`ALTER TABLE permit_letters ADD CONSTRAINT permit_letters_kind_check CHECK (kind IN (${KINDS},'CONDITIONS'))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE permit_letters DROP CONSTRAINT permit_letters_kind_check`);
    await q.query(`UPDATE permit_letters SET kind = 'REEXAMINATION' WHERE kind = 'CONDITIONS'`);
    await q.query(`ALTER TABLE permit_letters ADD CONSTRAINT permit_letters_kind_check CHECK (kind IN (${KINDS}))`);
  }
}
