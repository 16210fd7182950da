import { fromZonedTime } from 'date-fns-tz';
import { whenLabel } from '../appointments/appointment.rules';
import { type HolidayZone, publicHoliday } from '../common/public-holidays';
import type { VideoCallSettings } from './video-call-settings';

/**
 * Pure calendar rules of video calls (service note n° 267-2020, seeds/note-visiophonie-2020.md). Days are
 * local calendar days of the establishment ('YYYY-MM-DD'), slot times are on its clock ('HH:MM'); every
 * slot also carries its UTC instants, computed in the establishment's time zone.
 *
 * Decisions (interpretation of the note, see issue #12):
 * - notice: `noticeHours` are elapsed hours (a DST change makes the local clock time move by one hour);
 *   a slot may be booked while `now` is at or before its start minus `noticeHours`;
 * - with `mondayTuesdayUntilSaturday`, a Monday or Tuesday slot may be booked until the end of the
 *   preceding Saturday (23:59:59.999 local) instead: the officer is not there on Sunday;
 * - quota: at most `quotaCalls` calls in any window of `quotaWeeks` × 7 consecutive local days, whether
 *   the other calls come before or after the new one;
 * - closed on Sundays, on the public holidays of the establishment's holiday zone (common/public-holidays.ts),
 *   and on weekdays not in `weekdays`.
 */

export interface CallSlot {
  /** Local day, YYYY-MM-DD. */
  day: string;
  /** Local start and end, HH:MM. */
  start: string;
  end: string;
  startsAt: Date;
  endsAt: Date;
}

export type SlotProblemCode = 'PAST' | 'NOTICE' | 'SUNDAY' | 'HOLIDAY' | 'CLOSED' | 'NOT_A_SLOT';
export interface SlotProblem {
  code: SlotProblemCode;
  message: string;
}

export interface QuotaProblem {
  code: 'QUOTA';
  message: string;
  /** The other calls (local days) that fill the window, earliest first. */
  otherCallDays: string[];
  /** The first day from the slot's day on that the quota allows (other rules aside). */
  firstAllowedDay: string;
}

const DAY_MS = 86_400_000;

/** ISO day of week of a local day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The local day `n` days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(new Date(`${day}T12:00:00Z`).getTime() + n * DAY_MS).toISOString().slice(0, 10);
}

const dayFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** "lundi 6 avril 2026". */
export function dayLabel(day: string): string {
  return dayFormat.format(new Date(`${day}T12:00:00Z`));
}

/** Why no call can take place on that day at all (Sunday, public holiday, weekday not open), or null. */
export function dayProblem(day: string, settings: VideoCallSettings, zone: HolidayZone): SlotProblem | null {
  const weekday = isoWeekday(day);
  if (weekday === 7) return { code: 'SUNDAY', message: 'Pas de visiophonie le dimanche.' };
  const holiday = publicHoliday(day, zone);
  if (holiday) return { code: 'HOLIDAY', message: `Pas de visiophonie les jours fériés : ${dayLabel(day)} est férié (${holiday}).` };
  if (!settings.weekdays.includes(weekday))
    return { code: 'CLOSED', message: `Pas de visiophonie le ${dayLabel(day).split(' ')[0]} dans cet établissement.` };
  return null;
}

/** A slot of the settings' grid placed on a local day, with its UTC instants. */
export function placeSlot(day: string, slot: { start: string; end: string }, timeZone: string): CallSlot {
  return {
    day,
    start: slot.start,
    end: slot.end,
    startsAt: fromZonedTime(`${day} ${slot.start}`, timeZone),
    endsAt: fromZonedTime(`${day} ${slot.end}`, timeZone),
  };
}

/** The slots of a day, in the order of the settings' grid; none on a Sunday, a public holiday or a weekday not open. */
export function slotsOfDay(day: string, settings: VideoCallSettings, timeZone: string, zone: HolidayZone): CallSlot[] {
  if (dayProblem(day, settings, zone)) return [];
  return settings.slots.map((s) => placeSlot(day, s, timeZone));
}

/**
 * The last instant a slot may be booked: its start minus `noticeHours` (elapsed hours), or, for a Monday or
 * Tuesday slot when `mondayTuesdayUntilSaturday`, the end of the preceding Saturday on the establishment's clock.
 */
export function bookableUntil(slot: Pick<CallSlot, 'day' | 'startsAt'>, settings: VideoCallSettings, timeZone: string): Date {
  const weekday = isoWeekday(slot.day);
  if (settings.mondayTuesdayUntilSaturday && (weekday === 1 || weekday === 2)) {
    const sunday = addDays(slot.day, -weekday);
    return new Date(fromZonedTime(`${sunday} 00:00`, timeZone).getTime() - 1);
  }
  return new Date(slot.startsAt.getTime() - settings.noticeHours * 3_600_000);
}

/**
 * Why this slot cannot be booked now, or null: PAST (started), SUNDAY / HOLIDAY / CLOSED (the day), NOT_A_SLOT
 * (not in the settings' grid), NOTICE (too late, with the last moment it could be booked).
 */
