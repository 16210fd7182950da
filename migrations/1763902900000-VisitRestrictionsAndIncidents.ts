import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unexpected on the day. A detainee materially prevented (hospital, court extraction, transfer:
 * R341-3 2°) or in the disciplinary cell (one visit a week: R341-3 3°) for a period, recorded by
 * staff and reversible (ended early); at most one period of each kind at a time per detainee. A
 * visit interrupted (R341-12) or any incident at the visiting rooms gives a report (compte-rendu
 * d'incident) attached to the visit; a visit is interrupted once at most.
 */
export class VisitRestrictionsAndIncidents1763902900000 implements MigrationInterface {
  name = 'VisitRestrictionsAndIncidents1763902900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visit_restrictions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        detainee_id uuid NOT NULL REFERENCES detainees(id),
        kind text NOT NULL CHECK (kind IN ('PREVENTED', 'DISCIPLINARY')),
        cause text NULL CHECK (cause IN ('HOSPITAL', 'COURT', 'TRANSFER', 'OTHER')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        note text NULL,
        created_by uuid NOT NULL REFERENCES agents(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_early_at timestamptz NULL,
        ended_by uuid NULL REFERENCES agents(id),
        CONSTRAINT visit_restrictions_period CHECK (ends_at > starts_at),
        CONSTRAINT visit_restrictions_cause CHECK ((kind = 'PREVENTED') = (cause IS NOT NULL)),
        CONSTRAINT visit_restrictions_ended CHECK (
          (ended_early_at IS NULL) = (ended_by IS NULL)
          AND (ended_early_at IS NULL OR (ended_early_at >= starts_at AND ended_early_at < ends_at))),
        CONSTRAINT visit_restrictions_no_overlap EXCLUDE USING gist (
          detainee_id WITH =, kind WITH =, tstzrange(starts_at, coalesce(ended_early_at, ends_at)) WITH &&)
      )`);
    await q.query(`CREATE INDEX visit_restrictions_establishment_idx ON visit_restrictions (establishment_id, ends_at)`);
    await q.query(`
      CREATE TABLE visit_incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        establishment_id uuid NOT NULL REFERENCES establishments(id),
        visit_id uuid NOT NULL REFERENCES visits(id),
        visitor_id uuid NULL REFERENCES visit_visitors(id),
        reason text NOT NULL CHECK (reason IN ('BEHAVIOUR', 'FORBIDDEN_ITEM', 'VIOLENCE', 'RULES', 'REQUEST', 'HEALTH', 'OTHER')),
        report text NOT NULL CHECK (char_length(btrim(report)) >= 20),
        interrupted_at timestamptz NULL,
        written_by uuid NOT NULL REFERENCES agents(id),
        written_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX visit_incidents_one_interruption ON visit_incidents (visit_id) WHERE interrupted_at IS NOT NULL`);
    await q.query(`CREATE INDEX visit_incidents_establishment_idx ON visit_incidents (establishment_id, written_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE visit_incidents`);
    await q.query(`DROP TABLE visit_restrictions`);
  }
}
