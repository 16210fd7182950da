import type { VisitSettings } from '../../src/visits/visit.rules';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { query, queryOne } from '../helpers/db';
import {
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
  unique,
} from './people';
import { insertAppointment } from './appointments';
import { insertPermit, type PermitRow } from './permits';

/**
 * The visiting-room rows a test needs: rooms, weekly slots, booking settings, visits (with their
 * slot's places counted) and waiting-list entries, straight in the test file's database.
 */

export const PARIS = 'Europe/Paris';

/** A local day `n` days from now (YYYY-MM-DD) on an establishment's clock. */
export function dayIn(n: number, timeZone = PARIS, now = new Date()): string {
  return formatInTimeZone(new Date(now.getTime() + n * 86400_000), timeZone, 'yyyy-MM-dd');
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a day. */
export function weekdayOf(day: string): number {
  const d = new Date(`${day}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The instant of a local time on a day, on an establishment's clock. */
export function at(day: string, time: string, timeZone = PARIS): Date {
  return fromZonedTime(`${day} ${time}`, timeZone);
}

export interface RoomRow {
  id: string;
  establishmentId: string;
  name: string;
  cabins: number;
}

export async function insertRoom(
  establishmentId: string,
  o: { name?: string; kind?: 'ORDINARY' | 'SEPARATION' | 'ACCESSIBLE'; cabins?: number; active?: boolean } = {},
): Promise<RoomRow> {
  return queryOne<RoomRow>(
    `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins, active) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, establishment_id AS "establishmentId", name, cabins`,
    [establishmentId, o.name ?? `Parloir ${unique()}`, o.kind ?? 'ORDINARY', o.cabins ?? 10, o.active ?? true],
  );
}

export interface TemplateRow {
  id: string;
  roomId: string;
  dayOfWeek: number;
  capacity: number;
}

/** A weekly slot of a room (by default 14:00–15:00, 10 places, valid since 2026-01-01). */
export async function insertSlotTemplate(
  roomId: string,
  o: { dayOfWeek: number; start?: string; end?: string; capacity?: number; validFrom?: string; validTo?: string | null },
): Promise<TemplateRow> {
  return queryOne<TemplateRow>(
    `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from, valid_to)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id, room_id AS "roomId", day_of_week AS "dayOfWeek", capacity`,
    [roomId, o.dayOfWeek, o.start ?? '14:00', o.end ?? '15:00', o.capacity ?? 10, o.validFrom ?? '2026-01-01', o.validTo ?? null],
  );
}

/** The booking settings of an establishment, as the visits module reads them. */
export type SettingsRow = VisitSettings;

const SETTINGS_COLUMNS: Record<keyof SettingsRow, string> = {
  minNoticeHours: 'min_notice_hours',
  horizonDays: 'horizon_days',
  cancelDeadlineHours: 'cancel_deadline_hours',
  maxAdults: 'max_adults',
  maxChildren: 'max_children',
  weeklyPrevenu: 'weekly_prevenu',
  weeklyCondamne: 'weekly_condamne',
  onlineBooking: 'online_booking',
  openOnHolidays: 'open_on_holidays',
  waitlistOfferHours: 'waitlist_offer_hours',
};

/** The establishment's booking settings: the defaults, changed by `o` (written, or changed again). */
export async function setVisitSettings(establishmentId: string, o: Partial<SettingsRow>): Promise<void> {
  const entries = Object.entries(o) as [keyof SettingsRow, number | boolean][];
  const columns = entries.map(([k]) => SETTINGS_COLUMNS[k]);
  const update = columns.length ? `UPDATE SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}` : 'NOTHING';
  await query(
    `INSERT INTO visit_settings (establishment_id${columns.map((c) => `, ${c}`).join('')})
     VALUES ($1${entries.map((_, i) => `, $${i + 2}`).join('')})
     ON CONFLICT (establishment_id) DO ${update}`,
    [establishmentId, ...entries.map(([, v]) => v)],
  );
}

/** The row of a slot occurrence, with its places booked and held (for a waiting list's offer). */
export async function insertSlot(o: {
  roomId: string;
  templateId?: string | null;
  startsAt: Date;
  endsAt?: Date;
  capacity: number;
  booked?: number;
  held?: number;
}): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO visit_slots (room_id, template_id, starts_at, ends_at, capacity, booked, held)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      o.roomId,
      o.templateId ?? null,
      o.startsAt,
      o.endsAt ?? new Date(o.startsAt.getTime() + 3600_000),
      o.capacity,
      o.booked ?? 0,
      o.held ?? 0,
    ],
  );
}

export interface VisitRow {
  id: string;
  reference: string;
  slotId: string;
  visitorIds: string[];
}

/**
 * A booked visit (its slot created or its places counted): a detainee, permit holders and/or
 * visitors known by name only (as a GENESIS list gives them), on the time range given.
 */
export async function insertVisit(o: {
  establishmentId: string;
  roomId: string;
  detaineeId: string;
  startsAt: Date;
  endsAt?: Date;
  permitIds?: string[];
  namedVisitors?: { givenName: string; familyName: string; birthdate: string }[];
  familyAccountId?: string | null;
  templateId?: string | null;
  capacity?: number;
  channel?: 'ONLINE' | 'PHONE' | 'IN_PERSON' | 'GENESIS';
  reference?: string;
}): Promise<VisitRow> {
  const endsAt = o.endsAt ?? new Date(o.startsAt.getTime() + 3600_000);
  const range = `[${o.startsAt.toISOString()},${endsAt.toISOString()})`;
  const slot = await queryOne<{ id: string }>(
    `INSERT INTO visit_slots (room_id, template_id, starts_at, ends_at, capacity, booked) VALUES ($1, $2, $3, $4, $5, 1)
     ON CONFLICT (room_id, starts_at) DO UPDATE SET booked = visit_slots.booked + 1 RETURNING id`,
    [o.roomId, o.templateId ?? null, o.startsAt, endsAt, o.capacity ?? 10],
  );
  const visit = await queryOne<{ id: string; reference: string }>(
    `INSERT INTO visits (establishment_id, slot_id, detainee_id, family_account_id, reference, channel, during)
     VALUES ($1, $2, $3, $4, $5, $6, $7::tstzrange) RETURNING id, reference`,
    [
      o.establishmentId,
      slot.id,
      o.detaineeId,
      o.familyAccountId ?? null,
      o.reference ?? unique('V').slice(-12),
      o.channel ?? 'PHONE',
      range,
    ],
  );
  const visitorIds: string[] = [];
  for (const permitId of o.permitIds ?? []) {
    const v = await queryOne<{ id: string }>(
      `INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange) RETURNING id`,
      [visit.id, permitId, range],
    );
    visitorIds.push(v.id);
  }
  for (const who of o.namedVisitors ?? []) {
    const v = await queryOne<{ id: string }>(
      `INSERT INTO visit_visitors (visit_id, given_name, family_name, birthdate, during)
       VALUES ($1, $2, $3, $4, $5::tstzrange) RETURNING id`,
      [visit.id, who.givenName, who.familyName, who.birthdate, range],
    );
    visitorIds.push(v.id);
  }
  return { id: visit.id, reference: visit.reference, slotId: slot.id, visitorIds };
}

/** A family on the waiting list of a weekly slot's occurrence (WAITING, or OFFERED until `offerExpiresAt`). */
export async function insertWaitlistEntry(o: {
  establishmentId: string;
  templateId: string;
  day: string;
  startsAt: Date;
  familyAccountId: string;
  detaineeId: string;
  permitIds: string[];
  offerExpiresAt?: Date;
}): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO visit_waitlist (establishment_id, template_id, day, starts_at, family_account_id, detainee_id, permit_ids, status,
                                 offered_at, offer_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10) RETURNING id`,
    [
      o.establishmentId,
      o.templateId,
      o.day,
      o.startsAt,
      o.familyAccountId,
      o.detaineeId,
      o.permitIds,
      o.offerExpiresAt ? 'OFFERED' : 'WAITING',
      o.offerExpiresAt ? new Date() : null,
      o.offerExpiresAt ?? null,
    ],
  );
}

