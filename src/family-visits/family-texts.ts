import { formatInTimeZone } from 'date-fns-tz';
import { whenLabel } from '../appointments/appointment.rules';
import { currentLanguage, intlLocale, type Language, perLanguage } from '../common/i18n';
import { trIn } from '../common/translate';
import type { FamilyVisitKind } from './family-unit.entity';
import type { ConsentCapacity } from './family-visit-document.entity';
import type { FamilyVisitRequestStatus } from './family-visit-request.entity';
import type { StayStatus } from './family-visit-stay.entity';

/**
 * The UVF / PF texts built in code for the family side (issue #16), from
 * locales/<language>/familyVisits.json: labels, times, in the language of the request being handled
 * (French on staff pages and outside a request). French reads as before: the French catalog holds the
 * same words as the code did.
 */

const PARIS = 'Europe/Paris';

function labels<K extends string>(keys: readonly K[], prefix: string, language: Language): Record<K, string> {
  const t = trIn(language);
  return Object.fromEntries(keys.map((k) => [k, t(`${prefix}.${k}`)])) as Record<K, string>;
}

const KINDS: readonly FamilyVisitKind[] = ['UVF', 'PF'];
const REQUEST_STATUSES: readonly FamilyVisitRequestStatus[] = [
  'RECEIVED',
  'GRANTED',
  'REFUSED',
  'IMPLICITLY_REJECTED',
  'REFERRED',
  'WITHDRAWN',
];
const CAPACITIES: readonly ConsentCapacity[] = ['BOTH_PARENTS', 'SOLE_HOLDER', 'DELEGATE', 'GUARDIAN'];
const STAY_STATUSES: readonly StayStatus[] = ['BOOKED', 'IN_PROGRESS', 'ENDED', 'ENDED_EARLY', 'CANCELLED'];

/** The labels the family's UVF / PF pages show, in the request's language (built once per language, shared and frozen). */
export const familyVisitLabels = perLanguage((language) => ({
  kindLabels: labels(KINDS, 'familyVisits:kinds', language),
  statusLabels: labels(REQUEST_STATUSES, 'familyVisits:statuses', language),
  capacityLabels: labels(CAPACITIES, 'familyVisits:capacities', language),
}));

/** A stay's kind (« Parloir familial (PF) ») and status (« Prévu ») on the family's stay page (built once per language). */
export const familyStayLabels = perLanguage((language) => ({
  kinds: labels(KINDS, 'familyVisits:stay.kinds', language),
  statuses: labels(STAY_STATUSES, 'familyVisits:stay.statuses', language),
}));

/** A stay's status on the request's page (« Réservé »). */
export function stayStatusLabel(status: StayStatus, language: Language = currentLanguage()): string {
  return trIn(language)(`familyVisits:request.stayStatuses.${status}`);
}

/** A time of day HH:MM as `language` writes it: « 08 h 00 » in French, 08:00 elsewhere. */
export function clockIn(time: string, language: Language = currentLanguage()): string {
  return trIn(language)('familyVisits:time', { hours: time.slice(0, 2), minutes: time.slice(3, 5) });
}

/** An instant's time on the establishment's clock, as `language` writes it (« 09 h 00 »). */
export function hourIn(d: Date, timeZone: string, language: Language = currentLanguage()): string {
  return clockIn(formatInTimeZone(d, timeZone, 'HH:mm'), language);
}

/** Which clock a time is on: « heure de Paris », or the establishment's local time overseas. */
export function zoneNoteIn(timeZone: string, language: Language = currentLanguage()): string {
  return trIn(language)(timeZone === PARIS ? 'familyVisits:zone.paris' : 'familyVisits:zone.local');
}

const longDays = new Map<string, Intl.DateTimeFormat>();
const days = new Map<string, Intl.DateTimeFormat>();

function formatOf(cache: Map<string, Intl.DateTimeFormat>, language: Language, timeZone: string, weekday: boolean) {
  const key = `${language} ${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(language), {
      timeZone,
      ...(weekday ? { weekday: 'long' } : {}),
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    cache.set(key, f);
  }
  return f;
}

/** « mardi 24 novembre 2026 à 14 h 30 » on the establishment's clock, in `language` (whenLabel in French). */
export function whenIn(d: Date, timeZone: string, language: Language = currentLanguage()): string {
  if (language === 'fr') return whenLabel(d, timeZone);
  return trIn(language)('familyVisits:when', {
    date: formatOf(longDays, language, timeZone, true).format(d),
    time: hourIn(d, timeZone, language),
  });
}

/** « 24 novembre 2026 à 14 h 30 » on the establishment's clock, in `language` (the history's times). */
export function dayTimeIn(d: Date, timeZone: string, language: Language = currentLanguage()): string {
  return trIn(language)('familyVisits:when', {
    date: formatOf(days, language, timeZone, false).format(d),
    time: hourIn(d, timeZone, language),
  });
}

/** « 24 novembre 2026 » of an instant on the establishment's clock, in `language`. */
export function dayIn(d: Date, timeZone: string, language: Language = currentLanguage()): string {
  return formatOf(days, language, timeZone, false).format(d);
}
