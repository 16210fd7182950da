import { addDays, differenceInYears } from 'date-fns';
import { type HolidayZone, publicHoliday } from '../common/public-holidays';
import { whenLabel } from '../appointments/appointment.rules';
import { currentLanguage, intlLocale, type Language } from '../common/i18n';
import { comparableName } from '../common/names';
import { listIn, numericDay, tr, trIn } from '../common/translate';
import type { VisitStatus } from './visit-day.rules';
import { type PermitInUse, permitRefusal, type PermitRefusalCode, type VisitPlace } from '../permits/permit-validity';
import { zonedFormat, zonedInstant } from '../common/zoned-time';

/** Pure rules of visiting-room bookings. Times of templates are local to the establishment. */

export interface VisitSettings {
  minNoticeHours: number;
  horizonDays: number;
  cancelDeadlineHours: number;
  maxAdults: number;
  maxChildren: number;
  /** The establishment's weekly caps: never below the law's floors (WEEKLY_FLOORS). */
  weeklyPrevenu: number;
  weeklyCondamne: number;
  onlineBooking: boolean;
  openOnHolidays: boolean;
  /** How long a freed place is held for the family the waiting list offers it to. */
  waitlistOfferHours: number;
}

/**
 * The law's weekly floors: prévenus at least 3 visits a week, condamnés at least 1 (L341-2, L341-3,
 * « au moins »). Not settings: an establishment's cap may be higher, never lower (a check constraint too).
 */
export const WEEKLY_FLOORS = { PREVENU: 3, CONDAMNE: 1 } as const;

/** Legal majority (code civil, art. 414): not a setting. */
export const MAJORITY_AGE = 18;
/** From this age a minor may visit in an ordinary parloir without an adult, with the parental-authority holders' written consent (circulaire of 20 February 2012). */
export const UNACCOMPANIED_AGE = 16;

/** A cap below the law's floor, in plain French (null when the caps respect the floors). */
export function capsBelowFloors(
  s: Pick<VisitSettings, 'weeklyPrevenu' | 'weeklyCondamne'>,
): { field: 'weeklyPrevenu' | 'weeklyCondamne'; message: string } | null {
  if (!(s.weeklyPrevenu >= WEEKLY_FLOORS.PREVENU))
    return {
      field: 'weeklyPrevenu',
      message: `Le plafond ne peut pas être inférieur à ${WEEKLY_FLOORS.PREVENU} visites par semaine pour une personne prévenue (article L341-2).`,
    };
  if (!(s.weeklyCondamne >= WEEKLY_FLOORS.CONDAMNE))
    return {
      field: 'weeklyCondamne',
      message: `Le plafond ne peut pas être inférieur à ${WEEKLY_FLOORS.CONDAMNE} visite par semaine pour une personne condamnée (article L341-3).`,
    };
  return null;
}

/** Defaults: the caps equal the law's floors. */
export const DEFAULT_SETTINGS: VisitSettings = {
  minNoticeHours: 24,
  horizonDays: 28,
  cancelDeadlineHours: 24,
  maxAdults: 3,
  maxChildren: 3,
  weeklyPrevenu: WEEKLY_FLOORS.PREVENU,
  weeklyCondamne: WEEKLY_FLOORS.CONDAMNE,
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
    startsAt: zonedInstant(`${day} ${t.startTime.slice(0, 5)}`, timeZone),
    endsAt: zonedInstant(`${day} ${t.endTime.slice(0, 5)}`, timeZone),
  };
}

/** A weekly slot's occurrence on a local day, as a permit's limits and conditions see it (R341-1). */
export function visitPlace(t: Pick<SlotTemplate, 'startTime' | 'endTime'> & { roomKind: VisitPlace['roomKind'] }, day: string): VisitPlace {
  return { day, startTime: t.startTime.slice(0, 5), endTime: t.endTime.slice(0, 5), isoDay: isoDayOfWeek(day), roomKind: t.roomKind };
}

/**
 * The first of these permits that does not allow this visit, with why and what to do, for its reader:
 * a family reads it in the request's language (the catalog), the visiting room in French, with where to
 * look for a suspension or a withdrawal (the permit's page); null when all permits allow the visit.
 */
