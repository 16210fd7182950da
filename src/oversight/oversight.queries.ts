import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { Direction, MonthSums, OversightGrant } from './oversight.rules';

export interface ScopedEstablishment {
  id: string;
  code: string;
  name: string;
  direction: Direction | null;
  timeZone: string;
}

/** The establishments of these directions (all of them for `null`), by name. */
export function establishmentsIn(db: EntityManager, directions: Direction[] | null): Promise<ScopedEstablishment[]> {
  return select<ScopedEstablishment>(
    db,
    `SELECT id, code, name, direction, time_zone AS "timeZone" FROM establishments
      WHERE $1::text[] IS NULL OR direction = ANY ($1::text[]) ORDER BY name, code`,
    [directions],
  );
}

export function establishmentByCode(db: EntityManager, code: string): Promise<ScopedEstablishment | null> {
  return selectOne<ScopedEstablishment>(
    db,
    `SELECT id, code, name, direction, time_zone AS "timeZone" FROM establishments WHERE code = $1`,
    [code],
  );
}

/** Whether the establishment's months were computed once already. */
export async function hasMonths(db: EntityManager, establishmentId: string): Promise<boolean> {
  return (await selectOne(db, `SELECT 1 FROM establishment_month_stats WHERE establishment_id = $1 LIMIT 1`, [establishmentId])) !== null;
}

/**
 * Recomputes the establishment's months from `fromMonth` (AAAA-MM-01) to `toMonth` excluded, on its
 * clock (`timeZone`): requests received (submitted in the month), decisions made in it (explicit ones
 * with their delay from the complete request), visits by their day, the tablet's checks, and the
 * population present now. One statement, each month's row written whole.
 */
export function refreshMonths(
  db: EntityManager,
  e: { id: string; timeZone: string },
  fromMonth: string,
  toMonth: string,
  now: Date,
): Promise<number> {
  return execute(
    db,
    `WITH b AS (SELECT ($2::date::timestamp AT TIME ZONE $4) AS lo, ($3::date::timestamp AT TIME ZONE $4) AS hi),
     months AS (SELECT generate_series($2::date, $3::date - 1, interval '1 month')::date AS month),
     received AS (
       SELECT date_trunc('month', r.submitted_at AT TIME ZONE $4)::date AS month, count(*)::int AS n
         FROM permit_requests r, b WHERE r.establishment_id = $1 AND r.submitted_at >= b.lo AND r.submitted_at < b.hi GROUP BY 1),
     decided AS (
       SELECT date_trunc('month', r.decided_at AT TIME ZONE $4)::date AS month,
              count(*) FILTER (WHERE r.status = 'GRANTED')::int AS granted,
              count(*) FILTER (WHERE r.status = 'REFUSED')::int AS refused,
              count(*) FILTER (WHERE r.status = 'IMPLICITLY_REJECTED')::int AS implicit,
              coalesce(sum(greatest(extract(epoch FROM r.decided_at - r.complete_at), 0) / 86400)
                FILTER (WHERE r.status IN ('GRANTED','REFUSED') AND r.complete_at IS NOT NULL), 0) AS days_sum,
              count(*) FILTER (WHERE r.status IN ('GRANTED','REFUSED') AND r.complete_at IS NOT NULL)::int AS days_count
         FROM permit_requests r, b
        WHERE r.establishment_id = $1 AND r.status IN ('GRANTED','REFUSED','IMPLICITLY_REJECTED')
          AND r.decided_at >= b.lo AND r.decided_at < b.hi GROUP BY 1),
     vis AS (
       SELECT date_trunc('month', lower(v.during) AT TIME ZONE $4)::date AS month,
              count(*) FILTER (WHERE v.status <> 'CANCELLED')::int AS booked,
              count(*) FILTER (WHERE v.status <> 'CANCELLED' AND v.channel = 'ONLINE')::int AS online,
              count(*) FILTER (WHERE v.status IN ('DONE','IN_PROGRESS'))::int AS held,
              count(*) FILTER (WHERE v.status = 'NO_SHOW')::int AS no_show,
              count(*) FILTER (WHERE v.status = 'REFUSED')::int AS refused,
              count(*) FILTER (WHERE v.status = 'CANCELLED')::int AS cancelled,
              coalesce(sum(extract(epoch FROM v.last_check_at - v.first_check_at)) FILTER (WHERE v.last_check_at > v.first_check_at), 0) AS check_sum,
              count(*) FILTER (WHERE v.last_check_at > v.first_check_at)::int AS check_count,
              count(DISTINCT (v.first_check_at AT TIME ZONE $4)::date)::int AS check_days
         FROM visits v, b WHERE v.establishment_id = $1 AND lower(v.during) >= b.lo AND lower(v.during) < b.hi GROUP BY 1),
     pop AS (SELECT count(*)::int AS n FROM detainees WHERE establishment_id = $1 AND custody_status = 'PRESENT')
     INSERT INTO establishment_month_stats (establishment_id, month, requests_received, granted, refused, implicitly_rejected,
            decision_days_sum, decision_days_count, visits_booked, visits_online, visits_held, visits_no_show, visits_refused,
            visits_cancelled, check_seconds_sum, check_count, check_days, detainees, refreshed_at)
     SELECT $1, m.month, coalesce(rc.n, 0), coalesce(d.granted, 0), coalesce(d.refused, 0), coalesce(d.implicit, 0),
            coalesce(d.days_sum, 0), coalesce(d.days_count, 0), coalesce(v.booked, 0), coalesce(v.online, 0), coalesce(v.held, 0),
            coalesce(v.no_show, 0), coalesce(v.refused, 0), coalesce(v.cancelled, 0), coalesce(v.check_sum, 0),
            coalesce(v.check_count, 0), coalesce(v.check_days, 0), pop.n, $5
       FROM months m CROSS JOIN pop LEFT JOIN received rc USING (month) LEFT JOIN decided d USING (month) LEFT JOIN vis v USING (month)
     ON CONFLICT (establishment_id, month) DO UPDATE SET
       requests_received = EXCLUDED.requests_received, granted = EXCLUDED.granted, refused = EXCLUDED.refused,
       implicitly_rejected = EXCLUDED.implicitly_rejected, decision_days_sum = EXCLUDED.decision_days_sum,
       decision_days_count = EXCLUDED.decision_days_count, visits_booked = EXCLUDED.visits_booked, visits_online = EXCLUDED.visits_online,
       visits_held = EXCLUDED.visits_held, visits_no_show = EXCLUDED.visits_no_show, visits_refused = EXCLUDED.visits_refused,
       visits_cancelled = EXCLUDED.visits_cancelled, check_seconds_sum = EXCLUDED.check_seconds_sum, check_count = EXCLUDED.check_count,
       check_days = EXCLUDED.check_days, detainees = EXCLUDED.detainees, refreshed_at = EXCLUDED.refreshed_at`,
    [e.id, fromMonth, toMonth, e.timeZone, now],
  );
}

