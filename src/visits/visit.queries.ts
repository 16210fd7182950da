import type { EntityManager } from 'typeorm';
import type { HolidayZone } from '../common/public-holidays';
import { execute, select, selectOne } from '../common/sql';
import type { VisitStatus } from './visit-day.rules';
import type { VisitChannel } from './visit.entity';
import type { DetaineeVisit, LegalStatus } from './visit.rules';
import type { PermitInUse } from '../permits/permit-validity';

/**
 * The SQL of bookings: slots (places booked and held, under row locks), visits and their visitors,
 * and the read models of the families' and the agents' pages (tables visit_slots, visits, visit_visitors).
 *
 * Documented exception to "a module reads only its own tables" (docs/architecture.md): a booking
 * checks the detainee and the permits in its own transaction, under FOR SHARE locks, so a permit
 * suspended or a detainee transferred at the same moment cannot slip through; those reads of the
 * `detainees` and `permits` tables are the section "Detainees and permits" below, and nowhere else
 * in the module's commands. Read models join them (and `establishments`) for names only.
 */

/** `[start,end)`, the tstzrange of a visit and of its visitors. */
export function rangeOf(startsAt: Date, endsAt: Date): string {
  return `[${startsAt.toISOString()},${endsAt.toISOString()})`;
}

// ---------- Slots ----------

export interface SlotRow {
  id: string;
  capacity: number;
  booked: number;
  held: number;
}

/** Places taken (booked + held) per slot of the establishment after an instant, by room and start. */
export function slotOccupancy(db: EntityManager, establishmentId: string, after: Date) {
  return select<{ roomId: string; startsAt: Date; taken: number }>(
    db,
    `SELECT s.room_id AS "roomId", s.starts_at AS "startsAt", s.booked + s.held AS taken
       FROM visit_slots s JOIN visiting_rooms r ON r.id = s.room_id WHERE r.establishment_id = $1 AND s.starts_at > $2`,
    [establishmentId, after],
  );
}

/** The slot row of an occurrence, created on first use (not locked: see lockSlots). */
export async function ensureSlot(
  db: EntityManager,
  s: { roomId: string; templateId: string | null; startsAt: Date; endsAt: Date; capacity: number },
): Promise<string> {
  await execute(
    db,
    `INSERT INTO visit_slots (room_id, template_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (room_id, starts_at) DO NOTHING`,
    [s.roomId, s.templateId, s.startsAt, s.endsAt, s.capacity],
  );
  const row = await selectOne<{ id: string }>(db, `SELECT id FROM visit_slots WHERE room_id = $1 AND starts_at = $2`, [
    s.roomId,
    s.startsAt,
  ]);
  return row!.id;
}

/**
 * THE slot lock: every change of a slot's places (booking, move, cancellation, waiting-list offer,
 * import) takes its row lock here first, several rows always in id order (no deadlock between two
 * opposite moves).
 */
export function lockSlots(db: EntityManager, ids: string[]): Promise<SlotRow[]> {
  return select<SlotRow>(db, `SELECT id, capacity, booked, held FROM visit_slots WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
    [...new Set(ids)],
  ]);
}

/** A place of a locked slot booked (+1) or freed (-1). */
export async function addBooked(db: EntityManager, slotId: string, delta: 1 | -1): Promise<void> {
  await execute(db, `UPDATE visit_slots SET booked = booked + $2 WHERE id = $1`, [slotId, delta]);
}

/** A place of a locked slot held for the family offered it (+1) or released (-1). */
export async function addHeld(db: EntityManager, slotId: string, delta: 1 | -1): Promise<void> {
  await execute(db, `UPDATE visit_slots SET held = held + $2 WHERE id = $1`, [slotId, delta]);
}

/** The slot of an occurrence, if anyone booked it yet (read without lock). */
export function slotAt(db: EntityManager, roomId: string, startsAt: Date): Promise<SlotRow | null> {
  return selectOne<SlotRow>(db, `SELECT id, capacity, booked, held FROM visit_slots WHERE room_id = $1 AND starts_at = $2`, [
    roomId,
    startsAt,
  ]);
}

export function slotOccurrence(db: EntityManager, slotId: string) {
  return selectOne<{ templateId: string | null; startsAt: Date }>(
    db,
    `SELECT template_id AS "templateId", starts_at AS "startsAt" FROM visit_slots WHERE id = $1`,
    [slotId],
  );
}

// ---------- Visits ----------

export interface NewVisit {
  establishmentId: string;
  slotId: string;
  detaineeId: string;
  familyAccountId: string | null;
  reference: string;
  channel: VisitChannel;
  idempotencyKey: string | null;
  range: string;
  bookedByAgent: string | null;
  importId: string | null;
}

export async function insertVisit(db: EntityManager, v: NewVisit): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO visits (establishment_id, slot_id, detainee_id, family_account_id, reference, channel, idempotency_key, during,
                         booked_by_agent, import_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::tstzrange, $9, $10) RETURNING id`,
    [
      v.establishmentId,
      v.slotId,
      v.detaineeId,
      v.familyAccountId,
      v.reference,
      v.channel,
      v.idempotencyKey,
      v.range,
      v.bookedByAgent,
      v.importId,
    ],
  );
  return row.id;
}