export function permitsRefusal(
  permits: PermitInUse[],
  place: VisitPlace,
  viewer: Viewer,
): { code: PermitRefusalCode; message: string } | null {
  for (const p of permits) {
    const refusal = permitRefusal(p, place);
    if (!refusal) continue;
    if (viewer !== 'STAFF') return { code: refusal.code, message: familyPermitRefusal(p, place, refusal.code, currentLanguage()) };
    if (refusal.code !== 'PERMIT_SUSPENDED') return refusal;
    return {
      code: refusal.code,
      message:
        p.status === 'WITHDRAWN'
          ? 'Un des permis est retiré : son titulaire ne peut plus venir. La décision est sur la fiche du permis.'
          : 'Un des permis est suspendu : son titulaire ne peut pas venir pendant la suspension. La mesure et sa durée sont sur la fiche du permis.',
    };
  }
  return null;
}

/** What permitRefusal says (permits/permit-validity.ts), as a family reads it, in its language. */
function familyPermitRefusal(p: PermitInUse, v: VisitPlace, code: PermitRefusalCode, language: Language): string {
  const t = trIn(language);
  switch (code) {
    case 'PERMIT_SUSPENDED':
      return t(p.status === 'WITHDRAWN' ? 'visits:permitRefusals.withdrawn' : 'visits:permitRefusals.suspended');
    case 'PERMIT_ON_HOLD':
      return t('visits:permitRefusals.onHold');
    case 'PERMIT_NOT_YET_VALID':
      return t('visits:permitRefusals.notYetValid', { date: numericDay(p.validFrom, language) });
    case 'PERMIT_EXPIRED':
      return t('visits:permitRefusals.expired', { date: p.validTo ? numericDay(p.validTo, language) : '' });
    case 'PERMIT_USED_UP':
      return t(`visits:permitRefusals.usedUp${plural(p.maxVisits ?? 0)}`, { count: p.maxVisits });
    case 'PERMIT_CONDITIONS': {
      if (p.roomCondition && v.roomKind !== p.roomCondition) {
        // Mid-sentence, after a colon: « … un parloir particulier : parloir avec dispositif de séparation. »
        const room = t(`permits:rooms.${p.roomCondition}`);
        return t('visits:permitRefusals.room', { room: room.charAt(0).toLocaleLowerCase(language) + room.slice(1) });
      }
      if (p.allowedDays?.length && !p.allowedDays.includes(v.isoDay)) return t('visits:permitRefusals.day');
      // « 09 h 00 » in French, 09:00 elsewhere.
      const clock = (time: string | null) => t('permits:time', { hours: (time ?? '').slice(0, 2), minutes: (time ?? '').slice(3, 5) });
      return t('visits:permitRefusals.hours', { from: clock(p.allowedFrom), to: clock(p.allowedTo) });
    }
  }
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
  if (isoDayOfWeek(day) !== t.dayOfWeek) return { code: 'WRONG_DAY', message: tr('visits:refusals.WRONG_DAY') };
  if (day < t.validFrom || (t.validTo && day > t.validTo)) return { code: 'NOT_VALID', message: tr('visits:refusals.NOT_VALID') };
  const holiday = settings.openOnHolidays ? null : publicHoliday(day, zone);
  if (holiday) return { code: 'HOLIDAY', message: tr('visits:refusals.HOLIDAY', { holiday }) };
  const closure = closures.find(
    (c) => c.day === day && (c.roomId === null || c.roomId === t.roomId) && (c.templateId === null || c.templateId === t.id),
  );
  if (closure) return { code: 'CLOSED', message: tr('visits:refusals.CLOSED', { reason: closure.reason }) };
  return null;
}

export type WindowError = { code: 'TOO_SOON' | 'TOO_FAR' | 'PAST'; message: string };

/** Booking window: at least `minNoticeHours` ahead, at most `horizonDays` ahead. */
export function checkWindow(startsAt: Date, now: Date, s: VisitSettings): WindowError | null {
  const ms = startsAt.getTime() - now.getTime();
  if (ms <= 0) return { code: 'PAST', message: tr('visits:refusals.PAST') };
  if (ms < s.minNoticeHours * 3600_000) return { code: 'TOO_SOON', message: tr('visits:refusals.TOO_SOON', { hours: s.minNoticeHours }) };
  if (ms > s.horizonDays * 86400_000) return { code: 'TOO_FAR', message: tr('visits:refusals.TOO_FAR', { days: s.horizonDays }) };
  return null;
}

/** A family may cancel or move a visit until `cancelDeadlineHours` before it. */
export function canCancel(startsAt: Date, now: Date, s: VisitSettings): boolean {
  return startsAt.getTime() - now.getTime() >= s.cancelDeadlineHours * 3600_000;
}

