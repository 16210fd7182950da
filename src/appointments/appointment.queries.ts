import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { AppointmentStatus } from './appointment.entity';
import type { AppointmentKind } from './appointment.rules';

/** An appointment as pages and messages use it: the row, with its establishment's name and time zone. */
export interface Appointment {
  id: string;
  kind: AppointmentKind;
  establishmentId: string;
  establishmentName: string;
  familyAccountId: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  startsAt: Date;
  endsAt: Date;
  place: string;
  address: string;
  reference: string;
  status: AppointmentStatus;
  /** The establishment's time zone: times are said on its clock. */
  timeZone: string;
  /** The establishment's code (its practical information page) and what of that information messages and cards give. */
  establishmentCode: string;
  postalAddress: string | null;
  parloirPhone: string | null;
  parloirHours: string | null;
}

const COLUMNS = `a.id, a.kind, a.establishment_id AS "establishmentId", e.name AS "establishmentName",
  a.family_account_id AS "familyAccountId", a.contact_email AS "contactEmail", a.contact_phone AS "contactPhone",
  a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.place, a.address, a.reference, a.status, e.time_zone AS "timeZone",
  e.code AS "establishmentCode", e.address AS "postalAddress", i.parloir_phone AS "parloirPhone", i.parloir_hours AS "parloirHours"`;
const FROM = `appointments a JOIN establishments e ON e.id = a.establishment_id LEFT JOIN establishment_info i ON i.establishment_id = e.id`;

/** Times as Date whatever the driver gives (PostgreSQL and the embedded database alike). */
function withDates(a: Appointment): Appointment {
  return { ...a, startsAt: new Date(a.startsAt), endsAt: new Date(a.endsAt) };
}

export interface NewAppointment {
  kind: AppointmentKind;
  reference: string;
  establishmentId: string;
  familyAccountId: string | null;
  /** Already checked and normalised (contactAddress). */
  contactEmail: string | null;
  contactPhone: string | null;
  startsAt: Date;
  endsAt: Date;
  place: string;
  address: string;
}

export async function insertAppointment(db: EntityManager, a: NewAppointment): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO appointments (kind, establishment_id, family_account_id, contact_email, contact_phone, starts_at, ends_at, place, address,
                               reference)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [a.kind, a.establishmentId, a.familyAccountId, a.contactEmail, a.contactPhone, a.startsAt, a.endsAt, a.place, a.address, a.reference],
  );
  return row.id;
}

/** One appointment, locked for the rest of the transaction with `lock`. */
export async function findAppointment(db: EntityManager, id: string, opts: { lock: boolean }): Promise<Appointment | null> {
  const row = await selectOne<Appointment>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1 ${opts.lock ? 'FOR UPDATE OF a' : ''}`, [
    id,
  ]);
  return row && withDates(row);
}

/** A family's own appointment, or null (someone else's is never found). */
export async function findFamilyAppointment(db: EntityManager, familyAccountId: string, id: string): Promise<Appointment | null> {
  const row = await selectOne<Appointment>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1 AND a.family_account_id = $2`, [
    id,
    familyAccountId,
  ]);
  return row && withDates(row);
}

/** A family's appointments: booked ones first, by date (at most 200). */
export async function familyAppointments(db: EntityManager, familyAccountId: string): Promise<Appointment[]> {
  const rows = await select<Appointment>(
    db,
    `SELECT ${COLUMNS} FROM ${FROM} WHERE a.family_account_id = $1 ORDER BY (a.status = 'CANCELLED'), a.starts_at LIMIT 200`,
    [familyAccountId],
  );
  return rows.map(withDates);
}

export async function moveAppointment(
  db: EntityManager,
  id: string,
  to: { startsAt: Date; endsAt: Date; place: string | null },
): Promise<void> {
  await execute(db, `UPDATE appointments SET starts_at = $2, ends_at = $3, place = coalesce($4, place), updated_at = now() WHERE id = $1`, [
    id,
    to.startsAt,
    to.endsAt,
    to.place,
  ]);
}

export async function cancelAppointment(db: EntityManager, id: string, at: Date, reason: string): Promise<void> {
  await execute(
    db,
    `UPDATE appointments SET status = 'CANCELLED', cancelled_at = $2, cancel_reason = $3, updated_at = now() WHERE id = $1`,
    [id, at, reason],
  );
}

/**
 * Erases the contact e-mail and phone of the family's appointments that are over or cancelled (a closed account:
 * « Mes données »); an appointment still to come keeps them, its reminders need them. How many were erased.
 */
export async function forgetFamilyContacts(db: EntityManager, familyAccountId: string, now: Date): Promise<number> {
  return execute(
    db,
    `UPDATE appointments SET contact_email = NULL, contact_phone = NULL, updated_at = now()
      WHERE family_account_id = $1 AND (status = 'CANCELLED' OR ends_at <= $2) AND (contact_email IS NOT NULL OR contact_phone IS NOT NULL)`,
    [familyAccountId, now],
  );
}

/** What the outbox re-checks before sending a reminder: is the appointment still booked, and when. */
export async function appointmentState(
  db: EntityManager,
  id: string,
): Promise<{ kind: AppointmentKind; status: AppointmentStatus; startsAt: Date } | null> {
  const row = await selectOne<{ kind: AppointmentKind; status: AppointmentStatus; startsAt: Date }>(
    db,
    `SELECT kind, status, starts_at AS "startsAt" FROM appointments WHERE id = $1`,
    [id],
  );
  return row && { kind: row.kind, status: row.status, startsAt: new Date(row.startsAt) };
}
