import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';

/**
 * The quarterly entitlement of code pénitentiaire L341-8 (issue 11, note DAP 2014): every detainee
 * may have, on request, at least one visit per quarter in a family visit unit (UVF) or a family
 * parlour (PF). One visit in either kind meets it: the article says « une unité de vie familiale ou
 * un parloir familial ».
 *
 * Quarters are civil quarters (Q1 January–March, Q2 April–June, Q3 July–September, Q4
 * October–December) on the establishment's clock: a quarter starts at midnight on its first day in
 * the establishment's time zone, never in UTC. 1 January 00:30 in Paris is Q1 of the new year while
 * UTC still reads 31 December; 31 March 23:30 in Paris is still Q1; 1 April 01:00 in Paris is Q2 while
 * UTC still reads 31 March. Summer time changes nothing: the local day alone decides.
 */

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface Quarter {
  year: number;
  quarter: QuarterNumber;
}

/** The quarter of an instant, on the establishment's clock (its time zone). */
export function quarterOf(at: Date, timeZone: string): Quarter {
  const [year, month] = formatInTimeZone(at, timeZone, 'yyyy-MM').split('-').map(Number);
  return { year, quarter: (Math.floor((month - 1) / 3) + 1) as QuarterNumber };
}

/** The quarter's code in URLs: « 2026-T4 ». */
export function quarterCode(q: Quarter): string {
  return `${q.year}-T${q.quarter}`;
}

/** The quarter in words: « 1er trimestre 2027 », « 2e trimestre 2027 ». */
export function quarterLabel(q: Quarter): string {
  return `${q.quarter === 1 ? '1er' : `${q.quarter}e`} trimestre ${q.year}`;
}

/** A quarter's code (« 2026-T4 », « 2026-t4 » accepted) read back; null if it is not one. */
export function parseQuarterCode(raw: string): Quarter | null {
  const m = /^(\d{4})-T([1-4])$/i.exec(raw.trim());
  if (!m) return null;
  const year = Number(m[1]);
  return year >= 2000 ? { year, quarter: Number(m[2]) as QuarterNumber } : null;
}