/** A visitor holding a permit. */
export async function insertVisitor(db: EntityManager, visitId: string, permitId: string, range: string): Promise<void> {
  await execute(db, `INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [visitId, permitId, range]);
}

/** A visitor known by name only (a GENESIS list without a matching digital permit). */
export async function insertNamedVisitor(
  db: EntityManager,
  visitId: string,
  who: { givenName: string; familyName: string; birthdate: string },
  range: string,
): Promise<void> {
  await execute(
    db,
    `INSERT INTO visit_visitors (visit_id, given_name, family_name, birthdate, during) VALUES ($1, $2, $3, $4, $5::tstzrange)`,
    [visitId, who.givenName, who.familyName, who.birthdate, range],
  );
}

export async function setAppointment(db: EntityManager, visitId: string, appointmentId: string): Promise<void> {
  await execute(db, `UPDATE visits SET appointment_id = $2 WHERE id = $1`, [visitId, appointmentId]);
}

export function visitByIdempotencyKey(db: EntityManager, familyId: string, key: string) {
  return selectOne<{ id: string; reference: string; startsAt: Date }>(
    db,
    `SELECT id, reference, lower(during) AS "startsAt" FROM visits WHERE family_account_id = $1 AND idempotency_key = $2`,
    [familyId, key],
  );
}

export interface LockedVisit {
  id: string;
  slotId: string;
  establishmentId: string;
  detaineeId: string;
  familyAccountId: string | null;
  appointmentId: string | null;
  status: VisitStatus;
  reference: string;
  startsAt: Date;
  reviewReason: string | null;
}

/** A visit locked for a change, found by its id or by its convocation's appointment. */
export function lockVisit(db: EntityManager, by: { id: string } | { appointmentId: string }): Promise<LockedVisit | null> {
  const [column, value] = 'id' in by ? ['id', by.id] : ['appointment_id', by.appointmentId];
  return selectOne<LockedVisit>(
    db,
    `SELECT id, slot_id AS "slotId", establishment_id AS "establishmentId", detainee_id AS "detaineeId",
            family_account_id AS "familyAccountId", appointment_id AS "appointmentId", status, reference, lower(during) AS "startsAt",
            review_reason AS "reviewReason"
       FROM visits WHERE ${column} = $1 FOR UPDATE`,
    [value],
  );
}

/** What a reminder of a visit's convocation is re-checked against: the visit's status and its "À revoir" flag. */
export function visitReminderState(db: EntityManager, appointmentId: string) {
  return selectOne<{ status: VisitStatus; reviewReason: string | null }>(
    db,
    `SELECT status, review_reason AS "reviewReason" FROM visits WHERE appointment_id = $1`,
    [appointmentId],
  );
}

/** A visit of the establishment (null for another establishment's). */
export function visitOfEstablishment(db: EntityManager, establishmentId: string, visitId: string) {
  return selectOne<{ id: string; appointmentId: string | null; status: VisitStatus; reviewReason: string | null }>(
    db,
    `SELECT id, appointment_id AS "appointmentId", status, review_reason AS "reviewReason"
       FROM visits WHERE id = $1 AND establishment_id = $2`,
    [visitId, establishmentId],
  );
}

/** What a move page needs of a visit: its detainee and its slot (weekly slot and local day aside, its start). */
export function visitToMove(db: EntityManager, visitId: string) {
  return selectOne<{ detaineeId: string; templateId: string | null; startsAt: Date }>(
    db,
    `SELECT v.detainee_id AS "detaineeId", s.template_id AS "templateId", lower(v.during) AS "startsAt"
       FROM visits v JOIN visit_slots s ON s.id = v.slot_id WHERE v.id = $1`,
    [visitId],
  );
}

export async function markCancelled(db: EntityManager, visitId: string, at: Date): Promise<void> {
  await execute(db, `UPDATE visits SET status = 'CANCELLED', cancelled_at = $2 WHERE id = $1`, [visitId, at]);
  await execute(db, `UPDATE visit_visitors SET active = false WHERE visit_id = $1`, [visitId]);
}

/** The visit and its visitors on another slot. */
export async function moveVisitTo(db: EntityManager, visitId: string, slotId: string, range: string): Promise<void> {
  await execute(db, `UPDATE visits SET slot_id = $2, during = $3::tstzrange WHERE id = $1`, [visitId, slotId, range]);
  await execute(db, `UPDATE visit_visitors SET during = $2::tstzrange WHERE visit_id = $1`, [visitId, range]);
}

export async function clearReview(db: EntityManager, visitId: string): Promise<void> {
  await execute(db, `UPDATE visits SET review_reason = NULL, review_flagged_at = NULL WHERE id = $1`, [visitId]);
}

/** Serialises the bookings of one detainee (taken before any slot lock: the lock order is detainee, then slot). */
export async function lockDetainee(db: EntityManager, detaineeId: string): Promise<void> {
  await execute(db, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`visits:${detaineeId}`]);
}

/**
 * The detainee's visits (not cancelled, with their status: `usesWeek` says which count for the weekly entitlement), starting in [from, to),
 * one visit aside (the one being moved): the booking counts a week with it, the slot grid its horizon.
 */
export function detaineeVisitsBetween(
  db: EntityManager,
  detaineeId: string,
  from: Date,
  to: Date,
  exceptVisit: string | null,
): Promise<DetaineeVisit[]> {
  return select<DetaineeVisit>(
    db,
    `SELECT lower(during) AS "startsAt", upper(during) AS "endsAt", family_account_id AS "familyAccountId", status FROM visits
      WHERE detainee_id = $1 AND status <> 'CANCELLED' AND lower(during) >= $2 AND lower(during) < $3 AND id IS DISTINCT FROM $4::uuid
      ORDER BY lower(during)`,
    [detaineeId, from, to, exceptVisit],
  );
}

/** Whether the detainee has a visit (not cancelled) overlapping a range. */
export async function detaineeHasVisitDuring(db: EntityManager, detaineeId: string, range: string): Promise<boolean> {
  const row = await selectOne(db, `SELECT 1 FROM visits WHERE detainee_id = $1 AND status <> 'CANCELLED' AND during && $2::tstzrange`, [
    detaineeId,
    range,
  ]);
  return row !== null;
}

/** Whether one of these permit holders comes to another visit overlapping a range. */
export async function visitorsBusyDuring(db: EntityManager, permitIds: string[], range: string): Promise<boolean> {
  const row = await selectOne(db, `SELECT 1 FROM visit_visitors WHERE permit_id = ANY($1::uuid[]) AND active AND during && $2::tstzrange`, [
    permitIds,
    range,
  ]);
  return row !== null;
}

// ---------- Detainees and permits (the documented exception, see above) ----------

export interface BookingDetainee {
  id: string;
  legalStatus: LegalStatus;
  custodyStatus: string;
  establishmentId: string;
}

export function detaineeForBooking(db: EntityManager, detaineeId: string): Promise<BookingDetainee | null> {
  return selectOne<BookingDetainee>(
    db,
    `SELECT id, legal_status AS "legalStatus", custody_status AS "custodyStatus", establishment_id AS "establishmentId"
       FROM detainees WHERE id = $1 FOR SHARE`,
    [detaineeId],
  );
}

const PERMIT_IN_USE = `p.id, p.status, p.detainee_id AS "detaineeId", p.family_account_id AS "familyAccountId",
  to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS birthdate, p.unaccompanied_consent_at IS NOT NULL AS "unaccompaniedConsent",
  to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom",
  to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo", p.max_visits AS "maxVisits", p.room_condition AS "roomCondition",
  p.allowed_days::int[] AS "allowedDays", to_char(p.allowed_from, 'HH24:MI') AS "allowedFrom", to_char(p.allowed_to, 'HH24:MI') AS "allowedTo",
  p.conditions_note AS "conditionsNote"`;

/** The visits (not cancelled) made or booked with permit p, one visit aside ($2: the visit being moved or checked). */
const VISITS_USED = `(SELECT count(*)::int FROM visit_visitors uv JOIN visits u ON u.id = uv.visit_id
   WHERE uv.permit_id = p.id AND u.status <> 'CANCELLED' AND u.id IS DISTINCT FROM $2::uuid) AS "visitsUsed"`;

/** A permit as a booking checks it: whose it is, the visitor's birth date, its limits (visits used counted) and conditions. */
export interface BookingPermit extends PermitInUse {
  id: string;
  status: 'ACTIVE' | 'ON_HOLD' | 'SUSPENDED' | 'WITHDRAWN';
  detaineeId: string;
  familyAccountId: string | null;
  birthdate: string;
  unaccompaniedConsent: boolean;
}

/** The permits, locked against a change (`exceptVisit`: the visit being moved, not counted as used). */
export function permitsForBooking(db: EntityManager, permitIds: string[], exceptVisit: string | null = null): Promise<BookingPermit[]> {
  return select<BookingPermit>(db, `SELECT ${PERMIT_IN_USE}, ${VISITS_USED} FROM permits p WHERE p.id = ANY($1::uuid[]) FOR SHARE OF p`, [
    permitIds,
    exceptVisit,
  ]);
}

/** The permits of a visit's (active) visitors, locked against a change while it moves (the visit not counted as used). */
export function permitsOfVisit(db: EntityManager, visitId: string): Promise<BookingPermit[]> {
  return select<BookingPermit>(
    db,
    `SELECT ${PERMIT_IN_USE}, ${VISITS_USED}
       FROM visit_visitors vv JOIN permits p ON p.id = vv.permit_id WHERE vv.visit_id = $1 AND vv.active FOR SHARE OF p`,
    [visitId, visitId],
  );
}

export interface EcrouDetainee {
  id: string;
  name: string;
  ecrouNumber: string;
  /** Building and cell, when GENESIS gave them. */
  housing: string | null;
}

/** A detainee present in the establishment, by écrou number (as typed: spaces and case aside). */
export function presentDetaineeByEcrou(db: EntityManager, establishmentId: string, ecrou: string): Promise<EcrouDetainee | null> {
  return selectOne<EcrouDetainee>(
    db,
    `SELECT id, first_name || ' ' || last_name AS name, ecrou_number AS "ecrouNumber", housing
       FROM detainees WHERE establishment_id = $1 AND ecrou_number = $2 AND custody_status = 'PRESENT'`,
    [establishmentId, ecrou.replace(/\s+/g, '').toUpperCase()],
  );
}

/** A detainee present in the establishment, as a search by name lists them (homonyms told apart). */
export interface PresentDetainee extends EcrouDetainee {
  firstName: string;
  lastName: string;
  /** AAAA-MM-JJ */
  birthDate: string;
}

/**
 * Every detainee present in the establishment (a few thousand at most), for a search by name that
 * ignores accents and marks in any script (compared in code: `comparableName`).
 */
export function presentDetainees(db: EntityManager, establishmentId: string): Promise<PresentDetainee[]> {
  return select<PresentDetainee>(
    db,
    `SELECT id, first_name || ' ' || last_name AS name, first_name AS "firstName", last_name AS "lastName", ecrou_number AS "ecrouNumber",
            housing, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate"
       FROM detainees WHERE establishment_id = $1 AND custody_status = 'PRESENT' ORDER BY last_name, first_name, ecrou_number`,
    [establishmentId],
  );
}

export interface DetaineePermit {
  id: string;
  visitor: string;
  familyAccountId: string | null;
}

export function activePermitsOf(db: EntityManager, detaineeId: string): Promise<DetaineePermit[]> {
  return select<DetaineePermit>(
    db,
    `SELECT id, visitor_given_name || ' ' || visitor_family_name AS visitor, family_account_id AS "familyAccountId"
       FROM permits WHERE detainee_id = $1 AND status = 'ACTIVE' ORDER BY visitor`,
    [detaineeId],
  );
}

export interface FamilyPermit {
  id: string;
  visitor: string;
  detaineeId: string;
  detainee: string;
  establishmentId: string;
  establishment: string;
  timeZone: string;
  holidayZone: HolidayZone;
}

/** The family's active permits for detainees present in an establishment (only those can be booked). */
export function familyPermits(db: EntityManager, familyId: string): Promise<FamilyPermit[]> {
  return select<FamilyPermit>(
    db,
    `SELECT p.id, p.visitor_given_name || ' ' || p.visitor_family_name AS visitor, p.detainee_id AS "detaineeId",
            d.first_name || ' ' || d.last_name AS detainee, d.establishment_id AS "establishmentId", e.name AS establishment,
            e.time_zone AS "timeZone", e.holiday_zone AS "holidayZone"
       FROM permits p JOIN detainees d ON d.id = p.detainee_id JOIN establishments e ON e.id = d.establishment_id
      WHERE p.family_account_id = $1 AND p.status = 'ACTIVE' AND d.custody_status = 'PRESENT' ORDER BY detainee, visitor`,
    [familyId],
  );
}

/** Every permit for the detainee (any status), to match the visitors of a GENESIS list by name and birth date. */
export function permitsToMatch(db: EntityManager, detaineeId: string) {
  return select<{ id: string; visitorFamilyName: string; visitorGivenName: string; birthdate: string }>(
    db,
    `SELECT id, visitor_family_name AS "visitorFamilyName", visitor_given_name AS "visitorGivenName",
            to_char(visitor_birthdate, 'YYYY-MM-DD') AS birthdate
       FROM permits WHERE detainee_id = $1`,
    [detaineeId],
  );
}

// ---------- Read models ----------

export interface FamilyVisitRow {
  id: string;
  reference: string;
  status: VisitStatus;
  startsAt: Date;
  detainee: string;
  room: string;
  establishment: string;
  establishmentId: string;
  appointmentId: string | null;
  timeZone: string;
  holidayZone: HolidayZone;
}

/** The family's visits, latest first. */
export function familyVisits(db: EntityManager, familyId: string): Promise<FamilyVisitRow[]> {
  return select<FamilyVisitRow>(
    db,
    `SELECT v.id, v.reference, v.status, lower(v.during) AS "startsAt", d.first_name || ' ' || d.last_name AS detainee, r.name AS room,
            e.name AS establishment, v.establishment_id AS "establishmentId", v.appointment_id AS "appointmentId", e.time_zone AS "timeZone",
            e.holiday_zone AS "holidayZone"
       FROM visits v JOIN detainees d ON d.id = v.detainee_id JOIN visit_slots s ON s.id = v.slot_id
       JOIN visiting_rooms r ON r.id = s.room_id JOIN establishments e ON e.id = v.establishment_id
      WHERE v.family_account_id = $1 ORDER BY lower(v.during) DESC LIMIT 100`,
    [familyId],
  );
}

export interface ReviewRow {
  id: string;
  reference: string;
  reviewReason: string;
  reviewFlaggedAt: Date;
  startsAt: Date;
  /** The family has a convocation (it is told of a cancellation). */
  notified: boolean;
  detainee: string;
  ecrouNumber: string;
  room: string;
  visitors: string;
}

/** "À revoir": booked visits flagged by the trigger flag_visits_for_review, soonest first. */
export function reviewQueue(db: EntityManager, establishmentId: string): Promise<ReviewRow[]> {
  return select<ReviewRow>(
    db,
    `SELECT v.id, v.reference, v.review_reason AS "reviewReason", v.review_flagged_at AS "reviewFlaggedAt", lower(v.during) AS "startsAt",
            v.appointment_id IS NOT NULL AS notified, d.first_name || ' ' || d.last_name AS detainee, d.ecrou_number AS "ecrouNumber",
            r.name AS room,
            (SELECT string_agg(coalesce(p.visitor_given_name || ' ' || p.visitor_family_name, vv.given_name || ' ' || vv.family_name), ', ')
               FROM visit_visitors vv LEFT JOIN permits p ON p.id = vv.permit_id WHERE vv.visit_id = v.id) AS visitors
       FROM visits v JOIN detainees d ON d.id = v.detainee_id JOIN visit_slots s ON s.id = v.slot_id
       JOIN visiting_rooms r ON r.id = s.room_id
      WHERE v.establishment_id = $1 AND v.review_reason IS NOT NULL AND v.status = 'BOOKED' ORDER BY lower(v.during) LIMIT 200`,
    [establishmentId],
  );
}
