import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { AccessDecision, Contact, DeviceUse, PhoneAccount } from './booking.rules';

/**
 * The SQL of booking video calls: the detainee's record as booking reads it (contacts, charter, phone
 * account, access decisions, sanctioned numbers: read here, the record pages have their own queries),
 * devices and their bookings, and the bookings themselves.
 */

export interface BookingDetainee {
  id: string;
  firstName: string;
  lastName: string;
  ecrouNumber: string;
  housing: string | null;
}

const DETAINEE_COLUMNS = `d.id, d.first_name AS "firstName", d.last_name AS "lastName", d.ecrou_number AS "ecrouNumber", d.housing`;

/** The establishment's detainee, or null. */
export function detaineeOf(db: EntityManager, establishmentId: string, id: string): Promise<BookingDetainee | null> {
  return selectOne<BookingDetainee>(db, `SELECT ${DETAINEE_COLUMNS} FROM detainees d WHERE d.id = $1 AND d.establishment_id = $2`, [
    id,
    establishmentId,
  ]);
}

/** The establishment's detainees whose name or écrou number contains the text (at most 20). */
export function findDetainees(db: EntityManager, establishmentId: string, text: string): Promise<BookingDetainee[]> {
  return select<BookingDetainee>(
    db,
    `SELECT ${DETAINEE_COLUMNS} FROM detainees d
      WHERE d.establishment_id = $1
        AND (lower(d.last_name || ' ' || d.first_name) LIKE '%' || lower($2) || '%'
             OR lower(d.first_name || ' ' || d.last_name) LIKE '%' || lower($2) || '%' OR d.ecrou_number = $2)
      ORDER BY lower(d.last_name), lower(d.first_name), d.id LIMIT 20`,
    [establishmentId, text],
  );
}

export function latestAccess(db: EntityManager, detaineeId: string): Promise<AccessDecision | null> {
  return selectOne<AccessDecision>(
    db,
    `SELECT status, suspended_until AS "suspendedUntil" FROM video_call_access WHERE detainee_id = $1
      ORDER BY decided_at DESC, id DESC LIMIT 1`,
    [detaineeId],
  );
}

/** The day (YYYY-MM-DD) of the latest charter the detainee signed, or null. */
export async function charterSignedOn(db: EntityManager, detaineeId: string): Promise<string | null> {
  const row = await selectOne<{ day: string }>(
    db,
    `SELECT to_char(max(signed_on), 'YYYY-MM-DD') AS day FROM video_call_charters WHERE detainee_id = $1`,
    [detaineeId],
  );
  return row?.day ?? null;
}

/** The phone account, locked FOR UPDATE when `lock` (serialises a detainee's bookings and cancellations). */
export function phoneAccount(db: EntityManager, detaineeId: string, lock = false): Promise<PhoneAccount | null> {
  return selectOne<PhoneAccount>(
    db,
    `SELECT balance_cents AS "balanceCents", blocked_cents AS "blockedCents", plan_code AS "planCode"
       FROM phone_accounts WHERE detainee_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [detaineeId],
  );
}

export async function changeBlocked(db: EntityManager, detaineeId: string, deltaCents: number): Promise<void> {
  await execute(db, `UPDATE phone_accounts SET blocked_cents = blocked_cents + $2, updated_at = now() WHERE detainee_id = $1`, [
    detaineeId,
    deltaCents,
  ]);
}

export interface BookingContact extends Contact {
  name: string;
  phone: string;
  relationship: string;
}

/**
 * The detainee's contacts (active first), each with the establishment's sanctions on its number: their
 * end, a lifted sanction ending when it was lifted (`least` ignores a null: no end and not lifted stays null).
 */
export async function contactsOf(db: EntityManager, establishmentId: string, detaineeId: string): Promise<BookingContact[]> {
  const rows = await select<Omit<BookingContact, 'sanctions'> & { sanctions: { until: string | null }[] }>(
    db,
    `SELECT c.id, c.name, c.phone, c.relationship, c.active, c.minor, c.consent_given_by AS "consentGivenBy",
            coalesce((SELECT json_agg(json_build_object('until', least(s.until, s.lifted_at))) FROM sanctioned_numbers s
                       WHERE s.establishment_id = $1 AND s.phone = c.phone), '[]'::json) AS sanctions
       FROM detainee_phone_contacts c WHERE c.detainee_id = $2
      ORDER BY c.active DESC, lower(c.name), c.id`,
    [establishmentId, detaineeId],
  );
  return rows.map((r) => ({ ...r, sanctions: r.sanctions.map((s) => ({ until: s.until === null ? null : new Date(s.until) })) }));
}

/** Local days (establishment's clock) of the detainee's calls that are not cancelled. */
export async function callDaysOf(db: EntityManager, detaineeId: string, timeZone: string): Promise<string[]> {
  const rows = await select<{ day: string }>(
    db,
    `SELECT to_char(lower(slot) AT TIME ZONE $2, 'YYYY-MM-DD') AS day FROM video_call_bookings
      WHERE detainee_id = $1 AND status <> 'CANCELLED' ORDER BY lower(slot)`,
    [detaineeId, timeZone],
  );
  return rows.map((r) => r.day);
}

export function activeDevices(db: EntityManager, establishmentId: string): Promise<{ id: string; name: string }[]> {
  return select(db, `SELECT id, name FROM video_call_devices WHERE establishment_id = $1 AND active ORDER BY id`, [establishmentId]);
}

/** The establishment's active devices, locked FOR UPDATE in id order (every booking takes them in that order). */
export function lockActiveDevices(db: EntityManager, establishmentId: string): Promise<{ id: string; name: string }[]> {
  return select(db, `SELECT id, name FROM video_call_devices WHERE establishment_id = $1 AND active ORDER BY id FOR UPDATE`, [
    establishmentId,
  ]);
}

/** The bookings (not cancelled) of the establishment's devices overlapping [from, to). */
export function deviceUses(db: EntityManager, establishmentId: string, from: Date, to: Date): Promise<DeviceUse[]> {
  return select<DeviceUse>(
    db,
    `SELECT device_id AS "deviceId", lower(slot) AS "startsAt", upper(slot) AS "endsAt" FROM video_call_bookings
      WHERE establishment_id = $1 AND status <> 'CANCELLED' AND slot && tstzrange($2, $3, '[)')`,
    [establishmentId, from, to],
  );
}

export interface NewBooking {
  establishmentId: string;
  detaineeId: string;
  contactId: string;
  deviceId: string;
  startsAt: Date;
  endsAt: Date;
  planCode: string;
  centsPerMinute: number;
  connectionCents: number;
  blockedCents: number;
  bookedBy: string;
}

export async function insertBooking(db: EntityManager, b: NewBooking): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO video_call_bookings (establishment_id, detainee_id, contact_id, device_id, slot, plan_code, cents_per_minute,
                                      connection_cents, blocked_cents, booked_by)
     VALUES ($1, $2, $3, $4, tstzrange($5, $6, '[)'), $7, $8, $9, $10, $11) RETURNING id`,
    [
      b.establishmentId,
      b.detaineeId,
      b.contactId,
      b.deviceId,
      b.startsAt,
      b.endsAt,
      b.planCode,
      b.centsPerMinute,
      b.connectionCents,
      b.blockedCents,
      b.bookedBy,
    ],
  );
  return row.id;
}