const SUMS = `sum(s.requests_received)::int AS "requestsReceived", sum(s.granted)::int AS granted, sum(s.refused)::int AS refused,
  sum(s.implicitly_rejected)::int AS "implicitlyRejected", sum(s.decision_days_sum)::float8 AS "decisionDaysSum",
  sum(s.decision_days_count)::int AS "decisionDaysCount", sum(s.visits_booked)::int AS "visitsBooked",
  sum(s.visits_online)::int AS "visitsOnline", sum(s.visits_held)::int AS "visitsHeld", sum(s.visits_no_show)::int AS "visitsNoShow",
  sum(s.visits_refused)::int AS "visitsRefused", sum(s.visits_cancelled)::int AS "visitsCancelled",
  sum(s.check_seconds_sum)::float8 AS "checkSecondsSum", sum(s.check_count)::int AS "checkCount", sum(s.check_days)::int AS "checkDays",
  sum(s.check_days::float8 * s.detainees)::float8 AS "checkDayDetainees"`;

/** Sums plus Σ (check days × population) over the rows, from which the hours saved follow. */
export type SumsRow = MonthSums & { checkDayDetainees: number };

/** Per establishment of the scope, the months [from, to] added up; the population of the last month. */
export function sumsPerEstablishment(
  db: EntityManager,
  directions: Direction[] | null,
  from: string,
  to: string,
): Promise<(SumsRow & { establishmentId: string })[]> {
  return select(
    db,
    `SELECT s.establishment_id AS "establishmentId", ${SUMS},
            (array_agg(s.detainees ORDER BY s.month DESC))[1] AS detainees
       FROM establishment_month_stats s JOIN establishments e ON e.id = s.establishment_id
      WHERE s.month >= $2::date AND s.month <= $3::date AND ($1::text[] IS NULL OR e.direction = ANY ($1::text[]))
      GROUP BY s.establishment_id`,
    [directions, `${from}-01`, `${to}-01`],
  );
}

/** Per month of [from, to], the establishments of the scope (or the one given) added up. */
export function sumsPerMonth(
  db: EntityManager,
  scope: { directions: Direction[] | null } | { establishmentId: string },
  from: string,
  to: string,
): Promise<(SumsRow & { month: string })[]> {
  const one = 'establishmentId' in scope;
  return select(
    db,
    `SELECT to_char(s.month, 'YYYY-MM') AS month, ${SUMS}, sum(s.detainees)::int AS detainees
       FROM establishment_month_stats s JOIN establishments e ON e.id = s.establishment_id
      WHERE s.month >= $2::date AND s.month <= $3::date
        AND ${one ? 's.establishment_id = $1::uuid' : '($1::text[] IS NULL OR e.direction = ANY ($1::text[]))'}
      GROUP BY s.month ORDER BY s.month`,
    [one ? scope.establishmentId : scope.directions, `${from}-01`, `${to}-01`],
  );
}

/** When the figures of the scope were last computed (the oldest of its establishments'), or null. */
export async function computedAt(db: EntityManager, directions: Direction[] | null): Promise<Date | null> {
  const row = await selectOne<{ at: Date | null }>(
    db,
    `SELECT min(last) AS at FROM (
       SELECT max(s.refreshed_at) AS last FROM establishment_month_stats s JOIN establishments e ON e.id = s.establishment_id
        WHERE $1::text[] IS NULL OR e.direction = ANY ($1::text[]) GROUP BY s.establishment_id) t`,
    [directions],
  );
  return row?.at ?? null;
}

/** Gives an agent a view; null when they hold it already. */
export async function insertOversight(db: EntityManager, agentId: string, grant: OversightGrant): Promise<string | null> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO oversight_assignments (agent_id, scope, direction) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
    [agentId, grant.scope, grant.scope === 'INTERREGIONAL' ? grant.direction : null],
  );
  return row?.id ?? null;
}

/** Takes a view back; its id, or null when the agent did not hold it. */
export async function deleteOversight(db: EntityManager, agentId: string, grant: OversightGrant): Promise<string | null> {
  const row = await selectOne<{ id: string }>(
    db,
    `DELETE FROM oversight_assignments WHERE agent_id = $1 AND scope = $2 AND coalesce(direction, '') = $3 RETURNING id`,
    [agentId, grant.scope, grant.scope === 'INTERREGIONAL' ? grant.direction : ''],
  );
  return row?.id ?? null;
}