/** The local week (Monday 00:00 to next Monday 00:00) holding an instant, as instants. */
export function weekOf(instant: Date, timeZone: string): { from: Date; to: Date } {
  const day = zonedFormat(instant, timeZone, 'yyyy-MM-dd');
  const monday = addDays(new Date(`${day}T12:00:00Z`), 1 - isoDayOfWeek(day))
    .toISOString()
    .slice(0, 10);
  const nextMonday = addDays(new Date(`${monday}T12:00:00Z`), 7)
    .toISOString()
    .slice(0, 10);
  return { from: zonedInstant(`${monday} 00:00`, timeZone), to: zonedInstant(`${nextMonday} 00:00`, timeZone) };
}

/** MIXTE: prévenu in one case and condamné in another. */
export type LegalStatus = 'PREVENU' | 'CONDAMNE' | 'MIXTE';

/** Visits a week: a detainee still prévenu in any case (MIXTE) keeps the prévenu's entitlement. */
export function weeklyEntitlement(legalStatus: LegalStatus, s: VisitSettings): number {
  return legalStatus === 'CONDAMNE' ? s.weeklyCondamne : s.weeklyPrevenu;
}

export type VisitorsError = {
  code: 'NO_VISITOR' | 'TOO_MANY_ADULTS' | 'TOO_MANY_CHILDREN' | 'MINOR_ALONE' | 'MINOR_CONSENT';
  message: string;
};

/** A visitor as the rules of who comes see them. */
export interface ComingVisitor {
  /** YYYY-MM-DD */
  birthdate: string;
  /** The parental-authority holders' written consent to visit without an adult, recorded on the permit by the greffe. */
  unaccompaniedConsent: boolean;
}

/** Full years on a local day (a birthday on the day counts; born on 29 February: a year older on 1 March in other years). */
export function ageOn(birthdate: string, day: string): number {
  return differenceInYears(new Date(`${day}T00:00:00Z`), new Date(`${birthdate}T00:00:00Z`));
}

/**
 * Who comes to an ordinary parloir: at least one visitor, within the limits; a minor (under 18 on the
 * visit's day) comes with an adult who holds a permit, or, from 16, alone with the parental-authority
 * holders' written consent recorded on the permit (circulaire of 20 February 2012); under 16, never
 * without an adult.
 */
export function checkVisitors(visitors: ComingVisitor[], visitDay: string, s: VisitSettings): VisitorsError | null {
  if (visitors.length === 0) return { code: 'NO_VISITOR', message: tr('visits:refusals.NO_VISITOR') };
  const minors = visitors.filter((v) => ageOn(v.birthdate, visitDay) < MAJORITY_AGE);
  const adults = visitors.length - minors.length;
  if (adults > s.maxAdults)
    return { code: 'TOO_MANY_ADULTS', message: tr(`visits:refusals.TOO_MANY_ADULTS${plural(s.maxAdults)}`, { count: s.maxAdults }) };
  if (minors.length > s.maxChildren)
    return {
      code: 'TOO_MANY_CHILDREN',
      message: tr(`visits:refusals.TOO_MANY_CHILDREN${plural(s.maxChildren)}`, { count: s.maxChildren }),
    };
  if (minors.length > 0 && adults === 0) {
    if (minors.some((v) => ageOn(v.birthdate, visitDay) < UNACCOMPANIED_AGE))
      return { code: 'MINOR_ALONE', message: tr('visits:refusals.MINOR_ALONE') };
    if (minors.some((v) => !v.unaccompaniedConsent)) return { code: 'MINOR_CONSENT', message: tr('visits:refusals.MINOR_CONSENT') };
  }
  return null;
}

/**
 * What the visiting-room agent reads at the door about a minor visitor (age on the visit's day): may come
 * without an adult (16 or more, consent recorded on the permit), or must come with an adult who holds a
 * permit. Null for an adult or an unknown birth date.
 */
export function minorAtDoor(birthdate: string | null, day: string, unaccompaniedConsent: boolean): string | null {
  if (!birthdate) return null;
  const age = ageOn(birthdate, day);
  if (age >= MAJORITY_AGE) return null;
  if (age >= UNACCOMPANIED_AGE && unaccompaniedConsent)
    return `Mineur de ${age} ans : peut venir sans adulte (autorisation écrite des titulaires de l’autorité parentale enregistrée sur le permis).`;
  return `Mineur de ${age} ans : vient accompagné d’un adulte titulaire d’un permis de visite.`;
}

