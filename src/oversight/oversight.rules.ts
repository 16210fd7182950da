import { addMonths, monthsBetween } from '../common/months';

export { DIRECTIONS, isDirection, parseGrant, scopeLabel, visibleDirections } from '../auth/roles';
export type { Direction, OversightGrant } from '../auth/roles';

/**
 * The rules of the DAP's national view (issue #15): scopes, periods, the figures derived from the
 * monthly sums, and the staff time the tablet saves against paper. Pure functions.
 */

/** The longest period shown and the period shown by default (the last 12 months, this one included). */
export const MAX_MONTHS = 36;
export const DEFAULT_MONTHS = 12;

export type MonthPeriod =
  { ok: true; from: string; to: string } | { ok: false; field: 'du' | 'au'; message: string; from: string; to: string };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month typed as AAAA-MM or MM/AAAA, or null. */
export function parseMonth(raw: string): string | null {
  const iso = MONTH.exec(raw);
  if (iso) return raw;
  const fr = /^(0?[1-9]|1[0-2])\/(\d{4})$/.exec(raw);
  return fr ? `${fr[2]}-${fr[1].padStart(2, '0')}` : null;
}

/** The period asked (`du`, `au`: months, both included); empty fields take the default; never past this month. */
export function parseMonthPeriod(du: unknown, au: unknown, thisMonth: string): MonthPeriod {
  const rawFrom = typeof du === 'string' ? du.trim() : '';
  const rawTo = typeof au === 'string' ? au.trim() : '';
  const to = rawTo === '' ? thisMonth : parseMonth(rawTo);
  const from = rawFrom === '' ? addMonths(to ?? thisMonth, -(DEFAULT_MONTHS - 1)) : parseMonth(rawFrom);
  const bad = (field: 'du' | 'au', message: string): MonthPeriod => ({ ok: false, field, message, from: rawFrom, to: rawTo });
  if (!from) return bad('du', 'Du : un mois valide, par exemple 2026-01 (année-mois)');
  if (!to) return bad('au', 'Au : un mois valide, par exemple 2026-12 (année-mois)');
  if (to > thisMonth) return bad('au', `Au : le mois en cours (${thisMonth}) au plus tard, les chiffres à venir n’existent pas encore`);
  if (to < from) return bad('au', 'Au : un mois égal ou postérieur au premier mois');
  if (monthsBetween(from, to).length > MAX_MONTHS) return bad('au', `Au : la période couvre au plus ${MAX_MONTHS} mois`);
  return { ok: true, from, to };
}

/**
 * The months the background job recomputes: the current one and the two before it (late arrivals,
 * corrections of a check, decisions on requests of last month); every month of the longest period
 * when nothing was computed yet.
 */
export function refreshFrom(thisMonth: string, computedBefore: boolean): string {
  return addMonths(thisMonth, computedBefore ? -2 : -(MAX_MONTHS - 1));
}

/** The sums stored per establishment and month (table establishment_month_stats). */
export interface MonthSums {
  requestsReceived: number;
  granted: number;
  refused: number;
  implicitlyRejected: number;
  decisionDaysSum: number;
  decisionDaysCount: number;
  visitsBooked: number;
  visitsOnline: number;
  visitsHeld: number;
  visitsNoShow: number;
  visitsRefused: number;
  visitsCancelled: number;
  checkSecondsSum: number;
  checkCount: number;
  checkDays: number;
  /** Detainees present when the month was last computed. */
  detainees: number;
}

export const SUM_KEYS: (keyof MonthSums)[] = [
  'requestsReceived',
  'granted',
  'refused',
  'implicitlyRejected',
  'decisionDaysSum',
  'decisionDaysCount',
  'visitsBooked',
  'visitsOnline',
  'visitsHeld',
  'visitsNoShow',
  'visitsRefused',
  'visitsCancelled',
  'checkSecondsSum',
  'checkCount',
  'checkDays',
  'detainees',
];

export function emptySums(): MonthSums {
  return Object.fromEntries(SUM_KEYS.map((k) => [k, 0])) as unknown as MonthSums;
}

/**
 * Rows added up. The detainee count is a stock, not a flow: over several months it is the latest
 * month's; over several establishments, their total (`across`).
 */
export function addSums(rows: MonthSums[], across: 'months' | 'establishments'): MonthSums {
  const total = emptySums();
  rows.forEach((r, i) => {
    for (const k of SUM_KEYS) {
      if (k === 'detainees' && across === 'months') total.detainees = i === rows.length - 1 ? r.detainees : total.detainees;
      else total[k] += r[k];
    }
  });
  return total;
}

/**
 * Paper check time saved (seeds/permis2visites-investigation.md): more than 1 h 30 a day pulling and
 * filing paper permits at a 1,000-detainee establishment. Counted for each day the tablet checked
 * visitors, in proportion to the establishment's population.
 */
export const PAPER_HOURS_PER_DAY_PER_1000 = 1.5;

export function paperHoursSaved(checkDays: number, detainees: number): number {
  return hoursSavedOver(checkDays * detainees);
}

/** The same over several months or establishments, from Σ (days checked × population) of each month and establishment. */
export function hoursSavedOver(checkDayDetainees: number): number {
  return (checkDayDetainees * PAPER_HOURS_PER_DAY_PER_1000) / 1000;
}

