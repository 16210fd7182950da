import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { CheckStatus, RefusalReason, VisitStatus } from './visit-day.rules';
import type { VisitChannel } from './visit.entity';
import type { RoomKind } from './visiting-room.entity';
import type { PermitInUse } from '../permits/permit-validity';

/**
 * The SQL of the day at the visiting rooms: the day's list (with the detainees' names and housing
 * and the permit photos, joined for display), the arrival checks, the end of visits, the statistics.
 */

export interface DayVisitor {
  id: string;
  visitId: string;
  permitId: string | null;
  name: string;
  birthdate: string | null;
  photoDocumentId: string | null;
  permitStatus: 'ACTIVE' | 'ON_HOLD' | 'SUSPENDED' | 'WITHDRAWN' | null;
  /**
   * The permit's limits and conditions (null without a permit): `visitsUsed` counts its visits starting
   * before this one (0 when it has no `maxVisits`).
   */
  permit: PermitInUse | null;
  checkStatus: CheckStatus | null;
  refusalReason: RefusalReason | null;
  checkedAt: Date | null;
  /** The parental-authority holders' consent to come without an adult is recorded on the permit. */
  unaccompaniedConsent: boolean;
}

export interface DayVisitRow {
  id: string;
  reference: string;
  status: VisitStatus;
  startsAt: Date;
  endsAt: Date;
  room: string;
  roomKind: RoomKind;
  slotId: string;
  detainee: string;
  ecrouNumber: string;
  housing: string | null;
  channel: VisitChannel;
  reviewReason: string | null;
  appointmentId: string | null;
}

export interface DayVisit extends DayVisitRow {
  visitors: DayVisitor[];
}

const VISIT_COLUMNS = `v.id, v.reference, v.status, lower(v.during) AS "startsAt", upper(v.during) AS "endsAt", r.name AS room,
  r.kind AS "roomKind", v.slot_id AS "slotId", d.first_name || ' ' || upper(d.last_name) AS detainee, d.ecrou_number AS "ecrouNumber", d.housing, v.channel,
  v.review_reason AS "reviewReason", v.appointment_id AS "appointmentId"`;
const VISIT_FROM = `visits v JOIN detainees d ON d.id = v.detainee_id JOIN visit_slots s ON s.id = v.slot_id
  JOIN visiting_rooms r ON r.id = s.room_id`;

/** The visits (not cancelled) starting in [from, to); `search` (trimmed, may be empty) by reference, écrou or a name. */
export function visitsBetween(db: EntityManager, establishmentId: string, from: Date, to: Date, search: string): Promise<DayVisitRow[]> {
  return select<DayVisitRow>(
    db,
    `SELECT ${VISIT_COLUMNS} FROM ${VISIT_FROM}
      WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 AND v.status <> 'CANCELLED'
        AND ($4 = '' OR upper(v.reference) = upper($4) OR d.ecrou_number = upper($4)
             OR unaccent_fold(d.last_name || ' ' || d.first_name) LIKE '%' || unaccent_fold($4) || '%'
             OR EXISTS (SELECT 1 FROM visit_visitors x LEFT JOIN permits xp ON xp.id = x.permit_id
                         WHERE x.visit_id = v.id
                           AND unaccent_fold(coalesce(xp.visitor_family_name || ' ' || xp.visitor_given_name,
                                                      x.family_name || ' ' || x.given_name)) LIKE '%' || unaccent_fold($4) || '%'))
      ORDER BY lower(v.during), r.name, d.last_name`,
    [establishmentId, from, to, search],
  );
}

export function visitOfEstablishment(db: EntityManager, establishmentId: string, visitId: string): Promise<DayVisitRow | null> {
  return selectOne<DayVisitRow>(db, `SELECT ${VISIT_COLUMNS} FROM ${VISIT_FROM} WHERE v.id = $1 AND v.establishment_id = $2`, [
    visitId,
    establishmentId,
  ]);
}