/** The suffix of a message key whose French text says a number with its noun: « One » up to 1, « Many » from 2 on (as `counted`). */
function plural(n: number): 'One' | 'Many' {
  return n > 1 ? 'Many' : 'One';
}

/** A number with its noun, plural from 2 on as French writes it: "0 enfant", "1 visite", "3 visites". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n > 1 ? 's' : ''}`;
}

// ---------- What a slot says before it is chosen (the same rules as the booking command) ----------

/** The places left of a slot, written out: « Complet », « 1 place libre », « 10 places libres ». */
export function placesText(free: number): string {
  if (free <= 0) return tr('visits:slots.full');
  return tr(`visits:slots.places${plural(free)}`, { count: free });
}

export const STAFF_ONLY_MESSAGE = 'Dans cet établissement, les visites se réservent auprès du parloir, par téléphone ou sur place.';

export const FULL_MESSAGE = 'Ce créneau est complet. Choisissez un autre créneau ou inscrivez-vous sur la liste d’attente.';

/** No place left (booked and held places count as taken). */
export function placesRefusal(free: number): { code: 'FULL'; message: string } | null {
  return free <= 0 ? { code: 'FULL', message: tr('visits:refusals.FULL') } : null;
}

/** A permit as a booking checks it: its limits and conditions, its holder's birth date and the consent to come without an adult. */
export interface VisitorPermit extends PermitInUse, ComingVisitor {}

/**
 * Whether these visitors may come to this visit: every permit allows it (status, limits on the day,
 * conditions of place and time: R341-1), then the visitors are within the limits on the visit's day
 * (a minor's age is counted on that day).
 */
export function visitorsRefusal(
  permits: VisitorPermit[],
  place: VisitPlace,
  s: VisitSettings,
  viewer: Viewer,
): { code: PermitRefusalCode | VisitorsError['code']; message: string } | null {
  return permitsRefusal(permits, place, viewer) ?? checkVisitors(permits, place.day, s);
}

/** A visit of the detainee that counts for the week (not cancelled), as the booking and the slot grid read it. */
export interface DetaineeVisit {
  startsAt: Date;
  endsAt: Date;
  familyAccountId: string | null;
  status: VisitStatus;
}

/**
 * Whether a visit uses the detainee's week: a visit that did not take place because of the visitor
 * (no-show, refused at the door) does not (DOMAIN.md, L341-2/3 floors); cancelled ones never do.
 */
export function usesWeek(status: VisitStatus): boolean {
  return status !== 'CANCELLED' && status !== 'NO_SHOW' && status !== 'REFUSED';
}

/** Who reads a refusal: a family sees the date of its own visits only, the visiting room every date. */
export type Viewer = { familyId: string } | 'STAFF';

export type WeekRefusal = { code: 'ENTITLEMENT_USED' | 'DETAINEE_BUSY'; message: string };

/**
 * The detainee's week for a visit from `startsAt` to `endsAt`: the weekly entitlement used up by the
 * visits of that local week (`visits`: the detainee's counted visits, the one being moved left out;
 * those of other weeks are ignored), or another visit at the same time. Says which visit used the
 * week when the viewer may know it.
 */
export function weekRefusal(
  visits: DetaineeVisit[],
  slot: { startsAt: Date; endsAt: Date },
  entitlement: number,
  timeZone: string,
  viewer: Viewer,
): WeekRefusal | null {
  const week = weekOf(slot.startsAt, timeZone);
  const inWeek = visits
    .filter((v) => usesWeek(v.status) && v.startsAt >= week.from && v.startsAt < week.to)
    .sort((a, b) => +a.startsAt - +b.startsAt);
  if (inWeek.length >= entitlement) {
    const shown = inWeek.filter((v) => viewer === 'STAFF' || v.familyAccountId === viewer.familyId);
    if (shown.length === 0) return { code: 'ENTITLEMENT_USED', message: tr('visits:refusals.ENTITLEMENT_USED') };
    if (viewer === 'STAFF')
      return {
        code: 'ENTITLEMENT_USED',
        message:
          `Visite déjà réservée cette semaine-là : ${shown.map((v) => whenLabel(v.startsAt, timeZone)).join(', ')}. ` +
          `La personne détenue a droit à ${counted(entitlement, 'visite')} par semaine.`,
      };
    const language = currentLanguage();
    return {
      code: 'ENTITLEMENT_USED',
      message: tr(`visits:refusals.weekUsed${plural(entitlement)}`, {
        when: listIn(
          shown.map((v) => whenLabel(v.startsAt, timeZone, language)),
          language,
        ),
        count: entitlement,
      }),
    };
  }
  if (visits.some((v) => v.status !== 'CANCELLED' && v.startsAt < slot.endsAt && slot.startsAt < v.endsAt))
    return { code: 'DETAINEE_BUSY', message: tr('visits:refusals.DETAINEE_BUSY') };
  return null;
}