export interface BookingView {
  id: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  blockedCents: number;
  planCode: string;
  detaineeId: string;
  firstName: string;
  lastName: string;
  ecrouNumber: string;
  housing: string | null;
  contactName: string;
  contactPhone: string;
  relationship: string;
  deviceName: string;
  cancelReason: string | null;
  durationSeconds: number | null;
  chargedCents: number | null;
  /** Whether the contact's code has been issued (at most one per call). */
  codeSent: boolean;
}

const BOOKING_VIEW = `SELECT b.id, b.status, lower(b.slot) AS "startsAt", upper(b.slot) AS "endsAt", b.blocked_cents AS "blockedCents",
       b.plan_code AS "planCode", b.detainee_id AS "detaineeId", d.first_name AS "firstName", d.last_name AS "lastName",
       d.ecrou_number AS "ecrouNumber", d.housing, c.name AS "contactName", c.phone AS "contactPhone", c.relationship,
       v.name AS "deviceName", b.cancel_reason AS "cancelReason",
       b.duration_seconds AS "durationSeconds", b.charged_cents AS "chargedCents",
       EXISTS (SELECT 1 FROM video_call_codes k WHERE k.booking_id = b.id) AS "codeSent"
  FROM video_call_bookings b JOIN detainees d ON d.id = b.detainee_id
  JOIN detainee_phone_contacts c ON c.id = b.contact_id JOIN video_call_devices v ON v.id = b.device_id`;

/** The establishment's booking, or null. */
export function bookingOf(db: EntityManager, establishmentId: string, id: string): Promise<BookingView | null> {
  return selectOne<BookingView>(db, `${BOOKING_VIEW} WHERE b.id = $1 AND b.establishment_id = $2`, [id, establishmentId]);
}

/** The establishment's calls (not cancelled) starting within [from, to), by start then device. */
export function callsBetween(db: EntityManager, establishmentId: string, from: Date, to: Date): Promise<BookingView[]> {
  return select<BookingView>(
    db,
    `${BOOKING_VIEW} WHERE b.establishment_id = $1 AND b.status <> 'CANCELLED' AND lower(b.slot) >= $2 AND lower(b.slot) < $3
      ORDER BY lower(b.slot), lower(v.name), b.id`,
    [establishmentId, from, to],
  );
}

/** Calls to close: booked calls whose slot has ended at `now` and whose outcome is not recorded. */
const TO_CLOSE = `b.establishment_id = $1 AND b.status = 'BOOKED' AND upper(b.slot) <= $2`;

