import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { VisitStatus } from './visit-day.rules';
import {
  type PreventionCause,
  type RestrictedVisit,
  type RestrictionInForce,
  type RestrictionKind,
  restrictionRefusal,
} from './visit-restriction.rules';
import { weekOf } from './visit.rules';

/** The SQL of the periods when a detainee cannot receive the visits booked (R341-3 2° and 3°). */

export interface RestrictionRow {
  id: string;
  detaineeId: string;
  detainee: string;
  ecrouNumber: string;
  kind: RestrictionKind;
  cause: PreventionCause | null;
  startsAt: Date;
  /** The end in force: the early end when there is one. */
  endsAt: Date;
  endedEarlyAt: Date | null;
  note: string | null;
  createdBy: string;
  endedBy: string | null;
}

const COLUMNS = `r.id, r.detainee_id AS "detaineeId", d.first_name || ' ' || upper(d.last_name) AS detainee, d.ecrou_number AS "ecrouNumber",
  r.kind, r.cause, r.starts_at AS "startsAt", coalesce(r.ended_early_at, r.ends_at) AS "endsAt", r.ended_early_at AS "endedEarlyAt",
  r.note, ca.first_name || ' ' || ca.last_name AS "createdBy", ea.first_name || ' ' || ea.last_name AS "endedBy"`;
const FROM = `visit_restrictions r JOIN detainees d ON d.id = r.detainee_id JOIN agents ca ON ca.id = r.created_by
  LEFT JOIN agents ea ON ea.id = r.ended_by`;

/** The establishment's periods still in force or to come (`now` on), and those ended since `since`. */
export function restrictionsOf(db: EntityManager, establishmentId: string, since: Date): Promise<RestrictionRow[]> {
  return select<RestrictionRow>(
    db,
    `SELECT ${COLUMNS} FROM ${FROM}
      WHERE r.establishment_id = $1 AND coalesce(r.ended_early_at, r.ends_at) > $2
      ORDER BY r.starts_at, d.last_name`,
    [establishmentId, since],
  );
}

export function restrictionOf(db: EntityManager, establishmentId: string, id: string, lock = false): Promise<RestrictionRow | null> {
  return selectOne<RestrictionRow>(
    db,
    `SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1 AND r.establishment_id = $2${lock ? ' FOR UPDATE OF r' : ''}`,
    [id, establishmentId],
  );
}

/** The periods in force for a detainee that overlap [from, to). */
export function restrictionsInForce(db: EntityManager, detaineeId: string, from: Date, to: Date): Promise<RestrictionInForce[]> {
  return select<RestrictionInForce>(
    db,
    `SELECT kind, starts_at AS "from", coalesce(ended_early_at, ends_at) AS "to" FROM visit_restrictions
      WHERE detainee_id = $1 AND starts_at < $3 AND coalesce(ended_early_at, ends_at) > $2`,
    [detaineeId, from, to],
  );
}

/** A period of the same kind already in force for the detainee over [from, to). */
export function overlapping(
  db: EntityManager,
  detaineeId: string,
  kind: RestrictionKind,
  from: Date,
  to: Date,
): Promise<{ id: string } | null> {
  return selectOne<{ id: string }>(
    db,
    `SELECT id FROM visit_restrictions
      WHERE detainee_id = $1 AND kind = $2 AND starts_at < $4 AND coalesce(ended_early_at, ends_at) > $3 AND coalesce(ended_early_at, ends_at) > starts_at`,
    [detaineeId, kind, from, to],
  );
}

export async function insertRestriction(
  db: EntityManager,
  r: {
    establishmentId: string;
    detaineeId: string;
    kind: RestrictionKind;
    cause: PreventionCause | null;
    from: Date;
    to: Date;
    note: string | null;
    by: string;
  },
): Promise<string> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO visit_restrictions (establishment_id, detainee_id, kind, cause, starts_at, ends_at, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [r.establishmentId, r.detaineeId, r.kind, r.cause, r.from, r.to, r.note, r.by],
  );
  return row!.id;
}

export async function endRestriction(db: EntityManager, id: string, at: Date, by: string): Promise<void> {
  await execute(db, `UPDATE visit_restrictions SET ended_early_at = greatest($2::timestamptz, starts_at), ended_by = $3 WHERE id = $1`, [
    id,
    at,
    by,
  ]);
}

/** A visit of the detainee that a period may cancel, with who comes (names as the day's list shows them). */
export interface AffectedVisit extends RestrictedVisit {
  reference: string;
  room: string;
  visitors: string[];
  hasConvocation: boolean;
}

/** The detainee's visits (cancelled ones aside) starting in [from, to), in time order. */
export function detaineeVisits(db: EntityManager, detaineeId: string, from: Date, to: Date): Promise<AffectedVisit[]> {
  return select<AffectedVisit>(
    db,
    `SELECT v.id, v.reference, v.status, lower(v.during) AS "startsAt", r.name AS room, v.appointment_id IS NOT NULL AS "hasConvocation",
            coalesce((SELECT array_agg(coalesce(p.visitor_given_name || ' ' || upper(p.visitor_family_name), vv.given_name || ' ' || upper(vv.family_name))
                                       ORDER BY vv.id)
                        FROM visit_visitors vv LEFT JOIN permits p ON p.id = vv.permit_id WHERE vv.visit_id = v.id), '{}') AS visitors
       FROM visits v JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id
      WHERE v.detainee_id = $1 AND v.status <> 'CANCELLED' AND lower(v.during) >= $2 AND lower(v.during) < $3
      ORDER BY lower(v.during)`,
    [detaineeId, from, to],
  );
}

/** The statuses of the detainee's other visits in [from, to) (a booking counts the week's). */
export async function weekStatuses(
  db: EntityManager,
  detaineeId: string,
  from: Date,
  to: Date,
  exceptVisit: string | null,
): Promise<VisitStatus[]> {
  const rows = await select<{ status: VisitStatus }>(
    db,
    `SELECT status FROM visits WHERE detainee_id = $1 AND status <> 'CANCELLED' AND lower(during) >= $2 AND lower(during) < $3
        AND id IS DISTINCT FROM $4::uuid`,
    [detaineeId, from, to, exceptVisit],
  );
  return rows.map((r) => r.status);
}

/**
 * Why a visit of this detainee at [startsAt, endsAt) cannot be booked because of a period (R341-3
 * 2° and 3°), or null. Runs in the booking's transaction, under the detainee's lock.
 */
export async function restrictionRefusalFor(
  m: EntityManager,
  detaineeId: string,
  startsAt: Date,
  endsAt: Date,
  timeZone: string,
  exceptVisit: string | null,
  staff: boolean,
): Promise<{ code: string; message: string } | null> {
  const restrictions = await restrictionsInForce(m, detaineeId, startsAt, endsAt);
  if (restrictions.length === 0) return null;
  const week = weekOf(startsAt, timeZone);
  return restrictionRefusal(restrictions, startsAt, await weekStatuses(m, detaineeId, week.from, week.to, exceptVisit), staff);
}
