import { parseDate } from '../common/dates';
import { currentLanguage, intlLocale, type Language } from '../common/i18n';
import { tr } from '../common/translate';
import { zonedFormat } from '../common/zoned-time';
import { isoDayOfWeek, type VisitSettings } from './visit.rules';

/**
 * The booking pages show one week of slots at a time (issue #15: the whole window was some 160 kB of
 * HTML a page). Pure rules: which weeks the booking window covers, on the establishment's clock (weeks
 * run Monday to Sunday, local days), which one a page shows, and how it links to the others.
 */

/** A local week of the booking window. */
export interface BookingWeek {
  /** Its Monday, YYYY-MM-DD: the value of the `semaine` query parameter. */
  monday: string;
  /** Its Sunday, YYYY-MM-DD. */
  sunday: string;
  /** « du lundi 23 au dimanche 29 novembre » */
  label: string;
}

/** A local day `n` days after `day` (YYYY-MM-DD, calendar arithmetic: no time zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of a local day's week (ISO weeks: Monday to Sunday). */
export function mondayOf(day: string): string {
  return addDays(day, 1 - isoDayOfWeek(day));
}

const DAY_OF_MONTH = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric' });
const DAY_MONTH = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
const DAY_MONTH_YEAR = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const noon = (day: string) => new Date(`${day}T12:00:00Z`);

/**
 * A week as French readers say it, the month (and year) written once when the week does not cross it:
 * « du lundi 23 au dimanche 29 novembre », « du lundi 30 novembre au dimanche 6 décembre »,
 * « du lundi 28 décembre 2026 au dimanche 3 janvier 2027 ».
 */
export function weekLabel(monday: string, language: Language = currentLanguage()): string {
  const sunday = addDays(monday, 6);
  if (language !== 'fr') return otherWeekLabel(monday, sunday, language);
  const from =
    monday.slice(0, 4) !== sunday.slice(0, 4)
      ? DAY_MONTH_YEAR.format(noon(monday))
      : monday.slice(0, 7) !== sunday.slice(0, 7)
        ? DAY_MONTH.format(noon(monday))
        : DAY_OF_MONTH.format(noon(monday));
  const to = monday.slice(0, 4) !== sunday.slice(0, 4) ? DAY_MONTH_YEAR.format(noon(sunday)) : DAY_MONTH.format(noon(sunday));
  return `du ${from} au ${to}`;
}

/** A week in another language than French: a range as the language writes it (« Monday 23 – Sunday 29 November »). */
function otherWeekLabel(monday: string, sunday: string, language: Language): string {
  const yearShown = monday.slice(0, 4) !== sunday.slice(0, 4);
  return new Intl.DateTimeFormat(intlLocale(language), {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(yearShown ? { year: 'numeric' } : {}),
  }).formatRange(noon(monday), noon(sunday));
}

function week(monday: string): BookingWeek {
  return { monday, sunday: addDays(monday, 6), label: weekLabel(monday) };
}

/**
 * The weeks of the booking window, on the establishment's clock: from the week of the first instant a
 * visit may be booked for (`minNoticeHours` ahead) to the week of the last (`horizonDays` ahead).
 */
export function bookingWeeks(now: Date, s: Pick<VisitSettings, 'minNoticeHours' | 'horizonDays'>, timeZone: string): BookingWeek[] {
  const first = zonedFormat(new Date(now.getTime() + s.minNoticeHours * 3600_000), timeZone, 'yyyy-MM-dd');
  const last = zonedFormat(new Date(now.getTime() + s.horizonDays * 86400_000), timeZone, 'yyyy-MM-dd');
  const weeks: BookingWeek[] = [];
  for (let monday = mondayOf(first); monday <= last; monday = addDays(monday, 7)) weeks.push(week(monday));
  return weeks;
}

/** The week a query asks for: none asked (null, no problem), one of the window's, or why it cannot be shown (plain French). */
export interface AskedWeek {
  week: BookingWeek | null;
  problem: string | null;
}

/**
 * The week a `semaine` query parameter asks for: any day of it (AAAA-MM-JJ, or JJ/MM/AAAA as typed),
 * among the window's weeks. A value that is not one day, or a week outside the window, says why
 * (the page then shows its first week). `horizonDays`: how far ahead visits are booked, for the message.
 */
export function askedWeek(weeks: BookingWeek[], value: unknown, horizonDays: number): AskedWeek {
  if (value === undefined || value === '') return { week: null, problem: null };
  const day = typeof value === 'string' ? parseDate(value.trim()) : null;
  if (!day) return { week: null, problem: tr('visits:weeks.noSuchWeek') };
  const monday = mondayOf(day);
  const found = weeks.find((w) => w.monday === monday);
  if (found) return { week: found, problem: null };
  if (weeks.length === 0 || monday > weeks[0].monday)
    return {
      week: null,
      problem: tr('visits:weeks.notOpen', { week: weekLabel(monday), days: horizonDays }),
    };
  return { week: null, problem: tr('visits:weeks.past', { week: weekLabel(monday) }) };
}

/** The local day of a slot choice (`<weekly slot id>|<YYYY-MM-DD>`, as the slot radios send it), or null for anything else. */
export function slotDay(value: unknown): string | null {
  const m = typeof value === 'string' ? /\|(\d{4}-\d{2}-\d{2})$/.exec(value) : null;
  return m && parseDate(m[1]) === m[1] ? m[1] : null;
}

/** A slot as the choice of the default week sees it: its local day, and whether the request may take it. */
export interface WeekSlot {
  day: string;
  refusal: unknown;
  /** The visiting room may take it over the weekly cap (with a reason). */
  overCap?: boolean;
}

/**
 * The week a page shows when none is asked: the first week of the window with a slot the request may
 * take (a family whose first week is full lands where it can book), else the window's first week.
 */
export function firstBookableWeek(weeks: BookingWeek[], slots: WeekSlot[]): BookingWeek | null {
  const open = slots.find((s) => !s.refusal || s.overCap);
  return (open && weeks.find((w) => w.monday === mondayOf(open.day))) ?? weeks[0] ?? null;
}

/** Whether a local day is in a week. */
export function inWeek(day: string, w: BookingWeek): boolean {
  return day >= w.monday && day <= w.sunday;
}

/** A link to another week of the window. */
export interface WeekLink {
  href: string;
  label: string;
}

/** The navigation between the window's weeks: the week shown, its rank, the links to the weeks before and after (null at an end). */
export interface WeekNavigation {
  current: BookingWeek;
  /** 1 for the window's first week. */
  position: number;
  count: number;
  previous: WeekLink | null;
  next: WeekLink | null;
}

/** The navigation of a page showing `current`; `href`: the page's address for a week's Monday. */
export function weekNavigation(weeks: BookingWeek[], current: BookingWeek, href: (monday: string) => string): WeekNavigation {
  const i = weeks.findIndex((w) => w.monday === current.monday);
  const link = (w: BookingWeek | undefined): WeekLink | null => (w ? { href: href(w.monday), label: w.label } : null);
  return {
    current,
    position: i + 1,
    count: weeks.length,
    previous: i > 0 ? link(weeks[i - 1]) : null,
    next: i >= 0 ? link(weeks[i + 1]) : null,
  };
}
