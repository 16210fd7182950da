import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';

/**
 * date-fns-tz's conversions, remembered. Each one asks Intl for the zone's offset (formatToParts),
 * some 30 µs: a booking page converts each of its hundreds of slots several times, and the national
 * benchmark found it the largest cost of that page (docs/benchmarks.md). A zone's rules do not change
 * while the process runs, so the same question always has the same answer; each table is emptied
 * when it reaches LIMIT entries (a few MB at most).
 */
const LIMIT = 50_000;
const instants = new Map<string, number>();
const texts = new Map<string, string>();

/** The instant of a local date-time (`YYYY-MM-DD HH:mm`) on a zone's clock (date-fns-tz fromZonedTime). */
export function zonedInstant(local: string, timeZone: string): Date {
  const key = `${timeZone}|${local}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    if (instants.size >= LIMIT) instants.clear();
    ms = fromZonedTime(local, timeZone).getTime();
    instants.set(key, ms);
  }
  return new Date(ms);
}

/** An instant written on a zone's clock with a date-fns pattern (date-fns-tz formatInTimeZone). */
export function zonedFormat(instant: Date, timeZone: string, pattern: string): string {
  const key = `${timeZone}|${pattern}|${instant.getTime()}`;
  let text = texts.get(key);
  if (text === undefined) {
    if (texts.size >= LIMIT) texts.clear();
    text = formatInTimeZone(instant, timeZone, pattern);
    texts.set(key, text);
  }
  return text;
}

/** How many answers are kept (tests). */
export function zonedCacheSize(): number {
  return instants.size + texts.size;
}