/**
 * The visitors of these visits, by visit then name: the permit's identity and photo, or the name a
 * GENESIS list gave. The visits a permit has served are counted only for the few permits limited to a
 * number of visits, in a second statement: inside the first, their planned cost made PostgreSQL
 * compile the whole statement (JIT) on a national database, 80 ms of the busiest day list's 85.
 */
export async function visitorsOf(db: EntityManager, visitIds: string[]): Promise<DayVisitor[]> {
  const rows = await select<DayVisitor>(
    db,
    `SELECT vv.id, vv.visit_id AS "visitId", vv.permit_id AS "permitId",
            coalesce(p.visitor_given_name || ' ' || upper(p.visitor_family_name), vv.given_name || ' ' || upper(vv.family_name)) AS name,
            to_char(coalesce(p.visitor_birthdate, vv.birthdate), 'YYYY-MM-DD') AS birthdate, p.photo_document_id AS "photoDocumentId",
            p.status AS "permitStatus",
            CASE WHEN p.id IS NOT NULL THEN json_build_object(
              'status', p.status, 'validFrom', to_char(p.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(p.valid_to, 'YYYY-MM-DD'),
              'maxVisits', p.max_visits, 'roomCondition', p.room_condition, 'allowedDays', p.allowed_days,
              'allowedFrom', to_char(p.allowed_from, 'HH24:MI'), 'allowedTo', to_char(p.allowed_to, 'HH24:MI'),
              'conditionsNote', p.conditions_note, 'visitsUsed', 0)
            END AS permit,
            vv.check_status AS "checkStatus", vv.refusal_reason AS "refusalReason", vv.checked_at AS "checkedAt",
            coalesce(p.unaccompanied_consent_at IS NOT NULL, false) AS "unaccompaniedConsent"
       FROM visit_visitors vv LEFT JOIN permits p ON p.id = vv.permit_id
      WHERE vv.visit_id = ANY($1::uuid[]) ORDER BY vv.visit_id, name`,
    [visitIds],
  );
  const limited = rows.filter((r) => r.permit?.maxVisits !== null && r.permit?.maxVisits !== undefined).map((r) => r.id);
  if (limited.length > 0) {
    const used = await select<{ id: string; n: number }>(
      db,
      `SELECT vv.id, (SELECT count(*)::int FROM visit_visitors uv JOIN visits u ON u.id = uv.visit_id
                       WHERE uv.permit_id = vv.permit_id AND u.status <> 'CANCELLED' AND u.id <> vv.visit_id
                         AND lower(u.during) < lower(v.during)) AS n
         FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id WHERE vv.id = ANY($1::uuid[])`,
      [limited],
    );
    const byId = new Map(used.map((u) => [u.id, u.n]));
    for (const r of rows) if (r.permit && byId.has(r.id)) r.permit = { ...r.permit, visitsUsed: byId.get(r.id)! };
  }
  return rows;
}

/** The visit whose convocation carries this appointment, with its establishment's code. */
export function visitByAppointment(db: EntityManager, appointmentId: string) {
  return selectOne<{ id: string; establishmentCode: string }>(
    db,
    `SELECT v.id, e.code AS "establishmentCode"
       FROM visits v JOIN establishments e ON e.id = v.establishment_id WHERE v.appointment_id = $1`,
    [appointmentId],
  );
}

/** A visit of the establishment locked for a check or its end. */
export function lockDayVisit(db: EntityManager, establishmentId: string, visitId: string) {
  return selectOne<{ id: string; status: VisitStatus; startsAt: Date }>(
    db,
    `SELECT id, status, lower(during) AS "startsAt" FROM visits WHERE id = $1 AND establishment_id = $2 FOR UPDATE`,
    [visitId, establishmentId],
  );
}

/** A visitor of a visit, before its check (the permit's limits and conditions as in visitorsOf). */
export async function visitorCheck(db: EntityManager, visitId: string, visitorId: string) {
  const [visitor] = (await visitorsOf(db, [visitId])).filter((x) => x.id === visitorId);
  return visitor ?? null;
}