/** First day of the quarter, AAAA-MM-JJ. */
export function quarterFirstDay(q: Quarter): string {
  return `${q.year}-${String((q.quarter - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** Last day of the quarter, AAAA-MM-JJ (31 March, 30 June, 30 September, 31 December). */
export function quarterLastDay(q: Quarter): string {
  return `${q.year}-${['03-31', '06-30', '09-30', '12-31'][q.quarter - 1]}`;
}

export function previousQuarter(q: Quarter): Quarter {
  return q.quarter === 1 ? { year: q.year - 1, quarter: 4 } : { year: q.year, quarter: (q.quarter - 1) as QuarterNumber };
}

export function nextQuarter(q: Quarter): Quarter {
  return q.quarter === 4 ? { year: q.year + 1, quarter: 1 } : { year: q.year, quarter: (q.quarter + 1) as QuarterNumber };
}

/** Negative when a is before b, 0 when the same quarter. */
export function compareQuarters(a: Quarter, b: Quarter): number {
  return a.year * 4 + a.quarter - (b.year * 4 + b.quarter);
}

/** The instants a quarter covers, [start, end): midnight on its first day to midnight on the next quarter's, local time. */
export interface QuarterBounds {
  start: Date;
  end: Date;
}

export function quarterBounds(q: Quarter, timeZone: string): QuarterBounds {
  return {
    start: fromZonedTime(`${quarterFirstDay(q)} 00:00`, timeZone),
    end: fromZonedTime(`${quarterFirstDay(nextQuarter(q))} 00:00`, timeZone),
  };
}

/** How far back the dashboard goes: the current quarter and the 7 before it (two years). */
export const SELECTABLE_QUARTERS = 8;

/** The quarters the dashboard offers, the current one first. */
export function selectableQuarters(current: Quarter): Quarter[] {
  const out = [current];
  while (out.length < SELECTABLE_QUARTERS) out.push(previousQuarter(out[out.length - 1]));
  return out;
}

/**
 * The quarter asked for in `?trimestre=` (« 2026-T4 »): none means the current one; a code that is
 * not a quarter, a quarter not begun yet or one older than the dashboard goes falls back to the
 * current quarter with the French message saying why.
 */
export function chosenQuarter(raw: unknown, current: Quarter): { quarter: Quarter; error: string | null } {
  if (raw === undefined || raw === '') return { quarter: current, error: null };
  const asked = typeof raw === 'string' ? parseQuarterCode(raw) : null;
  const fallback = ' Le trimestre en cours est affiché.';
  if (!asked)
    return {
      quarter: current,
      error: `Le trimestre demandé n’est pas reconnu : choisissez-le dans la liste (par exemple ${quarterCode(previousQuarter(current))}).${fallback}`,
    };
  if (compareQuarters(asked, current) > 0)
    return { quarter: current, error: `Le ${quarterLabel(asked)} n’a pas encore commencé.${fallback}` };
  const oldest = selectableQuarters(current)[SELECTABLE_QUARTERS - 1];
  if (compareQuarters(asked, oldest) < 0)
    return {
      quarter: current,
      error: `Le tableau remonte au plus au ${quarterLabel(oldest)} (les ${SELECTABLE_QUARTERS} derniers trimestres).${fallback}`,
    };
  return { quarter: asked, error: null };
}

/** Stays that took place or are booked: an early end still is a visit that took place; a cancelled stay is none. */
export const COUNTED_STAY_STATUSES = ['BOOKED', 'IN_PROGRESS', 'ENDED', 'ENDED_EARLY'] as const;

export function stayCounts(status: string): boolean {
  return (COUNTED_STAY_STATUSES as readonly string[]).includes(status);
}

/** What the entitlement needs of one of the detainee's own requests (applicant DETAINEE), as stored. */
export interface DetaineeRequestFacts {
  caseId: string;
  receivedAt: Date;
  /** The request's status: RECEIVED, GRANTED, REFUSED, IMPLICITLY_REJECTED, REFERRED or WITHDRAWN. */
  status: string;
  /** For a prévenu, the magistrate's answer once it came back: PERMANENT, TEMPORARY or REFUSED. */
  magistrateAnswer: string | null;
  decidedAt: Date | null;
  /** The case's status (INSTRUCTION, CPU, REFERRED, DECIDED, CLOSED) and when it last changed. */
  caseStatus: string;
  caseUpdatedAt: Date;
  /** Start of the case's first stay that is not cancelled, if any. */
  firstStayAt: Date | null;
}

/**
 * Where a request stands, as the reason the entitlement is not met:
 * - INSTRUCTION: received, under the SPIP instruction or awaiting the head's decision;
 * - REFERRED: a prévenu's request sent to the magistrate, no answer yet;
 * - GRANTED_NOT_PLACED: authorised (by the head, or by the magistrate permanently or temporarily),
 *   no stay booked yet;
 * - PLACED_LATER: authorised, its stay is booked or took place after the quarter;
 * - PLACED: authorised, its stay is in the quarter (the entitlement is then met);
 * - REFUSED, MAGISTRATE_REFUSED, IMPLICITLY_REJECTED: answered no (silence 2 months is a rejection);
 * - CLOSED: the case was closed without any stay.
 */
export type RequestState =
  | 'INSTRUCTION'
  | 'REFERRED'
  | 'GRANTED_NOT_PLACED'
  | 'PLACED_LATER'
  | 'PLACED'
  | 'REFUSED'
  | 'MAGISTRATE_REFUSED'
  | 'IMPLICITLY_REJECTED'
  | 'CLOSED';

export const REQUEST_STATE_LABELS: Record<RequestState, string> = {
  INSTRUCTION: 'En instruction',
  REFERRED: 'Transmise au magistrat',
  GRANTED_NOT_PLACED: 'Accordée, non encore placée',
  PLACED_LATER: 'Accordée, séjour placé après ce trimestre',
  PLACED: 'Accordée, séjour dans le trimestre',
  REFUSED: 'Refusée',
  MAGISTRATE_REFUSED: 'Refusée par le magistrat',
  IMPLICITLY_REJECTED: 'Rejet implicite (2 mois sans réponse)',
  CLOSED: 'Dossier clos sans séjour',
};

function answeredNo(r: DetaineeRequestFacts): 'REFUSED' | 'MAGISTRATE_REFUSED' | 'IMPLICITLY_REJECTED' | null {
  // The magistrate's refusal is recorded as REFUSED with magistrate_answer = REFUSED (decisions.service.ts).
  if (r.magistrateAnswer === 'REFUSED' && (r.status === 'REFUSED' || r.status === 'REFERRED')) return 'MAGISTRATE_REFUSED';
  if (r.status === 'REFUSED') return 'REFUSED';
  if (r.status === 'IMPLICITLY_REJECTED') return 'IMPLICITLY_REJECTED';
  return null;
}

function granted(r: DetaineeRequestFacts): boolean {
  return r.status === 'GRANTED' || (r.status === 'REFERRED' && (r.magistrateAnswer === 'PERMANENT' || r.magistrateAnswer === 'TEMPORARY'));
}

/**
 * When a request stopped being open, null while it still is:
 * - answered no: at the decision (decided_at; the receipt when none was recorded);
 * - honoured: when its first stay starts (a booked stay closes it, even before it takes place);
 * - a case closed without a stay: when the case last changed (the closing);
 * - anything else (under instruction, at the magistrate, granted and not placed) is open.
 * entitlement.queries.ts computes the same in SQL (`closedAtSql`) to page the dashboard.
 */
export function requestClosedAt(r: DetaineeRequestFacts): Date | null {
  if (answeredNo(r)) return r.decidedAt ?? r.receivedAt;
  if (r.firstStayAt) return r.firstStayAt;
  if (r.caseStatus === 'CLOSED') return r.caseUpdatedAt;
  return null;
}

/**
 * The detainee asked for the quarter when one of their requests (not withdrawn) was open at some
 * time during it: received before the quarter ended and not closed before it began. That covers
 * a request received in the quarter, a case still open, and a request carried over from an
 * earlier quarter then refused or honoured during this one.
 *
 * A request received at the end of a quarter and honoured in the next one counts for the quarter in
 * which the stay happens: the stay meets the next quarter's entitlement, not the one of the quarter of
 * receipt, which stays unmet (« accordée, séjour placé après ce trimestre »). The head sees that
 * honestly rather than a stay credited to a quarter it did not take place in.
 */
export function openDuring(r: DetaineeRequestFacts, q: QuarterBounds): boolean {
  if (r.status === 'WITHDRAWN') return false;
  if (r.receivedAt.getTime() >= q.end.getTime()) return false;
  const closed = requestClosedAt(r);
  return closed === null || closed.getTime() >= q.start.getTime();
}

/** Where a request stood for this quarter (see RequestState). */
export function requestState(r: DetaineeRequestFacts, q: QuarterBounds): RequestState {
  const no = answeredNo(r);
  if (no) return no;
  if (r.firstStayAt) {
    if (r.firstStayAt.getTime() >= q.end.getTime()) return 'PLACED_LATER';
    return 'PLACED';
  }
  if (r.caseStatus === 'CLOSED') return 'CLOSED';
  if (granted(r)) return 'GRANTED_NOT_PLACED';
  if (r.status === 'REFERRED') return 'REFERRED';
  return 'INSTRUCTION';
}

export interface StayFacts {
  startsAt: Date;
  status: string;
}

export interface Entitlement {
  /** The detainee asked: a request open during the quarter, or a stay in it (a stay always rests on a request). */
  requested: boolean;
  /** A stay (booked, in progress, ended, ended early) starts in the quarter. */
  met: boolean;
  /** Asked and no stay in the quarter. */
  unmet: boolean;
  /** Start of the first stay in the quarter (met), or null. */
  quarterStayAt: Date | null;
  /** Start of the detainee's last stay that has begun by `now` (any quarter), or null. */
  lastStayAt: Date | null;
  /** The requests open during the quarter, with their state (the reasons it is unmet), oldest first. */
  requests: (DetaineeRequestFacts & { state: RequestState })[];
}

/**
 * The detainee's entitlement for a quarter, from their own requests and their stays in the units
 * (every case of theirs in the establishment). A stay counts by its start: a UVF stay starting on
 * 31 March 22:00 and ending on 1 April meets Q1. A stay booked in the quarter meets it already; if it
 * is cancelled later, it no longer does.
 */
export function entitlement(requests: DetaineeRequestFacts[], stays: StayFacts[], q: QuarterBounds, now: Date): Entitlement {
  const counted = stays.filter((s) => stayCounts(s.status));
  const inQuarter = counted
    .map((s) => s.startsAt.getTime())
    .filter((t) => t >= q.start.getTime() && t < q.end.getTime())
    .sort((a, b) => a - b);
  const begun = counted.map((s) => s.startsAt.getTime()).filter((t) => t <= now.getTime());
  const open = requests
    .filter((r) => openDuring(r, q))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
    .map((r) => ({ ...r, state: requestState(r, q) }));
  const met = inQuarter.length > 0;
  const requested = met || open.length > 0;
  return {
    requested,
    met,
    unmet: requested && !met,
    quarterStayAt: met ? new Date(inQuarter[0]) : null,
    lastStayAt: begun.length ? new Date(Math.max(...begun)) : null,
    requests: open,
  };
}

/** Whole days from the day of receipt to today, both on the establishment's clock. */
export function daysSinceReceipt(receivedAt: Date, now: Date, timeZone: string): number {
  const day = (d: Date) => Date.parse(`${localDay(d, timeZone)}T00:00:00Z`);
  return Math.round((day(now) - day(receivedAt)) / 86_400_000);
}

/** The local day of an instant, AAAA-MM-JJ, on the establishment's clock (for the views' dateFr). */
export function localDay(at: Date, timeZone: string): string {
  return formatInTimeZone(at, timeZone, 'yyyy-MM-dd');
}
