import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { WaitlistStatus } from './visit-waitlist.entity';

/** The SQL of the waiting lists of full slots (table visit_waitlist). */

export interface NewWaitlistEntry {
  establishmentId: string;
  templateId: string;
  day: string;
  startsAt: Date;
  familyAccountId: string;
  detaineeId: string;
  permitIds: string[];
}

export async function insertEntry(db: EntityManager, w: NewWaitlistEntry): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO visit_waitlist (establishment_id, template_id, day, starts_at, family_account_id, detainee_id, permit_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[]) RETURNING id`,
    [w.establishmentId, w.templateId, w.day, w.startsAt, w.familyAccountId, w.detaineeId, w.permitIds],
  );
  return row.id;
}

/** The first family waiting for an occurrence, with what its offer message says; locked, skipping entries others hold. */
export interface NextInLine {
  id: string;
  /** YYYY-MM-DD, local: the occurrence's day. */
  day: string;
  detaineeId: string;
  permitIds: string[];
  establishmentId: string;
  email: string | null;
  mobilePhone: string | null;
  detainee: string;
  room: string;
  establishmentName: string;
  timeZone: string;
  offerHours: number;
}

export function nextWaiting(db: EntityManager, templateId: string, startsAt: Date): Promise<NextInLine | null> {
  return selectOne<NextInLine>(
    db,
    `SELECT w.id, to_char(w.day, 'YYYY-MM-DD') AS day, w.detainee_id AS "detaineeId", w.permit_ids AS "permitIds",
            w.establishment_id AS "establishmentId", f.email, f.mobile_phone AS "mobilePhone",
            d.first_name || ' ' || d.last_name AS detainee, r.name AS room, e.name AS "establishmentName", e.time_zone AS "timeZone",
            coalesce(s.waitlist_offer_hours, 12) AS "offerHours"
       FROM visit_waitlist w JOIN family_accounts f ON f.id = w.family_account_id JOIN detainees d ON d.id = w.detainee_id
       JOIN slot_templates t ON t.id = w.template_id JOIN visiting_rooms r ON r.id = t.room_id
       JOIN establishments e ON e.id = w.establishment_id LEFT JOIN visit_settings s ON s.establishment_id = w.establishment_id
      WHERE w.template_id = $1 AND w.starts_at = $2 AND w.status = 'WAITING'
      ORDER BY w.created_at, w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED`,
    [templateId, startsAt],
  );
}

/** Nobody can be offered the place any more: every family still waiting for the occurrence is told no more. */
export async function expireWaiting(db: EntityManager, templateId: string, startsAt: Date): Promise<void> {
  await execute(db, `UPDATE visit_waitlist SET status = 'EXPIRED' WHERE template_id = $1 AND starts_at = $2 AND status = 'WAITING'`, [
    templateId,
    startsAt,
  ]);
}

/** Entries still waiting for slots that started. */
export async function expireStarted(db: EntityManager, now: Date): Promise<void> {
  await execute(db, `UPDATE visit_waitlist SET status = 'EXPIRED' WHERE status = 'WAITING' AND starts_at <= $1`, [now]);
}

export async function setStatus(db: EntityManager, id: string, status: Exclude<WaitlistStatus, 'OFFERED' | 'BOOKED'>): Promise<void> {
  await execute(db, `UPDATE visit_waitlist SET status = $2 WHERE id = $1`, [id, status]);
}

export async function markOffered(db: EntityManager, id: string, at: Date, expires: Date): Promise<void> {
  await execute(db, `UPDATE visit_waitlist SET status = 'OFFERED', offered_at = $2, offer_expires_at = $3 WHERE id = $1`, [
    id,
    at,
    expires,
  ]);
}

export async function markBooked(db: EntityManager, id: string, visitId: string): Promise<void> {
  await execute(db, `UPDATE visit_waitlist SET status = 'BOOKED', visit_id = $2 WHERE id = $1`, [id, visitId]);
}

export interface LockedEntry {
  id: string;
  establishmentId: string;
  templateId: string;
  day: string;
  startsAt: Date;
  familyAccountId: string;
  detaineeId: string;
  permitIds: string[];
  status: WaitlistStatus;
  offerExpiresAt: Date | null;
  /** The occurrence's slot row, once somebody booked it. */
  slotId: string | null;
}

/** An entry locked for a change (the caller then locks its slot). */
export function lockEntry(db: EntityManager, id: string): Promise<LockedEntry | null> {
  return selectOne<LockedEntry>(
    db,
    `SELECT w.id, w.establishment_id AS "establishmentId", w.template_id AS "templateId", to_char(w.day, 'YYYY-MM-DD') AS day,
            w.starts_at AS "startsAt", w.family_account_id AS "familyAccountId", w.detainee_id AS "detaineeId", w.permit_ids AS "permitIds",
            w.status, w.offer_expires_at AS "offerExpiresAt", s.id AS "slotId"
       FROM visit_waitlist w JOIN slot_templates t ON t.id = w.template_id
       LEFT JOIN visit_slots s ON s.room_id = t.room_id AND s.starts_at = w.starts_at
      WHERE w.id = $1 FOR UPDATE OF w`,
    [id],
  );
}

export function detaineeOfEntry(db: EntityManager, id: string) {
  return selectOne<{ detaineeId: string; templateId: string }>(
    db,
    `SELECT detainee_id AS "detaineeId", template_id AS "templateId" FROM visit_waitlist WHERE id = $1`,
    [id],
  );
}

/** Offers past their time limit, oldest first. */
export async function dueOffers(db: EntityManager, now: Date): Promise<string[]> {
  const rows = await select<{ id: string }>(
    db,
    `SELECT id FROM visit_waitlist WHERE status = 'OFFERED' AND offer_expires_at <= $1 ORDER BY offer_expires_at LIMIT 500`,
    [now],
  );
  return rows.map((r) => r.id);
}

export interface FamilyEntryRow {
  id: string;
  status: 'WAITING' | 'OFFERED';
  startsAt: Date;
  offerExpiresAt: Date | null;
  timeZone: string;
  detainee: string;
  room: string;
  establishment: string;
  /** Families ahead in the queue. */
  ahead: number;
}

/** The family's current entries (waiting or offered), soonest first. */
export function entriesOfFamily(db: EntityManager, familyId: string): Promise<FamilyEntryRow[]> {
  return select<FamilyEntryRow>(
    db,
    `SELECT w.id, w.status, w.starts_at AS "startsAt", w.offer_expires_at AS "offerExpiresAt", e.time_zone AS "timeZone",
            d.first_name || ' ' || d.last_name AS detainee, r.name AS room, e.name AS establishment,
            (SELECT count(*)::int FROM visit_waitlist x
              WHERE x.template_id = w.template_id AND x.starts_at = w.starts_at AND x.status = 'WAITING'
                AND (x.created_at, x.id) < (w.created_at, w.id)) AS ahead
       FROM visit_waitlist w JOIN detainees d ON d.id = w.detainee_id JOIN slot_templates t ON t.id = w.template_id
       JOIN visiting_rooms r ON r.id = t.room_id JOIN establishments e ON e.id = w.establishment_id
      WHERE w.family_account_id = $1 AND w.status IN ('WAITING','OFFERED') ORDER BY w.starts_at`,
    [familyId],
  );
}

/** An entry still running (waiting or offered) for an occurrence to come, placed in the calendar as its weekly slot is today. */
export interface RunningEntry {
  id: string;
  status: 'WAITING' | 'OFFERED';
  templateId: string;
  roomId: string;
  day: string;
  /** Local times of the occurrence: its start, and its weekly slot's end. */
  start: string;
  end: string;
  startsAt: Date;
}

/**
 * The establishment's entries still running for occurrences to come (not locked: the caller locks
 * those it changes, with lockEntry, under the calendar's exclusive lock).
 */
export async function runningEntries(db: EntityManager, establishmentId: string, now: Date): Promise<RunningEntry[]> {
  const rows = await select<RunningEntry>(
    db,
    `SELECT w.id, w.status, w.template_id AS "templateId", t.room_id AS "roomId", to_char(w.day, 'YYYY-MM-DD') AS day,
            to_char(w.starts_at AT TIME ZONE e.time_zone, 'HH24:MI') AS start, to_char(t.end_time, 'HH24:MI') AS "end",
            w.starts_at AS "startsAt"
       FROM visit_waitlist w JOIN slot_templates t ON t.id = w.template_id JOIN establishments e ON e.id = w.establishment_id
      WHERE w.establishment_id = $1 AND w.status IN ('WAITING', 'OFFERED') AND w.starts_at > $2
      ORDER BY w.starts_at, w.id`,
    [establishmentId, now],
  );
  return rows.map((r) => ({ ...r, startsAt: new Date(r.startsAt) }));
}

/** Who to tell about an entry, and what its messages say. */
export interface EntryContact {
  email: string | null;
  mobilePhone: string | null;
  detainee: string;
  room: string;
  establishmentName: string;
  timeZone: string;
}

export function entryContact(db: EntityManager, id: string): Promise<EntryContact | null> {
  return selectOne<EntryContact>(
    db,
    `SELECT f.email, f.mobile_phone AS "mobilePhone", d.first_name || ' ' || d.last_name AS detainee, r.name AS room,
            e.name AS "establishmentName", e.time_zone AS "timeZone"
       FROM visit_waitlist w JOIN family_accounts f ON f.id = w.family_account_id JOIN detainees d ON d.id = w.detainee_id
       JOIN slot_templates t ON t.id = w.template_id JOIN visiting_rooms r ON r.id = t.room_id
       JOIN establishments e ON e.id = w.establishment_id
      WHERE w.id = $1`,
    [id],
  );
}
