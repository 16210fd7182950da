import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A family may close its account (« Mes données », issue #16): `closed_at` set, its contact details
 * erased (a check keeps a closed account without e-mail or mobile number), the records the law keeps
 * untouched (docs/retention.md). Signing in again with FranceConnect reopens it.
 *
 * No procedure may start on a closed account, whatever path writes it: a trigger refuses the rows a
 * family creates itself — a permit request, an online visit booking, a waiting-list entry, an online
 * UVF / PF request — when their account is closed. It reads the account FOR KEY SHARE: the closure
 * holds the account FOR UPDATE from its first statement, so a booking written at the same moment
 * either waits for the closure and is then refused (the row re-read, closed), or was committed first
 * and is then seen by the closure, which is refused. The error's SQLSTATE P2V01 becomes a French 401
 * page (common/closed-account.ts). Staff bookings (by phone, at the desk) on a closed account's permit
 * stay possible: the permit is still valid.
 */
export class FamilyAccountClosure1763903600000 implements MigrationInterface {
  name = 'FamilyAccountClosure1763903600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_accounts ADD COLUMN closed_at timestamptz NULL`);
    await q.query(
      `ALTER TABLE family_accounts ADD CONSTRAINT family_accounts_closed_erased CHECK (closed_at IS NULL OR (email IS NULL AND mobile_phone IS NULL))`,
    );
    await q.query(`
      CREATE FUNCTION refuse_closed_family_account() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM family_accounts WHERE id = NEW.family_account_id AND closed_at IS NULL FOR KEY SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'family account % is closed', NEW.family_account_id USING ERRCODE = 'P2V01';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER permit_requests_open_account BEFORE INSERT ON permit_requests
        FOR EACH ROW EXECUTE FUNCTION refuse_closed_family_account()`);
    await q.query(`
      CREATE TRIGGER visits_open_account BEFORE INSERT ON visits
        FOR EACH ROW WHEN (NEW.channel = 'ONLINE' AND NEW.family_account_id IS NOT NULL) EXECUTE FUNCTION refuse_closed_family_account()`);
    await q.query(`
      CREATE TRIGGER visit_waitlist_open_account BEFORE INSERT ON visit_waitlist
        FOR EACH ROW EXECUTE FUNCTION refuse_closed_family_account()`);
    await q.query(`
      CREATE TRIGGER family_visit_requests_open_account BEFORE INSERT ON family_visit_requests
        FOR EACH ROW WHEN (NEW.channel = 'ONLINE' AND NEW.family_account_id IS NOT NULL) EXECUTE FUNCTION refuse_closed_family_account()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER family_visit_requests_open_account ON family_visit_requests`);
    await q.query(`DROP TRIGGER visit_waitlist_open_account ON visit_waitlist`);
    await q.query(`DROP TRIGGER visits_open_account ON visits`);
    await q.query(`DROP TRIGGER permit_requests_open_account ON permit_requests`);
    await q.query(`DROP FUNCTION refuse_closed_family_account()`);
    await q.query(`ALTER TABLE family_accounts DROP CONSTRAINT family_accounts_closed_erased`);
    await q.query(`ALTER TABLE family_accounts DROP COLUMN closed_at`);
  }
}
