import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Family visit units (UVF) and family parlours (PF), issue 11 (seeds/note-dap-2014-uvf-parloirs-familiaux.md):
 * - family_units: the establishment's UVF apartments and PF rooms, with their capacity (visitors at once);
 * - family_visit_cases: one wished visit of a detainee (UVF or PF, period, duration), grouping the
 *   double written request: the detainee's and each visitor's, each autonomous (its own instruction,
 *   decision and notification) in family_visit_requests; the CPU opinion and, for a prévenu, the
 *   referral to the magistrate are the case's;
 * - family_visit_documents: consents of parental-authority holders, signed rules, encrypted like a
 *   permit's documents;
 * - family_visit_interviews: the SPIP counsellor's interviews with each applicant;
 * - family_visit_events: the case's history;
 * - family_visit_stays: an authorised visit booked in a unit; two stays never overlap in a unit and
 *   never hold more visitors than its capacity (exclusion constraint, trigger).
 */
export class FamilyVisits1763900000000 implements MigrationInterface {
  name = 'FamilyVisits1763900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE family_units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        kind text NOT NULL CHECK (kind IN ('UVF','PF')),
        name text NOT NULL CHECK (length(trim(name)) > 0),
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 20),
        accessible boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT family_units_name_unique UNIQUE (establishment_id, name)
      )`);

    await q.query(`
      CREATE TABLE family_visit_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference varchar(12) NOT NULL UNIQUE,
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        kind text NOT NULL CHECK (kind IN ('UVF','PF')),
        wished_from date NOT NULL,
        wished_to date NOT NULL,
        wished_hours integer NOT NULL CHECK (wished_hours BETWEEN 1 AND 72),
        status text NOT NULL DEFAULT 'INSTRUCTION' CHECK (status IN ('INSTRUCTION','CPU','REFERRED','DECIDED','CLOSED')),
        counsellor_id uuid NULL REFERENCES agents(id),
        cpu_on date NULL,
        cpu_opinion text NULL CHECK (cpu_opinion IN ('FAVOURABLE','UNFAVOURABLE','RESERVED')),
        cpu_notes text NULL,
        magistrate text NULL,
        referred_at timestamptz NULL,
        referral_opinion text NULL,
        proposed_hours integer NULL CHECK (proposed_hours BETWEEN 1 AND 72),
        created_by uuid NULL REFERENCES agents(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT family_visit_cases_period CHECK (wished_to >= wished_from),
        CONSTRAINT family_visit_cases_cpu CHECK ((cpu_opinion IS NULL) = (cpu_on IS NULL))
      )`);
    await q.query(`CREATE INDEX family_visit_cases_queue_idx ON family_visit_cases (establishment_id, status, created_at)`);
    await q.query(`CREATE INDEX family_visit_cases_detainee_idx ON family_visit_cases (detainee_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE family_visit_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES family_visit_cases(id),
        applicant text NOT NULL CHECK (applicant IN ('DETAINEE','VISITOR')),
        permit_id uuid NULL REFERENCES permits(id),
        family_account_id uuid NULL REFERENCES family_accounts(id),
        channel text NOT NULL CHECK (channel IN ('ONLINE','LETTER','EMAIL','IN_PERSON')),
        received_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'RECEIVED'
          CHECK (status IN ('RECEIVED','GRANTED','REFUSED','IMPLICITLY_REJECTED','REFERRED','WITHDRAWN')),
        rules_acknowledged_at timestamptz NULL,
        accompanied_by uuid NULL REFERENCES family_visit_requests(id),
        child_exit_time time NULL,
        child_carer text NULL,
        decided_at timestamptz NULL,
        decided_by uuid NULL REFERENCES agents(id),
        decided_as text NULL,
        decision_motivation text NULL,
        refusal_ground text NULL CHECK (refusal_ground IN ('GOOD_ORDER','SECURITY','CRIME_PREVENTION','ARCHITECTURE','CHILD_INTEREST')),
        granted_hours integer NULL CHECK (granted_hours BETWEEN 1 AND 72),
        magistrate_answer text NULL CHECK (magistrate_answer IN ('PERMANENT','TEMPORARY','REFUSED')),
        magistrate_until date NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT family_visit_requests_visitor_permit CHECK ((applicant = 'VISITOR') = (permit_id IS NOT NULL)),
        CONSTRAINT family_visit_requests_refusal CHECK (status <> 'REFUSED' OR length(trim(decision_motivation)) >= 20),
        CONSTRAINT family_visit_requests_grant CHECK (status <> 'GRANTED' OR granted_hours IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX family_visit_requests_permit_idx ON family_visit_requests (case_id, permit_id) WHERE permit_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX family_visit_requests_family_idx ON family_visit_requests (family_account_id) WHERE family_account_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX family_visit_requests_case_idx ON family_visit_requests (case_id)`);
    // One detainee's request per case (the double request: the detainee's, and each visitor's).
    await q.query(`CREATE UNIQUE INDEX family_visit_requests_detainee_idx ON family_visit_requests (case_id) WHERE applicant = 'DETAINEE'`);

    await q.query(`
      CREATE TABLE family_visit_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES family_visit_requests(id),
        kind text NOT NULL CHECK (kind IN ('PARENTAL_CONSENT','RULES_ACKNOWLEDGEMENT','OTHER')),
        consent_given_by text NULL,
        consent_capacity text NULL CHECK (consent_capacity IN ('BOTH_PARENTS','SOLE_HOLDER','DELEGATE','GUARDIAN')),
        storage_key text NOT NULL UNIQUE,
        content_type text NOT NULL CHECK (content_type IN ('image/jpeg','application/pdf')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL,
        original_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz NULL,
        CONSTRAINT family_visit_documents_consent CHECK (
          (kind = 'PARENTAL_CONSENT') = (consent_capacity IS NOT NULL AND length(trim(consent_given_by)) > 0))
      )`);
    await q.query(`CREATE INDEX family_visit_documents_request_idx ON family_visit_documents (request_id)`);

    await q.query(`
      CREATE TABLE family_visit_interviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES family_visit_requests(id),
        counsellor_id uuid NOT NULL REFERENCES agents(id),
        at timestamptz NOT NULL,
        mode text NOT NULL CHECK (mode IN ('IN_PERSON','PHONE','VISIO')),
        status text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED','DONE','CANCELLED')),
        notes text NULL,
        link_assessment text NULL,
        preparation_assessment text NULL,
        appointment_id uuid NULL REFERENCES appointments(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT family_visit_interviews_done CHECK (status <> 'DONE' OR length(trim(notes)) > 0)
      )`);
    await q.query(`CREATE INDEX family_visit_interviews_request_idx ON family_visit_interviews (request_id, at)`);

    await q.query(`
      CREATE TABLE family_visit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES family_visit_cases(id),
        request_id uuid NULL REFERENCES family_visit_requests(id),
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        message text NULL,
        visible_to_family boolean NOT NULL DEFAULT false,
        actor_type text NOT NULL CHECK (actor_type IN ('AGENT','FAMILY','SYSTEM')),
        actor_id uuid NULL
      )`);
    await q.query(`CREATE INDEX family_visit_events_case_idx ON family_visit_events (case_id, at)`);

    await q.query(`
      CREATE TABLE family_visit_stays (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES family_visit_cases(id),
        unit_id uuid NOT NULL REFERENCES family_units(id),
        during tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
        visitors integer NOT NULL CHECK (visitors > 0),
        status text NOT NULL DEFAULT 'BOOKED' CHECK (status IN ('BOOKED','IN_PROGRESS','ENDED','ENDED_EARLY','CANCELLED')),
        ended_at timestamptz NULL,
        end_reason text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT family_visit_stays_no_overlap EXCLUDE USING gist (unit_id WITH =, during WITH &&) WHERE (status <> 'CANCELLED'),
        CONSTRAINT family_visit_stays_early_end CHECK ((status = 'ENDED_EARLY') = (length(trim(end_reason)) > 0))
      )`);
    await q.query(`CREATE INDEX family_visit_stays_case_idx ON family_visit_stays (case_id)`);
    await q.query(`
      CREATE FUNCTION family_visit_stays_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE cap integer;
      BEGIN
        SELECT capacity INTO cap FROM family_units WHERE id = NEW.unit_id;
        IF NEW.visitors > cap THEN
          RAISE EXCEPTION 'family_visit_stays_capacity: % visitors for a unit of %', NEW.visitors, cap USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER family_visit_stays_capacity BEFORE INSERT OR UPDATE OF visitors, unit_id ON family_visit_stays
        FOR EACH ROW EXECUTE FUNCTION family_visit_stays_capacity()`);

    await q.query(`
      CREATE TABLE family_visit_stay_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stay_id uuid NOT NULL REFERENCES family_visit_stays(id),
        kind text NOT NULL CHECK (kind IN ('ENTRY_INVENTORY','EXIT_INVENTORY','BELONGINGS','PRESENCE_CHECK','ROUND','INCIDENT',
                                           'INTERVENTION','EARLY_END')),
        at timestamptz NOT NULL DEFAULT now(),
        agent_id uuid NOT NULL REFERENCES agents(id),
        notes text NOT NULL CHECK (length(trim(notes)) > 0)
      )`);
    await q.query(`CREATE INDEX family_visit_stay_events_stay_idx ON family_visit_stay_events (stay_id, at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE family_visit_stay_events`);
    await q.query(`DROP TRIGGER family_visit_stays_capacity ON family_visit_stays`);
    await q.query(`DROP FUNCTION family_visit_stays_capacity()`);
    await q.query(`DROP TABLE family_visit_stays`);
    await q.query(`DROP TABLE family_visit_events`);
    await q.query(`DROP TABLE family_visit_interviews`);
    await q.query(`DROP TABLE family_visit_documents`);
    await q.query(`DROP TABLE family_visit_requests`);
    await q.query(`DROP TABLE family_visit_cases`);
    await q.query(`DROP TABLE family_units`);
  }
}
