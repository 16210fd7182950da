import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Video calls (visiophonie, issue 12; seeds/note-visiophonie-2020.md): the whole module's tables.
 *
 * - video_call_settings: an establishment's settings, versioned (each change a new row, never updated;
 *   the current one is the highest version; none = the note's defaults, NOTE_2020_DEFAULTS).
 * - video_call_devices: the rooms / devices calls are made from.
 * - detainee_phone_contacts, video_call_charters, phone_accounts, video_call_access: the detainee's
 *   record (authorised contacts, signed usage charter, phone account, access decisions in history).
 * - sanctioned_numbers: a sanction attaches to the number called and blocks it for every detainee of
 *   the establishment.
 * - video_call_bookings: one booking per device and one per detainee on overlapping slots, except
 *   cancelled ones (exclusion constraints, btree_gist created by Init); the cost of the longest call
 *   is blocked on the phone account (blocked_cents), the real one charged after the call.
 * - video_call_codes: the contact's 6-digit code, stored hashed, single use, a limited number of
 *   wrong attempts.
 * Money is in integer cents, never negative.
 */
export class VideoCalls1763902000000 implements MigrationInterface {
  name = 'VideoCalls1763902000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE video_call_settings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        version integer NOT NULL CHECK (version > 0),
        settings jsonb NOT NULL CHECK (jsonb_typeof(settings) = 'object'),
        valid_from timestamptz NOT NULL DEFAULT now(),
        changed_by uuid NOT NULL REFERENCES agents(id),
        CONSTRAINT video_call_settings_version_unique UNIQUE (establishment_id, version)
      )`);

    await q.query(`
      CREATE TABLE video_call_devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT video_call_devices_establishment_unique UNIQUE (id, establishment_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX video_call_devices_name_idx ON video_call_devices (establishment_id, lower(trim(name)))`);

    await q.query(`
      CREATE TABLE detainee_phone_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        relationship text NOT NULL CHECK (length(trim(relationship)) BETWEEN 1 AND 100),
        minor boolean NOT NULL DEFAULT false,
        consent_given_by text NULL,
        consent_recorded_at timestamptz NULL,
        consent_recorded_by uuid NULL REFERENCES agents(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid NOT NULL REFERENCES agents(id),
        CONSTRAINT detainee_phone_contacts_consent CHECK (
          (consent_given_by IS NULL) = (consent_recorded_at IS NULL)
          AND (consent_given_by IS NULL) = (consent_recorded_by IS NULL)
          AND (consent_given_by IS NULL OR (minor AND length(trim(consent_given_by)) > 0)))
      )`);
    await q.query(`CREATE UNIQUE INDEX detainee_phone_contacts_phone_idx ON detainee_phone_contacts (detainee_id, phone) WHERE active`);

    await q.query(`
      CREATE TABLE video_call_charters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        signed_on date NOT NULL,
        scan_storage_key text NULL CHECK (length(scan_storage_key) > 0),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by uuid NOT NULL REFERENCES agents(id)
      )`);
    await q.query(`CREATE INDEX video_call_charters_detainee_idx ON video_call_charters (detainee_id, signed_on)`);

    await q.query(`
      CREATE TABLE phone_accounts (
        detainee_id uuid PRIMARY KEY REFERENCES detainees(id),
        balance_cents integer NOT NULL DEFAULT 0 CHECK (balance_cents >= 0),
        blocked_cents integer NOT NULL DEFAULT 0 CHECK (blocked_cents >= 0),
        plan_code text NOT NULL DEFAULT 'NONE' CHECK (plan_code ~ '^(NONE|[1-9][0-9]{0,3})$'),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT phone_accounts_blocked_within_balance CHECK (blocked_cents <= balance_cents)
      )`);

    await q.query(`
      CREATE TABLE video_call_access (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        status text NOT NULL CHECK (status IN ('ACTIVE','REFUSED','SUSPENDED','WITHDRAWN')),
        suspended_until timestamptz NULL,
        motivation text NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid NOT NULL REFERENCES agents(id),
        CONSTRAINT video_call_access_until CHECK ((status = 'SUSPENDED') = (suspended_until IS NOT NULL)),
        CONSTRAINT video_call_access_motivated CHECK (status = 'ACTIVE' OR coalesce(length(trim(motivation)), 0) > 0)
      )`);
    await q.query(`CREATE INDEX video_call_access_detainee_idx ON video_call_access (detainee_id, decided_at)`);

    await q.query(`
      CREATE TABLE sanctioned_numbers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        until timestamptz NULL,
        motivation text NOT NULL CHECK (length(trim(motivation)) > 0),
        decided_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid NOT NULL REFERENCES agents(id),
        CONSTRAINT sanctioned_numbers_until CHECK (until IS NULL OR until > decided_at)
      )`);
    await q.query(`CREATE INDEX sanctioned_numbers_phone_idx ON sanctioned_numbers (establishment_id, phone)`);

    await q.query(`
      CREATE TABLE video_call_bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        contact_id uuid NOT NULL REFERENCES detainee_phone_contacts(id),
        device_id uuid NOT NULL,
        slot tstzrange NOT NULL CHECK (NOT isempty(slot) AND lower_inc(slot) AND NOT upper_inc(slot)
                                       AND NOT lower_inf(slot) AND NOT upper_inf(slot)),
        status text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED','HELD','CANCELLED','NO_SHOW')),
        plan_code text NOT NULL,
        cents_per_minute integer NOT NULL CHECK (cents_per_minute >= 0),
        connection_cents integer NOT NULL CHECK (connection_cents >= 0),
        blocked_cents integer NOT NULL CHECK (blocked_cents >= 0),
        charged_cents integer NULL CHECK (charged_cents >= 0),
        duration_seconds integer NULL CHECK (duration_seconds >= 0),
        booked_at timestamptz NOT NULL DEFAULT now(),
        booked_by uuid NOT NULL REFERENCES agents(id),
        cancelled_at timestamptz NULL,
        cancelled_by uuid NULL REFERENCES agents(id),
        cancel_reason text NULL,
        CONSTRAINT video_call_bookings_device_fk FOREIGN KEY (device_id, establishment_id)
          REFERENCES video_call_devices (id, establishment_id),
        CONSTRAINT video_call_bookings_cancelled CHECK (
          (status = 'CANCELLED') = (cancelled_at IS NOT NULL) AND (status = 'CANCELLED') = (coalesce(length(trim(cancel_reason)), 0) > 0)),
        CONSTRAINT video_call_bookings_held CHECK (
          (status = 'HELD') = (duration_seconds IS NOT NULL) AND (status = 'HELD') = (charged_cents IS NOT NULL)),
        CONSTRAINT video_call_bookings_charge_within_blocked CHECK (charged_cents IS NULL OR charged_cents <= blocked_cents),
        CONSTRAINT video_call_bookings_device_no_overlap EXCLUDE USING gist (device_id WITH =, slot WITH &&) WHERE (status <> 'CANCELLED'),
        CONSTRAINT video_call_bookings_detainee_no_overlap EXCLUDE USING gist (detainee_id WITH =, slot WITH &&) WHERE (status <> 'CANCELLED')
      )`);
    await q.query(`CREATE INDEX video_call_bookings_day_idx ON video_call_bookings (establishment_id, lower(slot))`);
    await q.query(`CREATE INDEX video_call_bookings_contact_idx ON video_call_bookings (contact_id)`);

    await q.query(`
      CREATE TABLE video_call_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL REFERENCES video_call_bookings(id),
        code_hash text NOT NULL CHECK (length(code_hash) >= 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts BETWEEN 0 AND 5)
      )`);
    await q.query(`CREATE INDEX video_call_codes_booking_idx ON video_call_codes (booking_id, created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE video_call_codes`);
    await q.query(`DROP TABLE video_call_bookings`);
    await q.query(`DROP TABLE sanctioned_numbers`);
    await q.query(`DROP TABLE video_call_access`);
    await q.query(`DROP TABLE phone_accounts`);
    await q.query(`DROP TABLE video_call_charters`);
    await q.query(`DROP TABLE detainee_phone_contacts`);
    await q.query(`DROP TABLE video_call_devices`);
    await q.query(`DROP TABLE video_call_settings`);
  }
}