export async function recordCheck(
  db: EntityManager,
  visitorId: string,
  check: { status: CheckStatus; reason: RefusalReason | null; at: Date; by: string | null },
): Promise<void> {
  await execute(db, `UPDATE visit_visitors SET check_status = $2, refusal_reason = $3, checked_at = $4, checked_by = $5 WHERE id = $1`, [
    visitorId,
    check.status,
    check.reason,
    check.at,
    check.by,
  ]);
}

export async function checksOf(db: EntityManager, visitId: string): Promise<(CheckStatus | null)[]> {
  const rows = await select<{ checkStatus: CheckStatus | null }>(
    db,
    `SELECT check_status AS "checkStatus" FROM visit_visitors WHERE visit_id = $1`,
    [visitId],
  );
  return rows.map((r) => r.checkStatus);
}

export async function setStatusAfterCheck(db: EntityManager, visitId: string, status: VisitStatus, at: Date): Promise<void> {
  await execute(db, `UPDATE visits SET status = $2, first_check_at = coalesce(first_check_at, $3), last_check_at = $3 WHERE id = $1`, [
    visitId,
    status,
    at,
  ]);
}

export async function markDone(db: EntityManager, visitId: string, at: Date): Promise<void> {
  await execute(db, `UPDATE visits SET status = 'DONE', ended_at = $2 WHERE id = $1`, [visitId, at]);
}

// ---------- Statistics ----------

export interface VisitCounts {
  booked: number;
  held: number;
  noShows: number;
  refused: number;
  cancelled: number;
}

const COUNTS = `count(*) FILTER (WHERE v.status <> 'CANCELLED')::int AS booked,
                count(*) FILTER (WHERE v.status IN ('DONE','IN_PROGRESS'))::int AS held,
                count(*) FILTER (WHERE v.status = 'NO_SHOW')::int AS "noShows",
                count(*) FILTER (WHERE v.status = 'REFUSED')::int AS refused,
                count(*) FILTER (WHERE v.status = 'CANCELLED')::int AS cancelled`;

/** Counts per ISO week ("2026-S48"), weeks on the establishment's clock. */
export function countsPerWeek(db: EntityManager, establishmentId: string, from: Date, to: Date, timeZone: string) {
  return select<VisitCounts & { week: string }>(
    db,
    `SELECT to_char(lower(v.during) AT TIME ZONE $4, 'IYYY-"S"IW') AS week, ${COUNTS}
       FROM visits v WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 GROUP BY 1 ORDER BY 1`,
    [establishmentId, from, to, timeZone],
  );
}

/** Counts per weekly slot: ISO weekday, local start time and room. */
export function countsPerSlot(db: EntityManager, establishmentId: string, from: Date, to: Date, timeZone: string) {
  return select<VisitCounts & { dow: number; time: string; room: string }>(
    db,
    `SELECT extract(isodow FROM lower(v.during) AT TIME ZONE $4)::int AS dow, to_char(lower(v.during) AT TIME ZONE $4, 'HH24:MI') AS time,
            r.name AS room, ${COUNTS}
       FROM visits v JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id
      WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [establishmentId, from, to, timeZone],
  );
}

export function refusalsByReason(db: EntityManager, establishmentId: string, from: Date, to: Date) {
  return select<{ reason: RefusalReason; n: number }>(
    db,
    `SELECT vv.refusal_reason AS reason, count(*)::int AS n FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id
      WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 AND vv.check_status = 'REFUSED'
      GROUP BY 1 ORDER BY 2 DESC`,
    [establishmentId, from, to],
  );
}

/** Seconds from the first to the last visitor check, for visits where more than one visitor was checked. */
export async function checkDurations(db: EntityManager, establishmentId: string, from: Date, to: Date): Promise<number[]> {
  const rows = await select<{ seconds: number }>(
    db,
    `SELECT extract(epoch FROM v.last_check_at - v.first_check_at)::float AS seconds FROM visits v
      WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 AND v.first_check_at IS NOT NULL
        AND (SELECT count(*) FROM visit_visitors vv WHERE vv.visit_id = v.id AND vv.check_status IS NOT NULL) > 1`,
    [establishmentId, from, to],
  );
  return rows.map((r) => r.seconds);
}