/** A family, its detainee and the family's permit for them, in an establishment with a room and a weekly slot on `dayOfWeek`. */
export interface BookingSetup {
  establishment: EstablishmentRow;
  room: RoomRow;
  template: TemplateRow;
  detainee: DetaineeRow;
  family: FamilyRow;
  permit: PermitRow;
}

export async function insertBookingSetup(
  o: {
    establishment?: EstablishmentRow;
    dayOfWeek?: number;
    capacity?: number;
    start?: string;
    end?: string;
    family?: Partial<Omit<FamilyRow, 'id'>>;
    visitor?: { givenName?: string; familyName?: string; birthdate?: string };
    detainee?: { firstName?: string; lastName?: string; legalStatus?: 'PREVENU' | 'CONDAMNE'; housing?: string };
  } = {},
): Promise<BookingSetup> {
  const establishment = o.establishment ?? (await insertEstablishment());
  const room = await insertRoom(establishment.id, { cabins: Math.max(10, o.capacity ?? 10) });
  const template = await insertSlotTemplate(room.id, {
    dayOfWeek: o.dayOfWeek ?? weekdayOf(dayIn(3)),
    capacity: o.capacity,
    start: o.start,
    end: o.end,
  });
  const detainee = await insertDetainee(establishment.id, o.detainee);
  const family = await insertFamily(o.family);
  const permit = await insertPermit({
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    familyAccountId: family.id,
    visitorGivenName: o.visitor?.givenName ?? family.givenName,
    visitorFamilyName: o.visitor?.familyName ?? family.familyName,
    visitorBirthdate: o.visitor?.birthdate ?? family.birthdate,
  });
  return { establishment, room, template, detainee, family, permit };
}

