import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { FamilyVisitApplicant, FamilyVisitRequestStatus } from './family-visit-request.entity';

/** The SQL of the litigation hold of UVF / PF requests (docs/retention.md). */

export interface HoldRequest {
  id: string;
  caseId: string;
  applicant: FamilyVisitApplicant;
  /** The visitor's name (a visitor's request), from the permit it rests on. */
  visitorName: string | null;
  status: FamilyVisitRequestStatus;
  decidedAt: Date | null;
  withdrawnAt: Date | null;
  updatedAt: Date;
  litigationHoldSince: Date | null;
  litigationNote: string | null;
  /** Documents still stored (not deleted by the retention job). */
  documents: number;
}

const COLUMNS = `r.id, r.case_id AS "caseId", r.applicant, r.status, r.decided_at AS "decidedAt", r.withdrawn_at AS "withdrawnAt", r.updated_at AS "updatedAt",
  CASE WHEN p.id IS NULL THEN NULL ELSE p.visitor_given_name || ' ' || upper(p.visitor_family_name) END AS "visitorName",
  r.litigation_hold_since AS "litigationHoldSince", r.litigation_note AS "litigationNote",
  (SELECT count(*)::int FROM family_visit_documents d WHERE d.request_id = r.id AND d.deleted_at IS NULL) AS documents`;

/** The requests of a case of the establishment, the detainee's first (none: no such case there). */
export function holdRequests(db: EntityManager, establishmentId: string, caseId: string): Promise<HoldRequest[]> {
  return select<HoldRequest>(
    db,
    `SELECT ${COLUMNS}
       FROM family_visit_requests r JOIN family_visit_cases c ON c.id = r.case_id LEFT JOIN permits p ON p.id = r.permit_id
      WHERE r.case_id = $1 AND c.establishment_id = $2
      ORDER BY (r.applicant = 'DETAINEE') DESC, r.received_at, r.id`,
    [caseId, establishmentId],
  );
}

/**
 * One request of a case of the establishment (null: not there), its row locked when its hold is to
 * change: the retention job takes the same row (FOR KEY SHARE) before it deletes a document of it.
 */
export function holdRequest(
  db: EntityManager,
  establishmentId: string,
  caseId: string,
  requestId: string,
  lock = false,
): Promise<(HoldRequest & { caseReference: string; timeZone: string }) | null> {
  return selectOne<HoldRequest & { caseReference: string; timeZone: string }>(
    db,
    `SELECT ${COLUMNS}, c.reference AS "caseReference", e.time_zone AS "timeZone"
       FROM family_visit_requests r JOIN family_visit_cases c ON c.id = r.case_id
       JOIN establishments e ON e.id = c.establishment_id LEFT JOIN permits p ON p.id = r.permit_id
      WHERE r.id = $1 AND r.case_id = $2 AND c.establishment_id = $3 ${lock ? 'FOR UPDATE OF r' : ''}`,
    [requestId, caseId, establishmentId],
  );
}

/** Records (since and note) or lifts (both null) the hold; the request's `updated_at`, a withdrawal's retention clock, is left alone. */
export async function setRequestHold(m: EntityManager, requestId: string, since: Date | null, note: string | null): Promise<void> {
  await execute(m, `UPDATE family_visit_requests SET litigation_hold_since = $2, litigation_note = $3 WHERE id = $1`, [
    requestId,
    since,
    note,
  ]);
}
