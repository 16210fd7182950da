import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import type { Establishment } from '../establishments/establishment.entity';
import {
  chosenQuarter,
  compareQuarters,
  daysSinceReceipt,
  entitlement,
  localDay,
  openDuring,
  quarterBounds,
  quarterCode,
  quarterLabel,
  quarterOf,
  REQUEST_STATE_LABELS,
  requestState,
  selectableQuarters,
  type QuarterBounds,
} from './entitlement.rules';
import { detaineeFacts, entitlementCounts, type EntitlementRequest, unmetPage } from './entitlement.queries';

/** A request open during the quarter, as the dashboard shows it: its case, its state, how long since it came. */
function shownRequest(r: EntitlementRequest, q: QuarterBounds, now: Date, timeZone: string) {
  const state = requestState(r, q);
  return {
    caseId: r.caseId,
    reference: r.reference,
    kind: r.kind,
    state,
    stateLabel: REQUEST_STATE_LABELS[state],
    receivedOn: localDay(r.receivedAt, timeZone),
    daysSinceReceipt: daysSinceReceipt(r.receivedAt, now, timeZone),
    /** The stay's day when it is placed after the quarter. */
    stayOn: r.firstStayAt ? localDay(r.firstStayAt, timeZone) : null,
  };
}

/**
 * The quarterly entitlement of L341-8 (entitlement.rules.ts): the dashboard of the establishment's
 * detainees whose request for a quarter is unmet, for the head of establishment and the SPIP.
 * Read-only: nothing to audit.
 */
@Injectable()
export class EntitlementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The quarter asked for (`?trimestre=`, the current one by default or on error), its counts and a page of unmet detainees. */
  async dashboard(establishment: Establishment, rawQuarter: unknown, page: number, pageSize: number) {
    const now = this.clock.now();
    const tz = establishment.timeZone;
    const current = quarterOf(now, tz);
    const { quarter, error } = chosenQuarter(rawQuarter, current);
    const bounds = quarterBounds(quarter, tz);
    const span = { ...bounds, now, custodyCutoff: bounds.end.getTime() < now.getTime() ? bounds.end : now };
    const db = this.dataSource.manager;
    const [counts, rows] = await Promise.all([
      entitlementCounts(db, establishment.id, span),
      unmetPage(db, establishment.id, span, page, pageSize),
    ]);
    return {
      error,
      quarter: { code: quarterCode(quarter), label: quarterLabel(quarter), current: compareQuarters(quarter, current) === 0 },
      quarters: selectableQuarters(current).map((q) => ({ code: quarterCode(q), label: quarterLabel(q) })),
      counts: { asked: counts.asked, met: counts.met, unmet: counts.asked - counts.met },
      rows: rows.map((r) => ({
        detaineeId: r.detaineeId,
        detaineeName: r.detaineeName,
        ecrouNumber: r.ecrouNumber,
        legalStatus: r.legalStatus,
        lastStayOn: r.lastStayAt ? localDay(r.lastStayAt, tz) : null,
        requests: r.requests.filter((x) => openDuring(x, bounds)).map((x) => shownRequest(x, bounds, now, tz)),
      })),
    };
  }
}

/**
 * A detainee's entitlement for the current quarter, for their case file: met or not, the stay that
 * meets it, the last stay. Self-contained (its own query, on the manager given) so the case file
 * only adds one property.
 */
export async function detaineeEntitlement(db: EntityManager, establishmentId: string, detaineeId: string, now: Date) {
  const facts = await detaineeFacts(db, establishmentId, detaineeId);
  if (!facts) return null;
  const quarter = quarterOf(now, facts.timeZone);
  const e = entitlement(facts.requests, facts.stays, quarterBounds(quarter, facts.timeZone), now);
  return {
    quarterLabel: quarterLabel(quarter),
    requested: e.requested,
    met: e.met,
    quarterStayOn: e.quarterStayAt ? localDay(e.quarterStayAt, facts.timeZone) : null,
    /** The stay meeting the quarter has not begun yet (booked). */
    quarterStayAhead: e.quarterStayAt !== null && e.quarterStayAt.getTime() > now.getTime(),
    lastStayOn: e.lastStayAt ? localDay(e.lastStayAt, facts.timeZone) : null,
  };
}
