import { MigrationInterface, QueryRunner } from 'typeorm';

/** Visit permit requests (family side drafts to decision), their documents and events, and permits. */
export class Permits1763850000000 implements MigrationInterface {
  name = 'Permits1763850000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE permit_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference varchar(12) NULL UNIQUE,
        family_account_id uuid NOT NULL REFERENCES family_accounts(id),
        establishment_id uuid NULL REFERENCES establishments(id),
        detainee_id uuid NULL REFERENCES detainees(id),
        step integer NOT NULL DEFAULT 1 CHECK (step BETWEEN 1 AND 9),
        documents_understood boolean NOT NULL DEFAULT false,
        for_self boolean NULL,
        visitor_given_name text NULL,
        visitor_family_name text NULL,
        visitor_birthdate date NULL,
        relationship text NULL CHECK (relationship IN ('ASCENDANT','DESCENDANT','SIBLING','SPOUSE','PACS_PARTNER','COHABITANT','FAMILY_PROJECT','FRIEND','OTHER')),
        relationship_detail text NULL,
        id_document_type text NULL CHECK (id_document_type IN ('CNI','PASSEPORT','TITRE_SEJOUR','PERMIS_CONDUIRE','AUTRE')),
        comment text NULL CHECK (length(comment) <= 1000),
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT','SUBMITTED','INCOMPLETE','READY','GRANTED','REFUSED','IMPLICITLY_REJECTED')),
        submitted_at timestamptz NULL,
        complete_at timestamptz NULL,
        decided_at timestamptz NULL,
        decided_by uuid NULL REFERENCES agents(id),
        decision_motivation text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT permit_requests_reference CHECK ((status = 'DRAFT') = (reference IS NULL)),
        CONSTRAINT permit_requests_refusal_motivated CHECK (status <> 'REFUSED' OR length(trim(decision_motivation)) >= 20)
      )`);
    await q.query(`CREATE INDEX permit_requests_family_idx ON permit_requests (family_account_id, created_at DESC)`);
    await q.query(`CREATE INDEX permit_requests_queue_idx ON permit_requests (establishment_id, status, submitted_at)`);

    await q.query(`
      CREATE TABLE permit_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NULL REFERENCES permit_requests(id),
        kind text NOT NULL CHECK (kind IN ('PHOTO','ID_DOCUMENT','PROOF_OF_ADDRESS')),
        storage_key text NOT NULL UNIQUE,
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg','application/pdf')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL,
        original_name text NOT NULL,
        review text NOT NULL DEFAULT 'PENDING' CHECK (review IN ('PENDING','ACCEPTED','TO_REPLACE')),
        review_reason text NULL,
        current boolean NOT NULL DEFAULT true,
        deleted_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Without a request: the photo of a permit recorded from paper or from a magistrate.
        CONSTRAINT permit_documents_request CHECK (request_id IS NOT NULL OR kind = 'PHOTO')
      )`);
    await q.query(`CREATE UNIQUE INDEX permit_documents_current_idx ON permit_documents (request_id, kind) WHERE current`);

    await q.query(`
      CREATE TABLE permit_request_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES permit_requests(id),
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL CHECK (kind IN ('STATUS','MESSAGE','NOTE')),
        status text NULL,
        message text NULL,
        visible_to_family boolean NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('AGENT','FAMILY','SYSTEM')),
        actor_id uuid NULL
      )`);
    await q.query(`CREATE INDEX permit_request_events_request_idx ON permit_request_events (request_id, at)`);

    await q.query(`
      CREATE TABLE permit_lookup_failures (
        id bigserial PRIMARY KEY,
        family_account_id uuid NOT NULL REFERENCES family_accounts(id),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX permit_lookup_failures_idx ON permit_lookup_failures (family_account_id, at)`);

    await q.query(`
      CREATE TABLE permits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NULL UNIQUE REFERENCES permit_requests(id),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        family_account_id uuid NULL REFERENCES family_accounts(id),
        visitor_given_name text NOT NULL,
        visitor_family_name text NOT NULL,
        visitor_birthdate date NOT NULL,
        relationship text NOT NULL,
        photo_document_id uuid NULL REFERENCES permit_documents(id),
        valid_from date NOT NULL,
        valid_to date NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','SUSPENDED','WITHDRAWN')),
        status_reason text NULL,
        origin text NOT NULL CHECK (origin IN ('ONLINE','PAPER','MAGISTRATE')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT permits_validity CHECK (valid_to IS NULL OR valid_to >= valid_from),
        CONSTRAINT permits_status_reason CHECK (status = 'ACTIVE' OR length(trim(status_reason)) > 0)
      )`);
    await q.query(`CREATE INDEX permits_detainee_idx ON permits (detainee_id, status)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE permits`);
    await q.query(`DROP TABLE permit_lookup_failures`);
    await q.query(`DROP TABLE permit_request_events`);
    await q.query(`DROP TABLE permit_documents`);
    await q.query(`DROP TABLE permit_requests`);
  }
}