/** SAME_SLOT: on a move page, the visit's current slot. */
export type SlotRefusalCode =
  ClosedReason['code'] | PermitRefusalCode | VisitorsError['code'] | WeekRefusal['code'] | 'FULL' | 'NO_DETAINEE' | 'SAME_SLOT';

export interface SlotRefusal {
  code: SlotRefusalCode;
  message: string;
}

/** Everything a slot's refusal depends on, for one request (a detainee and the visitors who come). */
export interface SlotRequest {
  /** The day is closed (holiday, closure), or null. */
  closed: ClosedReason | null;
  permits: VisitorPermit[];
  place: VisitPlace;
  settings: VisitSettings;
  startsAt: Date;
  endsAt: Date;
  /** The detainee's counted visits around that week; null when the detainee is no longer held there. */
  visits: DetaineeVisit[] | null;
  entitlement: number;
  timeZone: string;
  viewer: Viewer;
  /** Places left. */
  free: number;
}

/**
 * Why this request cannot take this slot (plain French), or null when it can: the booking command's
 * checks, in its order (slot open, detainee held, permits and visitors, the detainee's week, a place
 * left). The command asks the same functions under its locks; this one lets the pages say it first.
 */
export function slotRefusal(r: SlotRequest): SlotRefusal | null {
  if (r.closed) return r.closed;
  if (r.visits === null) return { code: 'NO_DETAINEE', message: tr('visits:refusals.NO_DETAINEE') };
  return (
    visitorsRefusal(r.permits, r.place, r.settings, r.viewer) ??
    weekRefusal(r.visits, r, r.entitlement, r.timeZone, r.viewer) ??
    placesRefusal(r.free)
  );
}

const DAY_LABELS = new Map<Language, Intl.DateTimeFormat>();

/** A local day as a heading: « mardi 24 novembre », in the request's language (« Tuesday 24 November »). */
export function dayLabel(day: string, language: Language = currentLanguage()): string {
  let f = DAY_LABELS.get(language);
  if (!f)
    DAY_LABELS.set(
      language,
      (f = new Intl.DateTimeFormat(intlLocale(language), { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' })),
    );
  return f.format(new Date(`${day}T12:00:00Z`));
}

/** The slots of one local day, for a calendar-like list. */
export interface SlotDay<T> {
  day: string;
  /** « mardi 24 novembre » */
  label: string;
  slots: T[];
  /** When no slot of the day can be taken for one and the same reason: that reason (the day is shown once, with it). */
  unavailable: string | null;
}

/**
 * Slots (in time order) grouped by local day; a day whose slots all share one refusal (and no waiting
 * list, and none the visiting room may take over the weekly cap) says it once.
 */
export function slotsByDay<T extends { day: string; refusal: { message: string } | null; waitlist: boolean; overCap?: boolean }>(
  slots: T[],
): SlotDay<T>[] {
  const days: SlotDay<T>[] = [];
  for (const s of slots) {
    let d = days.at(-1);
    if (d?.day !== s.day) days.push((d = { day: s.day, label: dayLabel(s.day), slots: [], unavailable: null }));
    d.slots.push(s);
  }
  for (const d of days) {
    const reasons = new Set(d.slots.map((s) => (s.refusal && !s.waitlist && !s.overCap ? s.refusal.message : null)));
    const [only] = reasons;
    if (reasons.size === 1 && only) d.unavailable = only;
  }
  return days;
}

/**
 * Whether a name typed in a search box names this person: each word typed begins a word of the name,
 * in any order, case, accents and marks aside in any script (« lukasz wis » finds Łukasz Wiśniewski,
 * « nguyen » Nguyễn, « شكري » شُكري).
 */
export function nameMatches(typed: string, name: string): boolean {
  const words = comparableName(typed).split(' ').filter(Boolean);
  if (words.length === 0) return false;
  const parts = comparableName(name).split(' ');
  return words.every((w) => parts.some((p) => p.startsWith(w)));
}
