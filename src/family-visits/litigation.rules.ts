import type { FamilyVisitRequestStatus } from './family-visit-request.entity';
import { FINAL_STATUSES } from './decision.rules';

/**
 * The litigation hold of a UVF / PF request (docs/retention.md), pure: who may record or lift it, on
 * which requests, and when the documents' retention ends once it is lifted.
 */

/** What the agent is at the establishment, on the day. */
export interface HoldAuthor {
  head: boolean;
  /** Holds a signature delegation of the head in force that day. */
  delegated: boolean;
  /** Holds the SPIP counsellor's role there. */
  counsellor: boolean;
}

/**
 * The head of establishment, or an agent holding a signature delegation, records or lifts a hold, as
 * they decide the requests and receive the recours gracieux (note DAP 2014, A.5); the SPIP counsellor
 * who instructs the case never does, even with a delegation (as for the decision itself, issue 11).
 */
export function mayHold(who: HoldAuthor): boolean {
  return who.head || (who.delegated && !who.counsellor);
}

/**
 * Why a hold cannot be recorded (`lift` false) or lifted (`lift` true) on a request in this state, or
 * null. A recourse is against a decision: only a request finally decided (granted, refused, implicitly
 * rejected) or withdrawn takes a hold; recording it again changes its note and keeps its start.
 */
export function holdProblem(status: FamilyVisitRequestStatus, held: boolean, lift: boolean): string | null {
  if (lift) return held ? null : 'Aucune conservation pour contentieux n’est en cours sur cette demande.';
  if (!FINAL_STATUSES.includes(status))
    return 'Cette demande n’est pas encore décidée : un recours, et donc la conservation de ses documents, vient après la décision.';
  return null;
}

/**
 * When the retention job may delete a request's documents, hold or no hold aside: its retention
 * period after the decision or the withdrawal (the request's last change for a row that has neither),
 * as familyVisitDocumentsExpired (retention.queries.ts) counts it. A hold does not move this clock.
 */
export function retentionEndsAt(r: { decidedAt: Date | null; withdrawnAt: Date | null; updatedAt: Date }, retentionDays: number): Date {
  return new Date((r.decidedAt ?? r.withdrawnAt ?? r.updatedAt).getTime() + retentionDays * 86_400_000);
}
