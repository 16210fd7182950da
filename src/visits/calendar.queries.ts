import type { EntityManager } from 'typeorm';
import type { HolidayZone } from '../common/public-holidays';
import type { Calendar, CalendarClosure, CalendarRoom, CalendarTemplate, PlacedVisit } from './calendar.rules';
import { execute, select, selectOne } from '../common/sql';
import { type Closure, DEFAULT_SETTINGS, type SlotTemplate, type VisitSettings } from './visit.rules';
import type { RoomKind } from './visiting-room.entity';

/**
 * The SQL of an establishment's visiting-room calendar: booking settings, rooms, weekly slots and
 * closures (tables visit_settings, visiting_rooms, slot_templates, closures).
 */

const SETTINGS_COLUMNS = `min_notice_hours AS "minNoticeHours", horizon_days AS "horizonDays",
  cancel_deadline_hours AS "cancelDeadlineHours", max_adults AS "maxAdults", max_children AS "maxChildren",
  weekly_prevenu AS "weeklyPrevenu", weekly_condamne AS "weeklyCondamne",
  online_booking AS "onlineBooking", open_on_holidays AS "openOnHolidays", waitlist_offer_hours AS "waitlistOfferHours"`;

/** The establishment's settings, or null when it never changed the defaults. */
export function settingsOf(db: EntityManager, establishmentId: string): Promise<VisitSettings | null> {
  return selectOne<VisitSettings>(db, `SELECT ${SETTINGS_COLUMNS} FROM visit_settings WHERE establishment_id = $1`, [establishmentId]);
}

/** The settings row locked for a change (null when there is none yet). */
export function lockSettings(db: EntityManager, establishmentId: string): Promise<VisitSettings | null> {
  return selectOne<VisitSettings>(db, `SELECT ${SETTINGS_COLUMNS} FROM visit_settings WHERE establishment_id = $1 FOR UPDATE`, [
    establishmentId,
  ]);
}

export async function saveSettings(db: EntityManager, establishmentId: string, s: VisitSettings): Promise<void> {
  await execute(
    db,
    `INSERT INTO visit_settings (establishment_id, min_notice_hours, horizon_days, cancel_deadline_hours, max_adults, max_children,
                                 weekly_prevenu, weekly_condamne, online_booking, open_on_holidays, waitlist_offer_hours)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (establishment_id) DO UPDATE SET min_notice_hours = $2, horizon_days = $3, cancel_deadline_hours = $4, max_adults = $5,
       max_children = $6, weekly_prevenu = $7, weekly_condamne = $8, online_booking = $9, open_on_holidays = $10,
       waitlist_offer_hours = $11`,
    [
      establishmentId,
      s.minNoticeHours,
      s.horizonDays,
      s.cancelDeadlineHours,
      s.maxAdults,
      s.maxChildren,
      s.weeklyPrevenu,
      s.weeklyCondamne,
      s.onlineBooking,
      s.openOnHolidays,
      s.waitlistOfferHours,
    ],
  );
}

const TEMPLATE_COLUMNS = `t.id, t.room_id AS "roomId", t.day_of_week AS "dayOfWeek", t.start_time::text AS "startTime",
  t.end_time::text AS "endTime", t.capacity, to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom",
  to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo"`;

/** A weekly slot with the name of its room. */
export interface TemplateWithRoom extends SlotTemplate {
  room: string;
  roomKind: RoomKind;
}

/** The weekly slots of the establishment's active rooms (what families may book). */
export function bookableTemplates(db: EntityManager, establishmentId: string): Promise<TemplateWithRoom[]> {
  return select<TemplateWithRoom>(
    db,
    `SELECT ${TEMPLATE_COLUMNS}, r.name AS room, r.kind AS "roomKind"
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id
      WHERE r.establishment_id = $1 AND r.active`,
    [establishmentId],
  );
}

/** A weekly slot with what a booking needs to know of its room and establishment. */
export interface TemplateInContext extends SlotTemplate {
  establishmentId: string;
  roomName: string;
  roomKind: RoomKind;
  roomActive: boolean;
  timeZone: string;
  holidayZone: HolidayZone;
  establishmentName: string;
}

export function templateInContext(db: EntityManager, templateId: string): Promise<TemplateInContext | null> {
  return selectOne<TemplateInContext>(
    db,
    `SELECT ${TEMPLATE_COLUMNS}, r.establishment_id AS "establishmentId", r.name AS "roomName", r.kind AS "roomKind", r.active AS "roomActive",
            e.time_zone AS "timeZone", e.holiday_zone AS "holidayZone", e.name AS "establishmentName"
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id JOIN establishments e ON e.id = r.establishment_id
      WHERE t.id = $1`,
    [templateId],
  );
}

