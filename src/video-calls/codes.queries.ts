import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { StartedCall } from './due-call.rules';

/** The SQL of the contacts' codes and of recording a call held or not honoured. */

export interface DueCall {
  id: string;
  establishmentId: string;
  timeZone: string;
  detaineeId: string;
  contactId: string;
  blockedCents: number;
  startsAt: Date;
  endsAt: Date;
  phone: string;
}

const DUE = `b.status = 'BOOKED' AND lower(b.slot) <= $1 AND upper(b.slot) > $1`;

/** The booked calls under way at `now` (slot started, not ended) that have no code yet, oldest slot first. */
export async function dueCallIds(db: EntityManager, now: Date): Promise<string[]> {
  const rows = await select<{ id: string }>(
    db,
    `SELECT b.id FROM video_call_bookings b
      WHERE ${DUE} AND NOT EXISTS (SELECT 1 FROM video_call_codes k WHERE k.booking_id = b.id)
      ORDER BY lower(b.slot), b.id`,
    [now],
  );
  return rows.map((r) => r.id);
}

/**
 * One due call, locked FOR UPDATE, or null when it is no longer due, it got its code meanwhile, or (the job:
 * SKIP LOCKED, two instances never take the same call) another transaction holds it; `wait` waits for that
 * transaction instead (the officer's « send now »), `establishmentId` limits it to that establishment's calls.
 * The codes are looked up again after the lock, in a new statement (a new snapshot).
 */
export async function claimDueCall(
  db: EntityManager,
  id: string,
  now: Date,
  opts: { establishmentId?: string; wait?: boolean } = {},
): Promise<DueCall | null> {
  const call = await selectOne<DueCall>(
    db,
    `SELECT b.id, b.establishment_id AS "establishmentId", e.time_zone AS "timeZone", b.detainee_id AS "detaineeId",
            b.contact_id AS "contactId", b.blocked_cents AS "blockedCents",
            lower(b.slot) AS "startsAt", upper(b.slot) AS "endsAt", c.phone
       FROM video_call_bookings b JOIN detainee_phone_contacts c ON c.id = b.contact_id
       JOIN establishments e ON e.id = b.establishment_id
      WHERE b.id = $2 AND ${DUE} AND ($3::uuid IS NULL OR b.establishment_id = $3)
        FOR UPDATE OF b ${opts.wait ? '' : 'SKIP LOCKED'}`,
    [now, id, opts.establishmentId ?? null],
  );
  if (!call) return null;
  const done = await selectOne(db, `SELECT 1 FROM video_call_codes WHERE booking_id = $1 LIMIT 1`, [id]);
  return done ? null : call;
}

/** The establishment's booking's status, slot and whether its code was issued (the officer's « send now »), or null. */
export function callTimes(db: EntityManager, establishmentId: string, id: string): Promise<StartedCall | null> {
  return selectOne<StartedCall>(
    db,
    `SELECT b.status, lower(b.slot) AS "startsAt", upper(b.slot) AS "endsAt",
            EXISTS (SELECT 1 FROM video_call_codes k WHERE k.booking_id = b.id) AS "codeSent"
       FROM video_call_bookings b WHERE b.id = $1 AND b.establishment_id = $2`,
    [id, establishmentId],
  );
}

/**
 * The call's detainee locked FOR SHARE: an access decision or a contact's deactivation (which lock the
 * detainee's row to write) is then either committed before the code's checks read them, or waits for the code.
 */
/** The detainee of a booking (no lock), or null: the code job locks that detainee before the booking. */
export async function detaineeOfBooking(db: EntityManager, id: string): Promise<string | null> {
  return (
    (await selectOne<{ detaineeId: string }>(db, `SELECT detainee_id AS "detaineeId" FROM video_call_bookings WHERE id = $1`, [id]))
      ?.detaineeId ?? null
  );
}

export async function shareDetainee(db: EntityManager, detaineeId: string): Promise<void> {
  await select(db, `SELECT id FROM detainees WHERE id = $1 FOR SHARE`, [detaineeId]);
}

/** Whether a code with this hash is still usable (not expired, not used): a new code must not collide with it. */
export async function liveCodeExists(db: EntityManager, hash: string, now: Date): Promise<boolean> {
  return (
    (await selectOne(db, `SELECT 1 FROM video_call_codes WHERE code_hash = $1 AND expires_at > $2 AND used_at IS NULL`, [hash, now])) !==
    null
  );
}