/** The figures shown, derived from sums: rates in %, delays in days, check times in seconds; null when there is nothing to divide. */
export interface Figures {
  requestsReceived: number;
  decisions: number;
  grantRate: number | null;
  refusalRate: number | null;
  implicitRejectionRate: number | null;
  meanDecisionDays: number | null;
  visitsBooked: number;
  onlineRate: number | null;
  noShowRate: number | null;
  meanCheckSeconds: number | null;
  hoursSaved: number;
  detainees: number;
}

const rate = (n: number, d: number) => (d > 0 ? (100 * n) / d : null);

/** `hoursSaved` is passed in: over several establishments it is the sum of each one's, not computed from the totals. */
export function figuresOf(s: MonthSums, hoursSaved: number): Figures {
  const decisions = s.granted + s.refused + s.implicitlyRejected;
  const attended = s.visitsHeld + s.visitsNoShow + s.visitsRefused;
  return {
    requestsReceived: s.requestsReceived,
    decisions,
    grantRate: rate(s.granted, decisions),
    refusalRate: rate(s.refused, decisions),
    implicitRejectionRate: rate(s.implicitlyRejected, decisions),
    meanDecisionDays: s.decisionDaysCount > 0 ? s.decisionDaysSum / s.decisionDaysCount : null,
    visitsBooked: s.visitsBooked,
    onlineRate: rate(s.visitsOnline, s.visitsBooked),
    noShowRate: rate(s.visitsNoShow, attended),
    meanCheckSeconds: s.checkCount > 0 ? s.checkSecondsSum / s.checkCount : null,
    hoursSaved,
    detainees: s.detainees,
  };
}

/** The orders the establishments' table can be read in (worst first, for the rates and delays). */
export const SORTS = {
  nom: 'Nom de l’établissement',
  rejets: 'Taux de rejet implicite (le plus haut d’abord)',
  delai: 'Délai moyen de décision (le plus long d’abord)',
  absences: 'Taux d’absence aux visites (le plus haut d’abord)',
  visites: 'Visites réservées (le plus grand nombre d’abord)',
} as const;
export type Sort = keyof typeof SORTS;

export function parseSort(raw: unknown): Sort {
  return typeof raw === 'string' && Object.prototype.hasOwnProperty.call(SORTS, raw) ? (raw as Sort) : 'nom';
}

/** Orders establishments' figures; unknown values (null) last, then by name. */
export function sortRows<T extends { name: string; figures: Figures }>(rows: T[], sort: Sort): T[] {
  const key: Record<Exclude<Sort, 'nom'>, (f: Figures) => number | null> = {
    rejets: (f) => f.implicitRejectionRate,
    delai: (f) => f.meanDecisionDays,
    absences: (f) => f.noShowRate,
    visites: (f) => f.visitsBooked,
  };
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, 'fr');
  if (sort === 'nom') return [...rows].sort(byName);
  const k = key[sort];
  return [...rows].sort((a, b) => {
    const x = k(a.figures);
    const y = k(b.figures);
    if (x === y) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  });
}

const count = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A check time: « 1 min 05 s », « 42 s ». */
export function durationFr(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The figures as the page shows them (French number formats; « — » where there is nothing to divide). */
export function displayFigures(f: Figures): Record<keyof Figures, string> {
  const pct = (v: number | null) => (v === null ? '—' : `${oneDecimal.format(v)} %`);
  return {
    requestsReceived: count.format(f.requestsReceived),
    decisions: count.format(f.decisions),
    grantRate: pct(f.grantRate),
    refusalRate: pct(f.refusalRate),
    implicitRejectionRate: pct(f.implicitRejectionRate),
    meanDecisionDays: f.meanDecisionDays === null ? '—' : `${oneDecimal.format(f.meanDecisionDays)} j`,
    visitsBooked: count.format(f.visitsBooked),
    onlineRate: pct(f.onlineRate),
    noShowRate: pct(f.noShowRate),
    meanCheckSeconds: f.meanCheckSeconds === null ? '—' : durationFr(f.meanCheckSeconds),
    hoursSaved: `${count.format(f.hoursSaved)} h`,
    detainees: count.format(f.detainees),
  };
}

/** The CSV columns after the row's own label(s), and each row's values (decimal comma, empty where nothing to divide). */
export const CSV_FIGURES: [keyof Figures, string][] = [
  ['detainees', 'Personnes détenues'],
  ['requestsReceived', 'Demandes de permis reçues'],
  ['decisions', 'Décisions'],
  ['grantRate', 'Taux d’accord (%)'],
  ['refusalRate', 'Taux de refus (%)'],
  ['implicitRejectionRate', 'Taux de rejet implicite (%)'],
  ['meanDecisionDays', 'Délai moyen de décision (jours)'],
  ['visitsBooked', 'Visites réservées'],
  ['onlineRate', 'Réservées en ligne (%)'],
  ['noShowRate', 'Taux d’absence (%)'],
  ['meanCheckSeconds', 'Durée moyenne de contrôle (s)'],
  ['hoursSaved', 'Heures d’agent gagnées sur le papier'],
];

export function csvFigures(f: Figures): string[] {
  return CSV_FIGURES.map(([k]) => {
    const v = f[k];
    if (v === null) return '';
    return Number.isInteger(v) ? String(v) : oneDecimal.format(v).replace(/\s/g, '');
  });
}
