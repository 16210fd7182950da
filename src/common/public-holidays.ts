import Holidays from 'date-holidays';

/**
 * French public holidays per holiday zone, from the maintained `date-holidays` data (no table written here).
 * Days are calendar days 'YYYY-MM-DD': the library's `date` string is the holiday's day in the zone itself,
 * so the result does not depend on the process's time zone (no Date is read here). The holiday data is
 * the date-holidays project's (commenthol and contributors, CC-BY-3.0), its code ISC.
 *
 * The zones: the national list (metropolitan France); Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle: Good
 * Friday and 26 December too, Code du travail L3134-13); the five overseas departments, each with its day
 * of the abolition of slavery (loi n° 83-550 of 30 June 1983 and its decrees) and, in Guadeloupe and
 * Martinique, Good Friday as the library lists it. Overseas collectivities (New Caledonia, French Polynesia,
 * Saint-Pierre-et-Miquelon…) are not zones yet: their establishments get the national list.
 */
export const HOLIDAY_ZONES = {
  METROPOLE: { library: ['FR'], list: 'liste nationale (métropole)' },
  ALSACE_MOSELLE: { library: ['FR', '57'], list: 'liste d’Alsace-Moselle' },
  GUADELOUPE: { library: ['FR', 'GP'], list: 'liste de la Guadeloupe' },
  MARTINIQUE: { library: ['FR', 'MQ'], list: 'liste de la Martinique' },
  GUYANE: { library: ['FR', 'GF'], list: 'liste de la Guyane' },
  LA_REUNION: { library: ['FR', 'RE'], list: 'liste de La Réunion' },
  MAYOTTE: { library: ['FR', 'YT'], list: 'liste de Mayotte' },
} as const satisfies Record<string, { library: readonly [string] | readonly [string, string]; list: string }>;

export type HolidayZone = keyof typeof HOLIDAY_ZONES;

interface ZoneHoliday {
  name: string;
  /** The library's rule: 'MM-DD' for a fixed date, 'easter -2' and the like for a movable one. */
  rule: string;
}

const calendars = new Map<HolidayZone, Holidays>();
const years = new Map<string, ReadonlyMap<string, ZoneHoliday>>();

function calendarOf(zone: HolidayZone): Holidays {
  let calendar = calendars.get(zone);
  if (!calendar) {
    const [country, state] = HOLIDAY_ZONES[zone].library;
    const options = { languages: ['fr'], types: ['public' as const] };
    calendar = state ? new Holidays(country, state, options) : new Holidays(country, options);
    calendars.set(zone, calendar);
  }
  return calendar;
}

/** The zone's public holidays of a year, day 'YYYY-MM-DD' → name and rule, in calendar order. */
function holidaysOf(year: number, zone: HolidayZone): ReadonlyMap<string, ZoneHoliday> {
  const key = `${year}-${zone}`;
  let days = years.get(key);
  if (!days) {
    const map = new Map<string, ZoneHoliday>();
    for (const h of calendarOf(zone).getHolidays(year, 'fr')) {
      // Only days off by law ('public'): not the observances (Pentecost Sunday, Mothers' Day) nor the optional ones.
      if (h.type === 'public' && !map.has(h.date.slice(0, 10))) map.set(h.date.slice(0, 10), { name: h.name, rule: h.rule });
    }
    days = map;
    years.set(key, days);
  }
  return days;
}

/** The public holidays of a year in the zone, day 'YYYY-MM-DD' → French name ("Lundi de Pâques"), in calendar order. */
export function publicHolidays(year: number, zone: HolidayZone): ReadonlyMap<string, string> {
  return new Map([...holidaysOf(year, zone)].map(([day, h]) => [day, h.name]));
}

/** The public holiday's French name on that day in the zone ("Vendredi saint"), or null. */
export function publicHoliday(day: string, zone: HolidayZone): string | null {
  return holidaysOf(Number(day.slice(0, 4)), zone).get(day)?.name ?? null;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/**
 * Which list applies, for a page: « liste nationale (métropole) », or the zone's list with the days it adds to
 * the national one, a movable day by its name and a fixed one by its date: « liste d’Alsace-Moselle (Vendredi
 * saint, 26 décembre) ».
 */
export function holidayListLabel(zone: HolidayZone, year: number): string {
  const national = new Set([...holidaysOf(year, 'METROPOLE').values()].map((h) => h.rule));
  const added = [...holidaysOf(year, zone).values()]
    .filter((h) => !national.has(h.rule))
    .map((h) => {
      const fixed = /^(\d{2})-(\d{2})$/.exec(h.rule);
      return fixed ? `${Number(fixed[2])} ${MONTHS[Number(fixed[1]) - 1]}` : h.name;
    });
  const { list } = HOLIDAY_ZONES[zone];
  return added.length ? `${list} (${added.join(', ')})` : list;
}
