import { whenLabel } from '../appointments/appointment.rules';
import type { CallSlot, QuotaProblem, SlotProblem, WeekGrid } from './calendar.rules';
import { blockedCents, creditProblem, type CreditProblem } from './cost.rules';
import type { VideoCallSettings } from './video-call-settings';

/**
 * Pure rules of booking a video call for a detainee, on top of the calendar (calendar.rules.ts) and the
 * cost (cost.rules.ts): what the detainee's own record allows (access decision, signed charter, credit),
 * whether a device is free, and whether a contact may be called.
 *
 * Decisions:
 * - no access decision recorded means access is open (the charter and the credit still apply); the latest
 *   decision holds: REFUSED and WITHDRAWN block every slot, SUSPENDED blocks the slots that start before
 *   its end;
 * - the credit needed is the blocking of the detainee's plan (blockedCents), against what is available on
 *   the account (balance − already blocked); no account means no credit;
 * - a contact may be called when active, not a minor without the recorded consent of the parental-authority
 *   holders, and when its number is not under a sanction of the establishment in force at the slot's start.
 */

export type DetaineeProblemCode = 'ACCESS_REFUSED' | 'ACCESS_WITHDRAWN' | 'ACCESS_SUSPENDED' | 'NO_CHARTER' | 'NO_CREDIT';
export interface DetaineeProblem {
  code: DetaineeProblemCode;
  message: string;
}
export interface DeviceProblem {
  code: 'NO_DEVICE';
  message: string;
}
export type BookingProblem = SlotProblem | QuotaProblem | DetaineeProblem | CreditProblem | DeviceProblem;

export interface AccessDecision {
  status: 'ACTIVE' | 'REFUSED' | 'SUSPENDED' | 'WITHDRAWN';
  suspendedUntil: Date | null;
}

export interface PhoneAccount {
  balanceCents: number;
  blockedCents: number;
  planCode: string;
}

/** What the detainee's record says for booking: the latest access decision, the charter, the phone account. */
export interface DetaineeRecord {
  access: AccessDecision | null;
  charterSignedOn: string | null;
  account: PhoneAccount | null;
}

/** Why the detainee's access blocks a call starting at `startsAt`, or null. */
export function accessProblem(access: AccessDecision | null, startsAt: Date, timeZone: string): DetaineeProblem | null {
  if (!access || access.status === 'ACTIVE') return null;
  if (access.status === 'REFUSED')
    return { code: 'ACCESS_REFUSED', message: 'L’accès à la visiophonie a été refusé à la personne détenue.' };
  if (access.status === 'WITHDRAWN')
    return { code: 'ACCESS_WITHDRAWN', message: 'L’accès à la visiophonie a été retiré à la personne détenue.' };
  if (access.suspendedUntil && startsAt.getTime() < access.suspendedUntil.getTime())
    return { code: 'ACCESS_SUSPENDED', message: `Accès à la visiophonie suspendu jusqu’au ${whenLabel(access.suspendedUntil, timeZone)}.` };
  return null;
}

/** The credit the booking needs and whether the account has it available (balance − blocked). */
export function accountProblem(account: PhoneAccount | null, settings: VideoCallSettings): CreditProblem | null {
  if (!account) return creditProblem(0, blockedCents(settings, 'NONE'));
  return creditProblem(account.balanceCents - account.blockedCents, blockedCents(settings, account.planCode));
}

/** Why the detainee cannot book a call starting at `startsAt` (access first, then charter, then credit), or null. */
export function detaineeProblem(
  record: DetaineeRecord,
  startsAt: Date,
  settings: VideoCallSettings,
  timeZone: string,
): DetaineeProblem | CreditProblem | null {
  const access = accessProblem(record.access, startsAt, timeZone);
  if (access) return access;
  if (!record.charterSignedOn)
    return { code: 'NO_CHARTER', message: 'La charte d’utilisation de la visiophonie n’a pas été signée par la personne détenue.' };
  return accountProblem(record.account, settings);
}

/** A booking (not cancelled) of the establishment on a device, [startsAt, endsAt). */
export interface DeviceUse {
  deviceId: string;
  startsAt: Date;
  endsAt: Date;
}

/** The active devices free during the slot, in the order given. */
export function freeDevices<T extends { id: string }>(devices: T[], uses: DeviceUse[], slot: Pick<CallSlot, 'startsAt' | 'endsAt'>): T[] {
  const busy = new Set(
    uses.filter((u) => u.startsAt.getTime() < slot.endsAt.getTime() && slot.startsAt.getTime() < u.endsAt.getTime()).map((u) => u.deviceId),
  );
  return devices.filter((d) => !busy.has(d.id));
}

export const NO_DEVICE: DeviceProblem = { code: 'NO_DEVICE', message: 'Aucune salle de visio libre sur ce créneau.' };

export interface BookableCell {
  slot: CallSlot;
  problem: BookingProblem | null;
}

/**
 * The officer's grid for one detainee: each cell of the calendar's week grid (closure, notice, quota) with,
 * when the calendar allows it, the detainee's own reason (access, charter, credit), then the devices' (none free).
 */
export function detaineeGrid(
  grid: WeekGrid,
  record: DetaineeRecord,
  devices: { id: string }[],
  uses: DeviceUse[],
  settings: VideoCallSettings,
  timeZone: string,
): { start: string; end: string; cells: BookableCell[] }[] {
  return grid.rows.map((row) => ({
    start: row.start,
    end: row.end,
    cells: row.cells.map((cell) => ({
      slot: cell.slot,
      problem:
        cell.problem ??
        detaineeProblem(record, cell.slot.startsAt, settings, timeZone) ??
        (freeDevices(devices, uses, cell.slot).length === 0 ? NO_DEVICE : null),
    })),
  }));
}

export interface Contact {
  id: string;
  active: boolean;
  minor: boolean;
  consentGivenBy: string | null;
  /** The sanctions of the establishment on its number: their end, or when they were lifted (null: none). */
  sanctions: { until: Date | null }[];
}

/** Why this contact cannot be called at `startsAt`, or null. */
export function contactProblem(contact: Contact, startsAt: Date): { code: string; message: string } | null {
  if (!contact.active) return { code: 'CONTACT_INACTIVE', message: 'Ce contact n’est plus autorisé.' };
  if (contact.minor && !contact.consentGivenBy)
    return {
      code: 'CONTACT_NO_CONSENT',
      message: 'Contact mineur : le consentement des titulaires de l’autorité parentale n’est pas enregistré.',
    };
  if (contact.sanctions.some((s) => s.until === null || s.until.getTime() > startsAt.getTime()))
    return { code: 'SANCTIONED_NUMBER', message: 'Ce numéro fait l’objet d’une sanction : aucun appel ne peut y être passé.' };
  return null;
}

/** Whether the text is a real calendar day, YYYY-MM-DD. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