/** A visit of the setup's family at `startsAt`, with its appointment, as an online booking leaves it. */
export async function insertBookedVisit(s: BookingSetup, startsAt: Date): Promise<VisitRow & { appointmentId: string }> {
  const appointment = await insertAppointment({ establishmentId: s.establishment.id, familyAccountId: s.family.id, startsAt });
  const visit = await insertVisit({
    establishmentId: s.establishment.id,
    roomId: s.room.id,
    detaineeId: s.detainee.id,
    startsAt,
    permitIds: [s.permit.id],
    familyAccountId: s.family.id,
    channel: 'ONLINE',
  });
  await query(`UPDATE visits SET appointment_id = $2 WHERE id = $1`, [visit.id, appointment.id]);
  return { ...visit, appointmentId: appointment.id };
}

/** A visit of a visiting day, with its visitors' ids (in the order given) and its detainee's écrou. */
export interface DayVisitRow extends VisitRow {
  permitIds: string[];
  ecrou: string;
}

/**
 * A day at the visiting rooms of a new establishment: four visits on `day` (today by default), two
 * at 14:00 and two at 15:30 in "Parloir familles 1", six visitors holding paper permits:
 * the Kaya family (Ayşe and Łucja, detainee in Bâtiment A, cellule 12), the Lemaire family (Jean
 * and Sophie), Văn An Nguyễn, and محمد Diallo.
 */
export async function insertVisitingDay(o: { day?: string } = {}) {
  const day = o.day ?? dayIn(0);
  const establishment = await insertEstablishment();
  const room = await insertRoom(establishment.id, { name: 'Parloir familles 1', cabins: 10 });
  const visit = async (
    time: string,
    detainee: { firstName: string; lastName: string; housing: string },
    visitors: [string, string, string][],
  ): Promise<DayVisitRow> => {
    const d = await insertDetainee(establishment.id, detainee);
    const permitIds: string[] = [];
    for (const [given, family, birthdate] of visitors) {
      const permit = await insertPermit({
        establishmentId: establishment.id,
        detaineeId: d.id,
        visitorGivenName: given,
        visitorFamilyName: family,
        visitorBirthdate: birthdate,
      });
      permitIds.push(permit.id);
    }
    const startsAt = at(day, time);
    const row = await insertVisit({ establishmentId: establishment.id, roomId: room.id, detaineeId: d.id, permitIds, startsAt });
    return { ...row, permitIds, ecrou: d.ecrouNumber };
  };
  const kaya = await visit('14:00', { firstName: 'Yusuf', lastName: 'Kaya', housing: 'Bâtiment A, cellule 12' }, [
    ['Ayşe', 'Kaya', '1980-04-02'],
    ['Łucja', 'Kaya', '2001-09-30'],
  ]);
  const lemaire = await visit('14:00', { firstName: 'Paul', lastName: 'Lemaire', housing: 'Bâtiment B, cellule 3' }, [
    ['Jean', 'Lemaire', '1975-01-01'],
    ['Sophie', 'Lemaire', '1978-02-02'],
  ]);
  const nguyen = await visit('15:30', { firstName: 'Minh', lastName: 'Trần', housing: 'Bâtiment C, cellule 7' }, [
    ['Văn An', 'Nguyễn', '1969-03-03'],
  ]);
  const diallo = await visit('15:30', { firstName: 'Ousmane', lastName: 'Diallo', housing: 'Bâtiment A, cellule 1' }, [
    ['محمد', 'Diallo', '1990-12-12'],
  ]);
  return { establishment, room, day, kaya, lemaire, nguyen, diallo };
}