export async function insertCode(db: EntityManager, bookingId: string, hash: string, expiresAt: Date): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO video_call_codes (booking_id, code_hash, expires_at) VALUES ($1, $2, $3) RETURNING id`,
    [bookingId, hash, expiresAt],
  );
  return row.id;
}

/** The code taken out of an SMS's data (the outbox keeps the rendered text only). */
export async function dropCodeFromData(db: EntityManager, notificationId: string): Promise<void> {
  await execute(db, `UPDATE notifications SET data = data - 'code' WHERE id = $1`, [notificationId]);
}

/**
 * The code SMS whose code is used or expired at `now` get `text` as their stored text (no HTML, no code in
 * their data): nothing in the outbox then holds a code that was ever usable, once it is not any more.
 */
export async function blankSpentCodeSms(db: EntityManager, text: string, now: Date): Promise<number> {
  const rows = await select<{ id: string }>(
    db,
    `UPDATE notifications n SET body_text = $1, body_html = NULL, data = n.data - 'code'
       FROM video_call_codes k
      WHERE n.template = 'video-call-code' AND n.entity_type = 'video_call_booking' AND n.entity_id = k.booking_id
        AND (k.expires_at <= $2 OR k.used_at IS NOT NULL) AND n.body_text <> $1
      RETURNING n.id`,
    [text, now],
  );
  return rows.length;
}

export interface CodeRow {
  id: string;
  bookingId: string;
  establishmentId: string;
  bookingStatus: string;
  storedHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  failedAttempts: number;
}

const CODE_COLUMNS = `k.id, k.booking_id AS "bookingId", b.establishment_id AS "establishmentId", b.status AS "bookingStatus",
       k.code_hash AS "storedHash",
       k.expires_at AS "expiresAt", k.used_at AS "usedAt", k.failed_attempts AS "failedAttempts"`;

/** A code by its id (the link in the SMS), or null; locked FOR UPDATE when `lock`. */
export function codeById(db: EntityManager, id: string, lock = false): Promise<CodeRow | null> {
  return selectOne<CodeRow>(
    db,
    `SELECT ${CODE_COLUMNS} FROM video_call_codes k JOIN video_call_bookings b ON b.id = k.booking_id
      WHERE k.id = $1 ${lock ? 'FOR UPDATE OF k' : ''}`,
    [id],
  );
}

export async function markCodeUsed(db: EntityManager, id: string, at: Date): Promise<void> {
  await execute(db, `UPDATE video_call_codes SET used_at = $2 WHERE id = $1`, [id, at]);
}

/** One more wrong attempt; returns the new count. */
export async function countWrongAttempt(db: EntityManager, id: string): Promise<number> {
  const [row] = await select<{ failedAttempts: number }>(
    db,
    `UPDATE video_call_codes SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts AS "failedAttempts"`,
    [id],
  );
  return row.failedAttempts;
}

export interface HeldBooking {
  status: string;
  detaineeId: string;
  startsAt: Date;
  planCode: string;
  centsPerMinute: number;
  connectionCents: number;
  blockedCents: number;
}

/** The establishment's booking with its prices, locked FOR UPDATE (before the phone account, as cancellation does). */
export function lockBookingPrices(db: EntityManager, establishmentId: string, id: string): Promise<HeldBooking | null> {
  return selectOne<HeldBooking>(
    db,
    `SELECT status, detainee_id AS "detaineeId", lower(slot) AS "startsAt", plan_code AS "planCode",
            cents_per_minute AS "centsPerMinute", connection_cents AS "connectionCents", blocked_cents AS "blockedCents"
       FROM video_call_bookings WHERE id = $1 AND establishment_id = $2 FOR UPDATE`,
    [id, establishmentId],
  );
}

/** The establishment's booking's prices and blocked amount (the read-back), or null. */
export function bookingPrices(
  db: EntityManager,
  establishmentId: string,
  id: string,
): Promise<{ planCode: string; centsPerMinute: number; connectionCents: number; blockedCents: number } | null> {
  return selectOne(
    db,
    `SELECT plan_code AS "planCode", cents_per_minute AS "centsPerMinute", connection_cents AS "connectionCents",
            blocked_cents AS "blockedCents" FROM video_call_bookings WHERE id = $1 AND establishment_id = $2`,
    [id, establishmentId],
  );
}

/** The account locked FOR UPDATE: its balance and blocked amount. */
export function lockAccount(db: EntityManager, detaineeId: string): Promise<{ balanceCents: number; blockedCents: number } | null> {
  return selectOne(
    db,
    `SELECT balance_cents AS "balanceCents", blocked_cents AS "blockedCents" FROM phone_accounts WHERE detainee_id = $1 FOR UPDATE`,
    [detaineeId],
  );
}

/** The call's outcome recorded on the booking: HELD with its duration and charge, or NO_SHOW. */
export async function recordOutcome(
  db: EntityManager,
  id: string,
  outcome: { status: 'HELD'; durationSeconds: number; chargedCents: number } | { status: 'NO_SHOW' },
): Promise<void> {
  await execute(db, `UPDATE video_call_bookings SET status = $2, duration_seconds = $3, charged_cents = $4 WHERE id = $1`, [
    id,
    outcome.status,
    outcome.status === 'HELD' ? outcome.durationSeconds : null,
    outcome.status === 'HELD' ? outcome.chargedCents : null,
  ]);
}

/** The charge debited from the balance and the call's blocked amount released, in one statement. */
export async function settleAccount(db: EntityManager, detaineeId: string, chargedCents: number, releasedBlockedCents: number) {
  await execute(
    db,
    `UPDATE phone_accounts SET balance_cents = balance_cents - $2, blocked_cents = blocked_cents - $3, updated_at = now() WHERE detainee_id = $1`,
    [detaineeId, chargedCents, releasedBlockedCents],
  );
}