const CLOSURE_COLUMNS = `to_char(day, 'YYYY-MM-DD') AS day, room_id AS "roomId", template_id AS "templateId", reason`;

/** Closures of the establishment from a day on (`onlyThatDay`: that day only). */
export function closuresFrom(db: EntityManager, establishmentId: string, day: string, onlyThatDay = false): Promise<Closure[]> {
  return select<Closure>(
    db,
    `SELECT ${CLOSURE_COLUMNS} FROM closures WHERE establishment_id = $1 AND ${onlyThatDay ? 'day = $2::date' : 'day >= $2::date'}`,
    [establishmentId, day],
  );
}

// ---------- The "Parloirs" page (administrators) ----------

export interface RoomRow {
  id: string;
  name: string;
  kind: RoomKind;
  cabins: number;
  active: boolean;
}

export function roomsOf(db: EntityManager, establishmentId: string): Promise<RoomRow[]> {
  return select<RoomRow>(db, `SELECT id, name, kind, cabins, active FROM visiting_rooms WHERE establishment_id = $1 ORDER BY name`, [
    establishmentId,
  ]);
}

export interface TemplateListRow {
  id: string;
  room: string;
  dayOfWeek: number;
  start: string;
  end: string;
  capacity: number;
  validFrom: string;
  validTo: string | null;
}

/** The weekly slots still valid on `today` or later, in week order. */
export function templatesFrom(db: EntityManager, establishmentId: string, today: string): Promise<TemplateListRow[]> {
  return select<TemplateListRow>(
    db,
    `SELECT t.id, r.name AS room, t.day_of_week AS "dayOfWeek", to_char(t.start_time, 'HH24:MI') AS start,
            to_char(t.end_time, 'HH24:MI') AS "end",
            t.capacity, to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo"
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id
      WHERE r.establishment_id = $1 AND (t.valid_to IS NULL OR t.valid_to >= $2::date)
      ORDER BY t.day_of_week, t.start_time, r.name`,
    [establishmentId, today],
  );
}

export interface ClosureListRow {
  id: string;
  day: string;
  reason: string;
  room: string | null;
  slotStart: string | null;
}

export function closuresListFrom(db: EntityManager, establishmentId: string, today: string): Promise<ClosureListRow[]> {
  return select<ClosureListRow>(
    db,
    `SELECT c.id, to_char(c.day, 'YYYY-MM-DD') AS day, c.reason, r.name AS room, to_char(t.start_time, 'HH24:MI') AS "slotStart"
       FROM closures c LEFT JOIN visiting_rooms r ON r.id = c.room_id LEFT JOIN slot_templates t ON t.id = c.template_id
      WHERE c.establishment_id = $1 AND c.day >= $2::date ORDER BY c.day LIMIT 100`,
    [establishmentId, today],
  );
}

export async function roomNamed(db: EntityManager, establishmentId: string, name: string): Promise<boolean> {
  return (await selectOne(db, `SELECT 1 FROM visiting_rooms WHERE establishment_id = $1 AND name = $2`, [establishmentId, name])) !== null;
}

/** A room of the establishment (null for another establishment's). */
export function roomOf(db: EntityManager, establishmentId: string, roomId: string): Promise<{ id: string; cabins: number } | null> {
  return selectOne(db, `SELECT id, cabins FROM visiting_rooms WHERE id = $1 AND establishment_id = $2`, [roomId, establishmentId]);
}

export async function templateOf(db: EntityManager, establishmentId: string, templateId: string): Promise<boolean> {
  const row = await selectOne(
    db,
    `SELECT 1 FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id WHERE t.id = $1 AND r.establishment_id = $2`,
    [templateId, establishmentId],
  );
  return row !== null;
}

