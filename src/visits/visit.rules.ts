import { addDays, differenceInYears } from 'date-fns';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { type HolidayZone, publicHoliday } from '../common/public-holidays';
import { type PermitInUse, permitRefusal, type PermitRefusalCode, type VisitPlace } from '../permits/permit-validity';

/** Pure rules of visiting-room bookings. Times of templates are local to the establishment. */

export interface VisitSettings {
  minNoticeHours: number;
  horizonDays: number;
  cancelDeadlineHours: number;
  maxAdults: number;
  maxChildren: number;
  majorityAge: number;
  weeklyPrevenu: number;
  weeklyCondamne: number;
  onlineBooking: boolean;
  openOnHolidays: boolean;
  /** How long a freed place is held for the family the waiting list offers it to. */
  waitlistOfferHours: number;
}

/** Defaults: the code pénitentiaire gives prévenus at least 3 visits a week, condamnés at least 1 (L341-2, L341-3). */
export const DEFAULT_SETTINGS: VisitSettings = {
  minNoticeHours: 24,
  horizonDays: 28,
  cancelDeadlineHours: 24,
  maxAdults: 3,
  maxChildren: 3,
  majorityAge: 18,
  weeklyPrevenu: 3,
  weeklyCondamne: 1,
  onlineBooking: true,
  openOnHolidays: false,
  waitlistOfferHours: 12,
};

export interface SlotTemplate {
  id: string;
  roomId: string;
  dayOfWeek: number; // ISO: 1 = Monday … 7 = Sunday
  startTime: string; // HH:MM[:SS]
  endTime: string;
  capacity: number;
  validFrom: string; // YYYY-MM-DD
  validTo: string | null;
}

export interface Closure {
  day: string; // YYYY-MM-DD
  roomId: string | null;
  templateId: string | null;
  reason: string;
}

