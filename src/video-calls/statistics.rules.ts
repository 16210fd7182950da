import { parseDay } from '../common/dates';
import { monthsBetween } from '../common/months';

export { csvField } from '../common/csv';
export { monthLabel, monthsBetween } from '../common/months';

/**
 * The rules of the video-call statistics (per month, on the establishment's clock). Pure functions.
 */

/** The longest period shown: 36 months. */
export const MAX_MONTHS = 36;

export type PeriodResult =
  { ok: true; from: string; to: string } | { ok: false; field: 'du' | 'au'; message: string; from: string; to: string };

/** The first day of the month of `today`, and `today` (AAAA-MM-JJ): the period shown by default. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/** The period asked (`du`, `au`: AAAA-MM-JJ or JJ/MM/AAAA, both days included); empty fields take the default. */
export function parsePeriod(du: unknown, au: unknown, today: string): PeriodResult {
  const d = defaultPeriod(today);
  const rawFrom = typeof du === 'string' ? du.trim() : '';
  const rawTo = typeof au === 'string' ? au.trim() : '';
  const from = rawFrom === '' ? d.from : parseDay(rawFrom);
  const to = rawTo === '' ? d.to : parseDay(rawTo);
  if (!from) return { ok: false, field: 'du', message: 'Du : une date valide, par exemple 01/09/2026', from: rawFrom, to: rawTo };
  if (!to) return { ok: false, field: 'au', message: 'Au : une date valide, par exemple 30/09/2026', from: rawFrom, to: rawTo };
  if (to < from) return { ok: false, field: 'au', message: 'Au : un jour égal ou postérieur au premier jour', from: rawFrom, to: rawTo };
  if (monthsBetween(from, to).length > MAX_MONTHS)
    return { ok: false, field: 'au', message: `Au : la période couvre au plus ${MAX_MONTHS} mois`, from: rawFrom, to: rawTo };
  return { ok: true, from, to };
}

/** Minutes charged for a call held this many seconds: rounded up to the minute. */
export function chargedMinutes(seconds: number): number {
  return Math.ceil(seconds / 60);
}

/** One month's figures. */
export interface MonthFigures {
  month: string;
  /** Every call booked for a slot in the month, whatever became of it. */
  booked: number;
  held: number;
  cancelled: number;
  noShow: number;
  minutes: number;
  chargedCents: number;
  /** Detainees with at least one call not cancelled in the month. */
  detaineesWithCall: number;
  /** Among them, those whose calls not cancelled in the month reached the quota (`quotaCalls`). */
  detaineesAtQuota: number;
}

/** The months of the period, each with its figures (zero when nothing happened), and the totals (detainees counted once over the period). */
export function monthlyFigures(
  months: string[],
  rows: MonthFigures[],
  totals: { detaineesWithCall: number; detaineesAtQuota: number },
): { months: MonthFigures[]; total: MonthFigures } {
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  const filled = months.map(
    (month) =>
      byMonth.get(month) ?? {
        month,
        booked: 0,
        held: 0,
        cancelled: 0,
        noShow: 0,
        minutes: 0,
        chargedCents: 0,
        detaineesWithCall: 0,
        detaineesAtQuota: 0,
      },
  );
  const sum = (k: 'booked' | 'held' | 'cancelled' | 'noShow' | 'minutes' | 'chargedCents') => filled.reduce((s, r) => s + r[k], 0);
  return {
    months: filled,
    total: {
      month: 'total',
      booked: sum('booked'),
      held: sum('held'),
      cancelled: sum('cancelled'),
      noShow: sum('noShow'),
      minutes: sum('minutes'),
      chargedCents: sum('chargedCents'),
      ...totals,
    },
  };
}
