import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Permits that hold before a court and that every holder can use (issue 10):
 * - establishments carry the contact details an acknowledgement must give (CRPA R112-5), and the
 *   interregional direction a recours hiérarchique goes to; agents carry their quality (L212-1);
 * - detainees may be both prévenu and condamné (MIXTE: the magistrate stays competent);
 * - permits: claim code (paper and magistrate permits linked to a family account), limits (end date,
 *   number of visits) and conditions (room kind, days, hours: R341-1), the magistrate's hold
 *   (ON_HOLD, R341-3 1°), the head's review when a prévenu becomes condamné (R341-5), the import;
 * - requests: withdrawn by the family, the legal ground of a refusal, the decision's author as
 *   printed, the deadline of an incomplete request, a litigation hold; more document kinds;
 * - signature delegations, judicial no-contact orders, measures on a permit (contradictory step
 *   before a suspension or withdrawal, referral to the magistrate), the letters issued, permit
 *   imports, failed claim attempts.
 */
export class LawfulPermits1763890000000 implements MigrationInterface {
  name = 'LawfulPermits1763890000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE establishments
        ADD COLUMN address text NULL,
        ADD COLUMN phone text NULL,
        ADD COLUMN email text NULL,
        ADD COLUMN interregional_direction text NULL`);
    await q.query(`ALTER TABLE agents ADD COLUMN quality text NULL`);

    await q.query(`ALTER TABLE detainees DROP CONSTRAINT detainees_legal_status_check`);
    await q.query(
      `ALTER TABLE detainees ADD CONSTRAINT detainees_legal_status_check CHECK (legal_status IN ('PREVENU','CONDAMNE','MIXTE'))`,
    );

    await q.query(`
      CREATE TABLE permit_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        created_by uuid NOT NULL REFERENCES agents(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        file_name text NOT NULL,
        status text NOT NULL DEFAULT 'PREVIEW' CHECK (status IN ('PREVIEW','RUNNING','DONE','FAILED','CANCELLED')),
        total_rows integer NOT NULL DEFAULT 0 CHECK (total_rows >= 0),
        rejected_rows integer NOT NULL DEFAULT 0 CHECK (rejected_rows >= 0),
        processed_rows integer NOT NULL DEFAULT 0 CHECK (processed_rows >= 0),
        created_permits integer NOT NULL DEFAULT 0 CHECK (created_permits >= 0),
        preview jsonb NOT NULL DEFAULT '[]'::jsonb,
        error text NULL,
        finished_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX permit_imports_establishment_idx ON permit_imports (establishment_id, created_at DESC)`);

    await q.query(`ALTER TABLE permits DROP CONSTRAINT permits_status_check`);
    await q.query(`ALTER TABLE permits ADD CONSTRAINT permits_status_check CHECK (status IN ('ACTIVE','ON_HOLD','SUSPENDED','WITHDRAWN'))`);
    await q.query(`
      ALTER TABLE permits
        ADD COLUMN claim_code varchar(12) NULL UNIQUE CHECK (claim_code ~ '^[A-HJ-NP-Z2-9]{12}$'),
        ADD COLUMN claimed_at timestamptz NULL,
        ADD COLUMN max_visits integer NULL CHECK (max_visits > 0),
        ADD COLUMN room_condition text NULL CHECK (room_condition IN ('SEPARATION','ACCESSIBLE')),
        ADD COLUMN allowed_days smallint[] NULL CHECK (allowed_days <@ ARRAY[1,2,3,4,5,6,7]::smallint[] AND cardinality(allowed_days) > 0),
        ADD COLUMN allowed_from time NULL,
        ADD COLUMN allowed_to time NULL,
        ADD COLUMN conditions_note text NULL CHECK (length(conditions_note) <= 500),
        ADD COLUMN issuing_authority text NULL,
        ADD COLUMN paper_reference text NULL,
        ADD COLUMN head_review_due boolean NOT NULL DEFAULT false,
        ADD COLUMN import_id uuid NULL REFERENCES permit_imports(id),
        ADD CONSTRAINT permits_allowed_hours CHECK ((allowed_from IS NULL) = (allowed_to IS NULL) AND (allowed_from IS NULL OR allowed_from < allowed_to))`);
    await q.query(`CREATE INDEX permits_family_idx ON permits (family_account_id) WHERE family_account_id IS NOT NULL`);
    await q.query(`CREATE INDEX permits_register_idx ON permits (establishment_id, created_at DESC)`);

    await q.query(`ALTER TABLE permit_requests DROP CONSTRAINT permit_requests_status_check`);
    await q.query(`
      ALTER TABLE permit_requests ADD CONSTRAINT permit_requests_status_check
        CHECK (status IN ('DRAFT','SUBMITTED','INCOMPLETE','READY','GRANTED','REFUSED','IMPLICITLY_REJECTED','WITHDRAWN'))`);
    await q.query(`ALTER TABLE permit_requests DROP CONSTRAINT permit_requests_id_document_type_check`);
    await q.query(`
      ALTER TABLE permit_requests ADD CONSTRAINT permit_requests_id_document_type_check
        CHECK (id_document_type IN ('CNI','PASSEPORT','TITRE_SEJOUR','PERMIS_CONDUIRE','AUTRE','LIVRET_FAMILLE','ACTE_NAISSANCE'))`);
    await q.query(`
      ALTER TABLE permit_requests
        ADD COLUMN withdrawn_at timestamptz NULL,
        ADD COLUMN refusal_ground text NULL
          CHECK (refusal_ground IN ('GOOD_ORDER','SECURITY','CRIME_PREVENTION','REHABILITATION','VICTIM','NO_CONTACT_ORDER')),
        ADD COLUMN decided_as text NULL,
        ADD COLUMN documents_due date NULL,
        ADD COLUMN litigation_hold_since timestamptz NULL,
        ADD COLUMN litigation_note text NULL,
        ADD CONSTRAINT permit_requests_withdrawn CHECK ((status = 'WITHDRAWN') = (withdrawn_at IS NOT NULL)),
        ADD CONSTRAINT permit_requests_litigation CHECK (litigation_hold_since IS NULL OR length(trim(litigation_note)) > 0)`);

    await q.query(`ALTER TABLE permit_documents DROP CONSTRAINT permit_documents_kind_check`);
    await q.query(`
      ALTER TABLE permit_documents ADD CONSTRAINT permit_documents_kind_check
        CHECK (kind IN ('PHOTO','ID_DOCUMENT','PROOF_OF_ADDRESS','LIVRET_FAMILLE','PACS_PROOF','COHABITATION_PROOF',
                        'PARENTAL_CONSENT','DOMICILIATION','BIRTH_CERTIFICATE','OTHER'))`);

    await q.query(`
      CREATE TABLE signature_delegations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        agent_id uuid NOT NULL REFERENCES agents(id),
        valid_from date NOT NULL,
        valid_to date NULL,
        created_by uuid NOT NULL REFERENCES agents(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL,
        CONSTRAINT signature_delegations_dates CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await q.query(`CREATE INDEX signature_delegations_agent_idx ON signature_delegations (establishment_id, agent_id)`);

    await q.query(`
      CREATE TABLE no_contact_orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        person_given_name text NOT NULL CHECK (length(trim(person_given_name)) > 0),
        person_family_name text NOT NULL CHECK (length(trim(person_family_name)) > 0),
        person_birthdate date NULL,
        source text NOT NULL CHECK (source IN ('JUDICIAL_RECORD','DECLARED')),
        authority text NOT NULL CHECK (length(trim(authority)) > 0),
        valid_until date NULL,
        recorded_by uuid NOT NULL REFERENCES agents(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX no_contact_orders_detainee_idx ON no_contact_orders (detainee_id)`);

    await q.query(`
      CREATE TABLE permit_measures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        permit_id uuid NOT NULL REFERENCES permits(id),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        kind text NOT NULL CHECK (kind IN ('SUSPENSION','WITHDRAWAL','REFERRAL')),
        status text NOT NULL CHECK (status IN ('PROPOSED','ENACTED','ABANDONED','REFERRED','ANSWERED')),
        grounds text NOT NULL CHECK (length(trim(grounds)) >= 10),
        urgent boolean NOT NULL DEFAULT false,
        suspended_until date NULL,
        observations_due date NULL,
        observations text NULL,
        observations_at timestamptz NULL,
        magistrate text NULL,
        magistrate_answer text NULL CHECK (magistrate_answer IN ('MAINTAINED','SUSPENDED','WITHDRAWN')),
        magistrate_answer_note text NULL,
        answered_at timestamptz NULL,
        proposed_by uuid NOT NULL REFERENCES agents(id),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid NULL REFERENCES agents(id),
        decided_at timestamptz NULL,
        CONSTRAINT permit_measures_kind_status CHECK (
          (kind = 'REFERRAL') = (status IN ('REFERRED','ANSWERED'))),
        CONSTRAINT permit_measures_answer CHECK ((status = 'ANSWERED') = (magistrate_answer IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX permit_measures_permit_idx ON permit_measures (permit_id, proposed_at DESC)`);
    await q.query(
      `CREATE UNIQUE INDEX permit_measures_one_open_idx ON permit_measures (permit_id) WHERE status IN ('PROPOSED','REFERRED')`,
    );

    await q.query(`
      CREATE TABLE permit_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        request_id uuid NULL REFERENCES permit_requests(id),
        permit_id uuid NULL REFERENCES permits(id),
        measure_id uuid NULL REFERENCES permit_measures(id),
        family_account_id uuid NULL REFERENCES family_accounts(id),
        kind text NOT NULL CHECK (kind IN ('ACKNOWLEDGEMENT','REFUSAL','GRANT','REEXAMINATION','INTENDED_MEASURE','SUSPENSION',
                                           'WITHDRAWAL','REFERRAL','CLAIM_CODE')),
        title text NOT NULL,
        addressee text NOT NULL,
        author text NULL,
        body jsonb NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT permit_letters_subject CHECK (request_id IS NOT NULL OR permit_id IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX permit_letters_family_idx ON permit_letters (family_account_id, issued_at DESC) WHERE family_account_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX permit_letters_permit_idx ON permit_letters (permit_id) WHERE permit_id IS NOT NULL`);
    await q.query(`CREATE INDEX permit_letters_request_idx ON permit_letters (request_id) WHERE request_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE permit_claim_failures (
        id bigserial PRIMARY KEY,
        family_account_id uuid NOT NULL REFERENCES family_accounts(id),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX permit_claim_failures_idx ON permit_claim_failures (family_account_id, at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE permit_claim_failures`);
    await q.query(`DROP TABLE permit_letters`);
    await q.query(`DROP TABLE permit_measures`);
    await q.query(`DROP TABLE no_contact_orders`);
    await q.query(`DROP TABLE signature_delegations`);
    await q.query(`ALTER TABLE permit_documents DROP CONSTRAINT permit_documents_kind_check`);
    await q.query(`DELETE FROM permit_documents WHERE kind NOT IN ('PHOTO','ID_DOCUMENT','PROOF_OF_ADDRESS')`);
    await q.query(
      `ALTER TABLE permit_documents ADD CONSTRAINT permit_documents_kind_check CHECK (kind IN ('PHOTO','ID_DOCUMENT','PROOF_OF_ADDRESS'))`,
    );
    await q.query(`
      ALTER TABLE permit_requests
        DROP CONSTRAINT permit_requests_withdrawn,
        DROP CONSTRAINT permit_requests_litigation,
        DROP COLUMN withdrawn_at, DROP COLUMN refusal_ground, DROP COLUMN decided_as, DROP COLUMN documents_due,
        DROP COLUMN litigation_hold_since, DROP COLUMN litigation_note`);
    await q.query(`ALTER TABLE permit_requests DROP CONSTRAINT permit_requests_id_document_type_check`);
    await q.query(`UPDATE permit_requests SET id_document_type = 'AUTRE' WHERE id_document_type IN ('LIVRET_FAMILLE','ACTE_NAISSANCE')`);
    await q.query(`
      ALTER TABLE permit_requests ADD CONSTRAINT permit_requests_id_document_type_check
        CHECK (id_document_type IN ('CNI','PASSEPORT','TITRE_SEJOUR','PERMIS_CONDUIRE','AUTRE'))`);
    await q.query(`ALTER TABLE permit_requests DROP CONSTRAINT permit_requests_status_check`);
    await q.query(`UPDATE permit_requests SET status = 'IMPLICITLY_REJECTED' WHERE status = 'WITHDRAWN'`);
    await q.query(`
      ALTER TABLE permit_requests ADD CONSTRAINT permit_requests_status_check
        CHECK (status IN ('DRAFT','SUBMITTED','INCOMPLETE','READY','GRANTED','REFUSED','IMPLICITLY_REJECTED'))`);
    await q.query(`DROP INDEX permits_register_idx`);
    await q.query(`DROP INDEX permits_family_idx`);
    await q.query(`
      ALTER TABLE permits
        DROP CONSTRAINT permits_allowed_hours,
        DROP COLUMN claim_code, DROP COLUMN claimed_at, DROP COLUMN max_visits, DROP COLUMN room_condition,
        DROP COLUMN allowed_days, DROP COLUMN allowed_from, DROP COLUMN allowed_to, DROP COLUMN conditions_note,
        DROP COLUMN issuing_authority, DROP COLUMN paper_reference, DROP COLUMN head_review_due, DROP COLUMN import_id`);
    await q.query(`ALTER TABLE permits DROP CONSTRAINT permits_status_check`);
    await q.query(`UPDATE permits SET status = 'SUSPENDED' WHERE status = 'ON_HOLD'`);
    await q.query(`ALTER TABLE permits ADD CONSTRAINT permits_status_check CHECK (status IN ('ACTIVE','SUSPENDED','WITHDRAWN'))`);
    await q.query(`DROP TABLE permit_imports`);
    await q.query(`ALTER TABLE detainees DROP CONSTRAINT detainees_legal_status_check`);
    await q.query(`UPDATE detainees SET legal_status = 'PREVENU' WHERE legal_status = 'MIXTE'`);
    await q.query(`ALTER TABLE detainees ADD CONSTRAINT detainees_legal_status_check CHECK (legal_status IN ('PREVENU','CONDAMNE'))`);
    await q.query(`ALTER TABLE agents DROP COLUMN quality`);
    await q.query(`
      ALTER TABLE establishments
        DROP COLUMN address, DROP COLUMN phone, DROP COLUMN email, DROP COLUMN interregional_direction`);
  }
}
