import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox of e-mails and SMS, their attempts, recipients (opt-out), appointments, demo inbox. */
export class Notifications1763840000000 implements MigrationInterface {
  name = 'Notifications1763840000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE family_accounts ADD COLUMN mobile_phone text NULL CHECK (mobile_phone ~ '^\\+[1-9][0-9]{6,14}$')`);
    await q.query(`
      CREATE TABLE notification_recipients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel text NOT NULL CHECK (channel IN ('EMAIL','SMS')),
        address text NOT NULL,
        optout_token varchar(24) NOT NULL UNIQUE,
        reminders_opted_out_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notification_recipients_address_unique UNIQUE (channel, address),
        CONSTRAINT notification_recipients_address_format CHECK (
          (channel = 'SMS' AND address ~ '^\\+[1-9][0-9]{6,14}$') OR (channel = 'EMAIL' AND address = lower(address) AND address LIKE '%_@_%'))
      )`);

    await q.query(`
      CREATE TABLE appointments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('VISIT','SPIP_INTERVIEW','VIDEO_CALL')),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        family_account_id uuid NULL REFERENCES family_accounts(id),
        contact_email text NULL,
        contact_phone text NULL CHECK (contact_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        place text NOT NULL,
        address text NOT NULL,
        reference varchar(12) NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED','CANCELLED')),
        cancelled_at timestamptz NULL,
        cancel_reason text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT appointments_duration CHECK (ends_at > starts_at),
        CONSTRAINT appointments_cancelled CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX appointments_family_idx ON appointments (family_account_id, starts_at)`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient_id uuid NOT NULL REFERENCES notification_recipients(id),
        channel text NOT NULL CHECK (channel IN ('EMAIL','SMS')),
        template text NOT NULL,
        category text NOT NULL CHECK (category IN ('TRANSACTIONAL','REMINDER')),
        data jsonb NOT NULL DEFAULT '{}',
        subject text NULL,
        body_text text NOT NULL,
        body_html text NULL,
        entity_type text NULL,
        entity_id uuid NULL,
        establishment_id uuid NULL REFERENCES establishments(id),
        send_after timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SENDING','SENT','FAILED','CANCELLED','DROPPED')),
        status_reason text NULL,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz NULL,
        provider_message_id text NULL,
        sent_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notifications_sent_at CHECK ((status = 'SENT') = (sent_at IS NOT NULL)),
        CONSTRAINT notifications_lease CHECK ((status = 'SENDING') = (lease_until IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('PENDING','SENDING')`);
    await q.query(`CREATE INDEX notifications_entity_idx ON notifications (entity_type, entity_id)`);
    await q.query(`CREATE INDEX notifications_establishment_idx ON notifications (establishment_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE notification_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES notifications(id),
        attempt integer NOT NULL CHECK (attempt >= 1),
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('SENT','ERROR','DROPPED')),
        detail text NULL,
        CONSTRAINT notification_attempts_unique UNIQUE (notification_id, attempt)
      )`);

    // Demo mode only: what the local SMTP server and the local SMS endpoint received.
    await q.query(`
      CREATE TABLE demo_inbox (
        id bigserial PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('EMAIL','SMS')),
        recipient text NOT NULL,
        subject text NULL,
        body text NOT NULL,
        attachments text[] NOT NULL DEFAULT '{}',
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE demo_inbox`);
    await q.query(`DROP TABLE notification_attempts`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE appointments`);
    await q.query(`DROP TABLE notification_recipients`);
    await q.query(`ALTER TABLE family_accounts DROP COLUMN mobile_phone`);
  }
}