/** How many of the establishment's calls are to close at `now`. */
export async function countCallsToClose(db: EntityManager, establishmentId: string, now: Date): Promise<number> {
  const row = await selectOne<{ n: number }>(db, `SELECT count(*)::int AS n FROM video_call_bookings b WHERE ${TO_CLOSE}`, [
    establishmentId,
    now,
  ]);
  return row?.n ?? 0;
}

/** One page of the establishment's calls to close at `now`, oldest slot first. */
export function callsToClose(
  db: EntityManager,
  establishmentId: string,
  now: Date,
  page: number,
  pageSize: number,
): Promise<BookingView[]> {
  return select<BookingView>(db, `${BOOKING_VIEW} WHERE ${TO_CLOSE} ORDER BY lower(b.slot), lower(v.name), b.id LIMIT $3 OFFSET $4`, [
    establishmentId,
    now,
    pageSize,
    (page - 1) * pageSize,
  ]);
}

/** The booking's status, detainee and blocked amount, locked FOR UPDATE. */
export function lockBooking(
  db: EntityManager,
  establishmentId: string,
  id: string,
): Promise<{ status: string; detaineeId: string; blockedCents: number; startsAt: Date; phone: string } | null> {
  return selectOne(
    db,
    `SELECT b.status, b.detainee_id AS "detaineeId", b.blocked_cents AS "blockedCents", lower(b.slot) AS "startsAt", c.phone
       FROM video_call_bookings b JOIN detainee_phone_contacts c ON c.id = b.contact_id
      WHERE b.id = $1 AND b.establishment_id = $2 FOR UPDATE OF b`,
    [id, establishmentId],
  );
}

/** The call cancelled with its reason, by this agent (null: by P2V itself, as the code job does). */
export async function cancelBooking(db: EntityManager, id: string, agentId: string | null, reason: string, at: Date): Promise<void> {
  await execute(
    db,
    `UPDATE video_call_bookings SET status = 'CANCELLED', cancelled_at = $4, cancelled_by = $2, cancel_reason = $3 WHERE id = $1`,
    [id, agentId, reason, at],
  );
}

/**
 * Which future BOOKED calls a decision stops: a detainee's (optionally only those starting before an
 * instant), one contact's, or every call of the establishment to a number. Started calls are never
 * included (they are closed by their outcome).
 */
export interface StoppedCalls {
  establishmentId: string;
  detaineeId?: string;
  contactId?: string;
  phone?: string;
  startingBefore?: Date | null;
}

function stoppedWhere(s: StoppedCalls, now: Date): { where: string; params: unknown[] } {
  const params: unknown[] = [s.establishmentId, now];
  const and: string[] = [`b.establishment_id = $1`, `b.status = 'BOOKED'`, `lower(b.slot) > $2`];
  if (s.detaineeId) and.push(`b.detainee_id = $${params.push(s.detaineeId)}`);
  if (s.contactId) and.push(`b.contact_id = $${params.push(s.contactId)}`);
  if (s.phone) and.push(`b.contact_id IN (SELECT id FROM detainee_phone_contacts WHERE phone = $${params.push(s.phone)})`);
  if (s.startingBefore) and.push(`lower(b.slot) < $${params.push(s.startingBefore)}`);
  return { where: and.join(' AND '), params };
}

/** How many calls the decision would cancel (the read-back's count). */
export async function countStoppedCalls(db: EntityManager, s: StoppedCalls, now: Date): Promise<number> {
  const { where, params } = stoppedWhere(s, now);
  const row = await selectOne<{ n: number }>(db, `SELECT count(*)::int AS n FROM video_call_bookings b WHERE ${where}`, params);
  return row?.n ?? 0;
}

/** The calls the decision cancels, locked FOR UPDATE in id order (then lock their accounts, in detainee order). */
export function lockStoppedCalls(
  db: EntityManager,
  s: StoppedCalls,
  now: Date,
): Promise<
  { id: string; detaineeId: string; blockedCents: number; establishmentId: string; timeZone: string; phone: string; startsAt: Date }[]
> {
  const { where, params } = stoppedWhere(s, now);
  return select(
    db,
    `SELECT b.id, b.detainee_id AS "detaineeId", b.blocked_cents AS "blockedCents", b.establishment_id AS "establishmentId",
            e.time_zone AS "timeZone", c.phone, lower(b.slot) AS "startsAt"
       FROM video_call_bookings b
       JOIN detainee_phone_contacts c ON c.id = b.contact_id
       JOIN establishments e ON e.id = b.establishment_id
      WHERE ${where} ORDER BY b.id FOR UPDATE OF b`,
    params,
  );
}

/** Locks these detainees' phone accounts FOR UPDATE, in detainee id order. */
export async function lockAccounts(db: EntityManager, detaineeIds: string[]): Promise<void> {
  if (detaineeIds.length === 0) return;
  await select(db, `SELECT detainee_id FROM phone_accounts WHERE detainee_id = ANY($1::uuid[]) ORDER BY detainee_id FOR UPDATE`, [
    [...new Set(detaineeIds)],
  ]);
}