export function isoDayOfWeek(day: string): number {
  const d = new Date(`${day}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The instants of a template's occurrence on a local day, in the establishment's time zone. */
export function occurrence(
  t: Pick<SlotTemplate, 'startTime' | 'endTime'>,
  day: string,
  timeZone: string,
): { startsAt: Date; endsAt: Date } {
  return {
    startsAt: fromZonedTime(`${day} ${t.startTime.slice(0, 5)}`, timeZone),
    endsAt: fromZonedTime(`${day} ${t.endTime.slice(0, 5)}`, timeZone),
  };
}

/** A weekly slot's occurrence on a local day, as a permit's limits and conditions see it (R341-1). */
export function visitPlace(t: Pick<SlotTemplate, 'startTime' | 'endTime'> & { roomKind: VisitPlace['roomKind'] }, day: string): VisitPlace {
  return { day, startTime: t.startTime.slice(0, 5), endTime: t.endTime.slice(0, 5), isoDay: isoDayOfWeek(day), roomKind: t.roomKind };
}

/** The first of these permits that does not allow this visit, with why (plain French); null when all do. */
export function permitsRefusal(permits: PermitInUse[], place: VisitPlace): { code: PermitRefusalCode; message: string } | null {
  for (const p of permits) {
    const refusal = permitRefusal(p, place);
    if (refusal) return refusal;
  }
  return null;
}

export type ClosedReason = { code: 'WRONG_DAY' | 'NOT_VALID' | 'HOLIDAY' | 'CLOSED'; message: string };

/**
 * Whether a template runs on a day: right weekday, valid dates, no public holiday of the establishment's
 * holiday zone (unless open on holidays), no closure.
 */
export function templateClosedOn(
  t: SlotTemplate,
  day: string,
  closures: Closure[],
  settings: VisitSettings,
  zone: HolidayZone,
): ClosedReason | null {
  if (isoDayOfWeek(day) !== t.dayOfWeek) return { code: 'WRONG_DAY', message: 'Ce créneau n’existe pas ce jour-là.' };
  if (day < t.validFrom || (t.validTo && day > t.validTo))
    return { code: 'NOT_VALID', message: 'Ce créneau n’est pas ouvert à cette date.' };
  const holiday = settings.openOnHolidays ? null : publicHoliday(day, zone);
  if (holiday) return { code: 'HOLIDAY', message: `Les parloirs sont fermés ce jour férié (${holiday}).` };
  const closure = closures.find(
    (c) => c.day === day && (c.roomId === null || c.roomId === t.roomId) && (c.templateId === null || c.templateId === t.id),
  );
  if (closure) return { code: 'CLOSED', message: `Parloir fermé ce jour-là : ${closure.reason}` };
  return null;
}

export type WindowError = { code: 'TOO_SOON' | 'TOO_FAR' | 'PAST'; message: string };

/** Booking window: at least `minNoticeHours` ahead, at most `horizonDays` ahead. */
export function checkWindow(startsAt: Date, now: Date, s: VisitSettings): WindowError | null {
  const ms = startsAt.getTime() - now.getTime();
  if (ms <= 0) return { code: 'PAST', message: 'Ce créneau est passé.' };
  if (ms < s.minNoticeHours * 3600_000)
    return { code: 'TOO_SOON', message: `Les visites se réservent au moins ${s.minNoticeHours} heures à l’avance.` };
  if (ms > s.horizonDays * 86400_000)
    return { code: 'TOO_FAR', message: `Les visites se réservent au plus ${s.horizonDays} jours à l’avance.` };
  return null;
}

/** A family may cancel or move a visit until `cancelDeadlineHours` before it. */
export function canCancel(startsAt: Date, now: Date, s: VisitSettings): boolean {
  return startsAt.getTime() - now.getTime() >= s.cancelDeadlineHours * 3600_000;
}

/** The local week (Monday 00:00 to next Monday 00:00) holding an instant, as instants. */
export function weekOf(instant: Date, timeZone: string): { from: Date; to: Date } {
  const day = formatInTimeZone(instant, timeZone, 'yyyy-MM-dd');
  const monday = addDays(new Date(`${day}T12:00:00Z`), 1 - isoDayOfWeek(day))
    .toISOString()
    .slice(0, 10);
  const nextMonday = addDays(new Date(`${monday}T12:00:00Z`), 7)
    .toISOString()
    .slice(0, 10);
  return { from: fromZonedTime(`${monday} 00:00`, timeZone), to: fromZonedTime(`${nextMonday} 00:00`, timeZone) };
}

/** MIXTE: prévenu in one case and condamné in another. */
export type LegalStatus = 'PREVENU' | 'CONDAMNE' | 'MIXTE';

/** Visits a week: a detainee still prévenu in any case (MIXTE) keeps the prévenu's entitlement. */
export function weeklyEntitlement(legalStatus: LegalStatus, s: VisitSettings): number {
  return legalStatus === 'CONDAMNE' ? s.weeklyCondamne : s.weeklyPrevenu;
}

export type VisitorsError = { code: 'NO_VISITOR' | 'TOO_MANY_ADULTS' | 'TOO_MANY_CHILDREN' | 'MINOR_ALONE'; message: string };

/** Who comes: at least one visitor, within the limits, and a minor only with an adult permit holder. */
export function checkVisitors(birthdates: string[], visitDay: string, s: VisitSettings): VisitorsError | null {
  if (birthdates.length === 0) return { code: 'NO_VISITOR', message: 'Choisissez au moins un visiteur.' };
  const day = new Date(`${visitDay}T00:00:00Z`);
  const minors = birthdates.filter((b) => differenceInYears(day, new Date(`${b}T00:00:00Z`)) < s.majorityAge).length;
  const adults = birthdates.length - minors;
  if (adults > s.maxAdults) return { code: 'TOO_MANY_ADULTS', message: `${s.maxAdults} adulte(s) au plus par visite.` };
  if (minors > s.maxChildren) return { code: 'TOO_MANY_CHILDREN', message: `${s.maxChildren} enfant(s) au plus par visite.` };
  if (minors > 0 && adults === 0)
    return { code: 'MINOR_ALONE', message: 'Un mineur vient accompagné d’un adulte titulaire d’un permis de visite.' };
  return null;
}