export function slotProblem(
  slot: Pick<CallSlot, 'day' | 'start' | 'end'> & Partial<Pick<CallSlot, 'startsAt'>>,
  now: Date,
  settings: VideoCallSettings,
  timeZone: string,
  zone: HolidayZone,
): SlotProblem | null {
  const startsAt = slot.startsAt ?? placeSlot(slot.day, slot, timeZone).startsAt;
  if (now.getTime() >= startsAt.getTime()) return { code: 'PAST', message: 'Ce créneau est passé.' };
  const day = dayProblem(slot.day, settings, zone);
  if (day) return day;
  if (!settings.slots.some((s) => s.start === slot.start && s.end === slot.end))
    return { code: 'NOT_A_SLOT', message: 'Ce créneau ne fait pas partie de la grille de l’établissement.' };
  const until = bookableUntil({ day: slot.day, startsAt }, settings, timeZone);
  if (now.getTime() > until.getTime()) {
    const weekday = isoWeekday(slot.day);
    const why =
      settings.mondayTuesdayUntilSaturday && (weekday === 1 || weekday === 2)
        ? 'les créneaux du lundi et du mardi se réservent jusqu’au samedi précédent'
        : `les créneaux se réservent ${settings.noticeHours} heures à l’avance`;
    return { code: 'NOTICE', message: `Trop tard : ce créneau était réservable jusqu’au ${whenLabel(until, timeZone)} (${why}).` };
  }
  return null;
}

/**
 * Whether a call on `slotDay` keeps the detainee within the quota, given the days of their other calls
 * (booked or held, not cancelled; the call being moved excluded by the caller): at most `quotaCalls` in any
 * window of `quotaWeeks` × 7 consecutive days. With 1 call every 4 weeks, two calls are 28 days apart or more.
 */
export function quotaProblem(slotDay: string, otherCallDays: string[], settings: VideoCallSettings): QuotaProblem | null {
  if (settings.quotaCalls < 1 || settings.quotaWeeks < 1) throw new Error('quotaCalls and quotaWeeks must be at least 1');
  const length = settings.quotaWeeks * 7;
  const crowding = (day: string): string[] | null => {
    for (let first = addDays(day, 1 - length); first <= day; first = addDays(first, 1)) {
      const last = addDays(first, length - 1);
      const inside = otherCallDays.filter((d) => d >= first && d <= last).sort();
      if (inside.length >= settings.quotaCalls) return inside;
    }
    return null;
  };
  const others = crowding(slotDay);
  if (!others) return null;
  let firstAllowedDay = addDays(slotDay, 1);
  while (crowding(firstAllowedDay)) firstAllowedDay = addDays(firstAllowedDay, 1);
  const rule =
    settings.quotaCalls === 1
      ? `un seul appel toutes les ${settings.quotaWeeks} semaines`
      : `${settings.quotaCalls} appels au plus par période de ${settings.quotaWeeks} semaines`;
  const days = others.map((d) => `le ${dayLabel(d)}`);
  const calls = days.length === 1 ? `un appel ${days[0]}` : `des appels ${days.slice(0, -1).join(', ')} et ${days[days.length - 1]}`;
  return {
    code: 'QUOTA',
    otherCallDays: others,
    firstAllowedDay,
    message: `Quota atteint (${rule}) : la personne détenue a déjà ${calls}. Premier jour possible : ${dayLabel(firstAllowedDay)}.`,
  };
}

export interface GridCell {
  slot: CallSlot;
  /** Why it cannot be booked (calendar, then quota when the detainee's other calls are given), or null. */
  problem: SlotProblem | QuotaProblem | null;
}

export interface WeekGrid {
  /** Monday of the week, local day. */
  monday: string;
  /** Monday to Saturday (Sundays are never open), with the day's own closure if any. */
  days: { day: string; label: string; closed: SlotProblem | null }[];
  /** One row per slot of the settings' grid, one cell per day. */
  rows: { start: string; end: string; cells: GridCell[] }[];
}

/** The booking page's week: days × slots, each cell with its UTC instants and why it is not bookable. */
export function weekGrid(
  anyDayOfWeek: string,
  now: Date,
  settings: VideoCallSettings,
  timeZone: string,
  options: { zone: HolidayZone; otherCallDays?: string[] },
): WeekGrid {
  const { zone } = options;
  const monday = addDays(anyDayOfWeek, 1 - isoWeekday(anyDayOfWeek));
  const dayList = [0, 1, 2, 3, 4, 5].map((n) => addDays(monday, n));
  return {
    monday,
    days: dayList.map((day) => ({ day, label: dayLabel(day), closed: dayProblem(day, settings, zone) })),
    rows: settings.slots.map((s) => ({
      start: s.start,
      end: s.end,
      cells: dayList.map((day) => {
        const slot = placeSlot(day, s, timeZone);
        const problem =
          slotProblem(slot, now, settings, timeZone, zone) ??
          (options.otherCallDays ? quotaProblem(day, options.otherCallDays, settings) : null);
        return { slot, problem };
      }),
    })),
  };
}
