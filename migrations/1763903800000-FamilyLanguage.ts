import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The family's language (issue #16): the pages' and the messages' language, one of the family side's
 * four. NULL until known: the first request of a signed-in family sets it from its explicit choice
 * (the language selector's cookie) or its browser's Accept-Language; messages use French meanwhile.
 * The notifications module keeps it per address (notification_recipients.language): the family's
 * e-mail and mobile number get its language, and every message to them is written in it.
 */
export class FamilyLanguage1763903800000 implements MigrationInterface {
  name = 'FamilyLanguage1763903800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE family_accounts ADD COLUMN language text CONSTRAINT family_accounts_language_check CHECK (language IN ('fr', 'en', 'ar', 'es'))`,
    );
    await q.query(
      `ALTER TABLE notification_recipients ADD COLUMN language text
         CONSTRAINT notification_recipients_language_check CHECK (language IN ('fr', 'en', 'ar', 'es'))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_recipients DROP COLUMN language`);
    await q.query(`ALTER TABLE family_accounts DROP COLUMN language`);
  }
}
