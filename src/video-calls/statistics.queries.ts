import type { EntityManager } from 'typeorm';
import { select, selectOne } from '../common/sql';
import type { MonthFigures } from './statistics.rules';

/**
 * The figures of the establishment's video calls whose slot starts between two local days (both
 * included), per month of the establishment's clock. Minutes: each held call's duration rounded up
 * to the minute; money in integer cents.
 */
export function figuresByMonth(
  db: EntityManager,
  establishmentId: string,
  timeZone: string,
  from: string,
  to: string,
  quotaCalls: number,
): Promise<MonthFigures[]> {
  return select<MonthFigures>(
    db,
    `WITH b AS (
       SELECT detainee_id, status, duration_seconds, charged_cents, to_char(lower(slot) AT TIME ZONE $2, 'YYYY-MM') AS month
         FROM video_call_bookings
        WHERE establishment_id = $1 AND (lower(slot) AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
     ), per_detainee AS (
       SELECT month, detainee_id, count(*) AS calls FROM b WHERE status <> 'CANCELLED' GROUP BY month, detainee_id
     )
     SELECT b.month,
            count(*)::int AS booked,
            count(*) FILTER (WHERE status = 'HELD')::int AS held,
            count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
            count(*) FILTER (WHERE status = 'NO_SHOW')::int AS "noShow",
            coalesce(sum(ceil(duration_seconds / 60.0)) FILTER (WHERE status = 'HELD'), 0)::int AS minutes,
            coalesce(sum(charged_cents) FILTER (WHERE status = 'HELD'), 0)::int AS "chargedCents",
            (SELECT count(*) FROM per_detainee p WHERE p.month = b.month)::int AS "detaineesWithCall",
            (SELECT count(*) FROM per_detainee p WHERE p.month = b.month AND p.calls >= $5)::int AS "detaineesAtQuota"
       FROM b GROUP BY b.month ORDER BY b.month`,
    [establishmentId, timeZone, from, to, quotaCalls],
  );
}

/** Over the whole period: the detainees with a call not cancelled, and those who reached the quota in at least one month. */
export async function detaineesOverPeriod(
  db: EntityManager,
  establishmentId: string,
  timeZone: string,
  from: string,
  to: string,
  quotaCalls: number,
): Promise<{ detaineesWithCall: number; detaineesAtQuota: number }> {
  const row = await selectOne<{ detaineesWithCall: number; detaineesAtQuota: number }>(
    db,
    `WITH per_detainee AS (
       SELECT detainee_id, to_char(lower(slot) AT TIME ZONE $2, 'YYYY-MM') AS month, count(*) AS calls
         FROM video_call_bookings
        WHERE establishment_id = $1 AND status <> 'CANCELLED' AND (lower(slot) AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
        GROUP BY 1, 2
     )
     SELECT count(DISTINCT detainee_id)::int AS "detaineesWithCall",
            count(DISTINCT detainee_id) FILTER (WHERE calls >= $5)::int AS "detaineesAtQuota"
       FROM per_detainee`,
    [establishmentId, timeZone, from, to, quotaCalls],
  );
  return row ?? { detaineesWithCall: 0, detaineesAtQuota: 0 };
}
