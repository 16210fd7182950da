import { MigrationInterface, QueryRunner } from 'typeorm';

const DIRECTIONS = `('BORDEAUX','DIJON','LILLE','LYON','MARSEILLE','PARIS','RENNES','STRASBOURG','TOULOUSE','OUTRE_MER')`;

/**
 * The DAP's national view (issue #15):
 * - each establishment belongs to an interregional direction of the prison services (DISP, or the
 *   mission des services pénitentiaires de l'outre-mer), by a code;
 * - `oversight_assignments`: who sees the figures of every establishment (NATIONAL) or of one
 *   direction's (INTERREGIONAL), beside the per-establishment roles;
 * - `establishment_month_stats`: one row per establishment and month (on its clock) of the figures the
 *   view shows, recomputed by a background job, so the national page reads 190 × 36 rows, not millions
 *   of visits. Sums and counts, never averages, so that months and establishments add up.
 */
export class NationalOversight1763903300000 implements MigrationInterface {
  name = 'NationalOversight1763903300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE establishments ADD COLUMN direction text CONSTRAINT establishments_direction CHECK (direction IN ${DIRECTIONS})`,
    );
    await q.query(`CREATE INDEX establishments_direction_idx ON establishments (direction)`);
    await q.query(`
      CREATE TABLE oversight_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        scope text NOT NULL CHECK (scope IN ('NATIONAL','INTERREGIONAL')),
        direction text CHECK (direction IN ${DIRECTIONS}),
        granted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT oversight_assignments_direction CHECK ((scope = 'NATIONAL') = (direction IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX oversight_assignments_unique ON oversight_assignments (agent_id, scope, coalesce(direction, ''))`);
    await q.query(`
      CREATE TABLE establishment_month_stats (
        establishment_id uuid NOT NULL REFERENCES establishments(id) ON DELETE CASCADE,
        month date NOT NULL CONSTRAINT establishment_month_stats_month CHECK (extract(day FROM month) = 1),
        requests_received int NOT NULL DEFAULT 0,
        granted int NOT NULL DEFAULT 0,
        refused int NOT NULL DEFAULT 0,
        implicitly_rejected int NOT NULL DEFAULT 0,
        decision_days_sum double precision NOT NULL DEFAULT 0,
        decision_days_count int NOT NULL DEFAULT 0,
        visits_booked int NOT NULL DEFAULT 0,
        visits_online int NOT NULL DEFAULT 0,
        visits_held int NOT NULL DEFAULT 0,
        visits_no_show int NOT NULL DEFAULT 0,
        visits_refused int NOT NULL DEFAULT 0,
        visits_cancelled int NOT NULL DEFAULT 0,
        check_seconds_sum double precision NOT NULL DEFAULT 0,
        check_count int NOT NULL DEFAULT 0,
        check_days int NOT NULL DEFAULT 0,
        detainees int NOT NULL DEFAULT 0,
        refreshed_at timestamptz NOT NULL,
        PRIMARY KEY (establishment_id, month),
        CONSTRAINT establishment_month_stats_counts CHECK (
          requests_received >= 0 AND granted >= 0 AND refused >= 0 AND implicitly_rejected >= 0 AND decision_days_count >= 0
          AND visits_booked >= 0 AND visits_online >= 0 AND visits_held >= 0 AND visits_no_show >= 0 AND visits_refused >= 0
          AND visits_cancelled >= 0 AND check_count >= 0 AND check_days >= 0 AND check_days <= 31 AND detainees >= 0
          AND decision_days_sum >= 0 AND check_seconds_sum >= 0)
      )`);
    await q.query(`CREATE INDEX establishment_month_stats_month_idx ON establishment_month_stats (month)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE establishment_month_stats`);
    await q.query(`DROP TABLE oversight_assignments`);
    await q.query(`ALTER TABLE establishments DROP COLUMN direction`);
  }
}