export async function insertRoom(
  db: EntityManager,
  establishmentId: string,
  room: { name: string; kind: RoomKind; cabins: number },
): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, $2, $3, $4) RETURNING id`,
    [establishmentId, room.name, room.kind, room.cabins],
  );
  return row.id;
}

export interface NewTemplate {
  roomId: string;
  dayOfWeek: number;
  start: string;
  end: string;
  capacity: number;
  validFrom: string;
  validTo: string | null;
}

export async function insertTemplate(db: EntityManager, t: NewTemplate): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from, valid_to)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [t.roomId, t.dayOfWeek, t.start, t.end, t.capacity, t.validFrom, t.validTo],
  );
  return row.id;
}

export interface NewClosure {
  day: string;
  roomId: string | null;
  templateId: string | null;
  reason: string;
}

export async function insertClosure(db: EntityManager, establishmentId: string, c: NewClosure): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO closures (establishment_id, day, room_id, template_id, reason) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [establishmentId, c.day, c.roomId, c.templateId, c.reason],
  );
  return row.id;
}

/** The establishment's settings, or the defaults. */
export async function settingsOrDefaults(db: EntityManager, establishmentId: string): Promise<VisitSettings> {
  return (await settingsOf(db, establishmentId)) ?? DEFAULT_SETTINGS;
}

// ---------- Changes of the calendar and the visits they hit ----------

/**
 * THE calendar lock of an establishment (an advisory lock, for the transaction): a booking or a
 * move takes it shared before reading the weekly slots and closures (resolveSlot); a change of the
 * calendar takes it exclusive, so no visit is booked on a slot while it closes, and the visits it
 * hits are all seen.
 */
export async function lockCalendar(db: EntityManager, establishmentId: string, mode: 'SHARED' | 'EXCLUSIVE'): Promise<void> {
  const fn = mode === 'SHARED' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await execute(db, `SELECT ${fn}(hashtextextended($1, 0))`, [`calendar:${establishmentId}`]);
}

/** The calendar lock, shared, of the establishment of a weekly slot (nothing when the slot does not exist). */
export async function lockCalendarOfTemplate(db: EntityManager, templateId: string): Promise<void> {
  await execute(
    db,
    `SELECT pg_advisory_xact_lock_shared(hashtextextended('calendar:' || r.establishment_id::text, 0))
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id WHERE t.id = $1`,
    [templateId],
  );
}

/** The establishment's whole calendar: rooms, weekly slots (all), closures from a day on. */
export async function calendarOf(db: EntityManager, establishmentId: string, fromDay: string): Promise<Calendar> {
  const [rooms, templates, closures] = await Promise.all([
    select<CalendarRoom>(db, `SELECT id, name, kind, cabins, active FROM visiting_rooms WHERE establishment_id = $1`, [establishmentId]),
    select<CalendarTemplate>(
      db,
      `SELECT t.id, t.room_id AS "roomId", t.day_of_week AS "dayOfWeek", to_char(t.start_time, 'HH24:MI') AS start,
              to_char(t.end_time, 'HH24:MI') AS "end", t.capacity, to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom",
              to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo"
         FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id WHERE r.establishment_id = $1`,
      [establishmentId],
    ),
    select<CalendarClosure>(
      db,
      `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, room_id AS "roomId", template_id AS "templateId", reason
         FROM closures WHERE establishment_id = $1 AND day >= $2::date`,
      [establishmentId, fromDay],
    ),
  ]);
  return { rooms, templates, closures };
}

/** A booked visit still to come, placed in the calendar, with what the administrator's read-back shows of it. */
export interface VisitAhead extends PlacedVisit {
  reference: string;
  startsAt: Date;
  room: string;
  detainee: string;
  visitors: string[];
  contactEmail: string | null;
  contactPhone: string | null;
}

/** The establishment's booked visits starting after `now`. */
export async function visitsAhead(db: EntityManager, establishmentId: string, now: Date): Promise<VisitAhead[]> {
  const rows = await select<VisitAhead>(
    db,
    `SELECT v.id, v.slot_id AS "slotId", s.room_id AS "roomId", s.template_id AS "templateId",
            to_char(lower(v.during) AT TIME ZONE e.time_zone, 'YYYY-MM-DD') AS day,
            to_char(lower(v.during) AT TIME ZONE e.time_zone, 'HH24:MI') AS start,
            to_char(upper(v.during) AT TIME ZONE e.time_zone, 'HH24:MI') AS "end",
            s.capacity AS "slotCapacity", s.held AS "slotHeld", v.created_at AS "bookedAt", v.reference, lower(v.during) AS "startsAt",
            r.name AS room, d.first_name || ' ' || upper(d.last_name) AS detainee,
            ARRAY(SELECT coalesce(p.visitor_given_name || ' ' || upper(p.visitor_family_name), x.given_name || ' ' || upper(x.family_name))
                    FROM visit_visitors x LEFT JOIN permits p ON p.id = x.permit_id WHERE x.visit_id = v.id ORDER BY 1) AS visitors,
            a.contact_email AS "contactEmail", a.contact_phone AS "contactPhone"
       FROM visits v JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id
       JOIN establishments e ON e.id = v.establishment_id JOIN detainees d ON d.id = v.detainee_id
       LEFT JOIN appointments a ON a.id = v.appointment_id AND a.status = 'BOOKED'
      WHERE v.establishment_id = $1 AND v.status = 'BOOKED' AND lower(v.during) > $2
      ORDER BY lower(v.during), r.name, d.last_name, v.id`,
    [establishmentId, now],
  );
  return rows.map((r) => ({ ...r, bookedAt: new Date(r.bookedAt), startsAt: new Date(r.startsAt) }));
}

export async function updateRoom(
  db: EntityManager,
  roomId: string,
  room: { name: string; kind: RoomKind; cabins: number; active: boolean },
): Promise<void> {
  await execute(db, `UPDATE visiting_rooms SET name = $2, kind = $3, cabins = $4, active = $5 WHERE id = $1`, [
    roomId,
    room.name,
    room.kind,
    room.cabins,
    room.active,
  ]);
  // A weekly slot never has more places than its room has cabins.
  await execute(db, `UPDATE slot_templates SET capacity = $2 WHERE room_id = $1 AND capacity > $2`, [roomId, room.cabins]);
}

export async function updateTemplate(db: EntityManager, templateId: string, t: Omit<CalendarTemplate, 'id' | 'roomId'>): Promise<void> {
  await execute(
    db,
    `UPDATE slot_templates SET day_of_week = $2, start_time = $3, end_time = $4, capacity = $5, valid_from = $6, valid_to = $7 WHERE id = $1`,
    [templateId, t.dayOfWeek, t.start, t.end, t.capacity, t.validFrom, t.validTo],
  );
}

export async function deleteClosure(db: EntityManager, closureId: string): Promise<void> {
  await execute(db, `DELETE FROM closures WHERE id = $1`, [closureId]);
}

/**
 * The slots still to come take their weekly slot's capacity, never above their room's cabins (run
 * after the visits that no longer fit are cancelled: the CHECK booked + held <= capacity holds).
 */
export async function syncSlotCapacities(db: EntityManager, establishmentId: string, now: Date): Promise<void> {
  await execute(
    db,
    `UPDATE visit_slots s SET capacity = x.capacity
       FROM (SELECT y.id, least(coalesce(t.capacity, y.capacity), r.cabins) AS capacity
               FROM visit_slots y JOIN visiting_rooms r ON r.id = y.room_id LEFT JOIN slot_templates t ON t.id = y.template_id
              WHERE r.establishment_id = $1 AND y.starts_at > $2) x
      WHERE x.id = s.id AND s.capacity <> x.capacity`,
    [establishmentId, now],
  );
}

/** A closure of the establishment to come or past (null for another establishment's). */
export function closureOf(db: EntityManager, establishmentId: string, closureId: string) {
  return selectOne<CalendarClosure & { id: string }>(
    db,
    `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, room_id AS "roomId", template_id AS "templateId", reason
       FROM closures WHERE id = $1 AND establishment_id = $2`,
    [closureId, establishmentId],
  );
}

/** A closure edited in place (same id): its day, room, weekly slot and reason. */
export async function updateClosure(db: EntityManager, closureId: string, c: NewClosure): Promise<void> {
  await execute(db, `UPDATE closures SET day = $2, room_id = $3, template_id = $4, reason = $5 WHERE id = $1`, [
    closureId,
    c.day,
    c.roomId,
    c.templateId,
    c.reason,
  ]);
}

/** Whether another room of the establishment has that name. */
export async function roomNamedOther(db: EntityManager, establishmentId: string, name: string, roomId: string): Promise<boolean> {
  const row = await selectOne(db, `SELECT 1 FROM visiting_rooms WHERE establishment_id = $1 AND name = $2 AND id <> $3`, [
    establishmentId,
    name,
    roomId,
  ]);
  return row !== null;
}

/** A room of the establishment, whole (null for another establishment's). */
export function roomRowOf(db: EntityManager, establishmentId: string, roomId: string): Promise<RoomRow | null> {
  return selectOne<RoomRow>(db, `SELECT id, name, kind, cabins, active FROM visiting_rooms WHERE id = $1 AND establishment_id = $2`, [
    roomId,
    establishmentId,
  ]);
}

/** A weekly slot of the establishment with its room's name and cabins (null for another establishment's). */
export function templateRoom(db: EntityManager, establishmentId: string, templateId: string) {
  return selectOne<CalendarTemplate & { room: string; cabins: number }>(
    db,
    `SELECT t.id, t.room_id AS "roomId", t.day_of_week AS "dayOfWeek", to_char(t.start_time, 'HH24:MI') AS start,
            to_char(t.end_time, 'HH24:MI') AS "end", t.capacity, to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom",
            to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo", r.name AS room, r.cabins
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id WHERE t.id = $1 AND r.establishment_id = $2`,
    [templateId, establishmentId],
  );
}
