import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { PermitOrigin, PermitStatus } from './permit.entity';
import type { PermitRequestStatus } from './permit-request.entity';
import type { PermitState } from './permit-validity';

/**
 * The SQL of the establishment's permits register, the head's dashboard, the family's withdrawal,
 * the litigation hold and the retention job.
 */

// ---- withdrawal by the family ------------------------------------------------------------------

export async function markWithdrawn(db: EntityManager, id: string, at: Date): Promise<void> {
  await execute(db, `UPDATE permit_requests SET status = 'WITHDRAWN', withdrawn_at = $2, updated_at = $2 WHERE id = $1`, [id, at]);
}

/** Deletes a draft and its documents' records; returns the storage keys of the files to delete after the commit. */
export async function deleteDraft(db: EntityManager, id: string): Promise<string[]> {
  const files = await select<{ storageKey: string }>(
    db,
    `DELETE FROM permit_documents WHERE request_id = $1 RETURNING storage_key AS "storageKey"`,
    [id],
  );
  await execute(db, `DELETE FROM permit_request_events WHERE request_id = $1`, [id]);
  await execute(db, `DELETE FROM permit_requests WHERE id = $1 AND status = 'DRAFT'`, [id]);
  return files.map((f) => f.storageKey);
}

// ---- litigation hold -----------------------------------------------------------------------------

export interface LitigationHold {
  since: Date | null;
  note: string | null;
}

export function litigationHold(db: EntityManager, establishmentId: string, requestId: string): Promise<LitigationHold | null> {
  return selectOne<LitigationHold>(
    db,
    `SELECT litigation_hold_since AS since, litigation_note AS note FROM permit_requests
      WHERE id = $1 AND establishment_id = $2 AND status <> 'DRAFT'`,
    [requestId, establishmentId],
  );
}

export async function setLitigationHold(db: EntityManager, requestId: string, since: Date | null, note: string | null): Promise<void> {
  await execute(db, `UPDATE permit_requests SET litigation_hold_since = $2, litigation_note = $3 WHERE id = $1`, [requestId, since, note]);
}

// ---- the register ----------------------------------------------------------------------------------

/**
 * The register's state filter: the permit's state as permitState (permit-validity.ts) gives it, the same as « Mes permis »
 * and the door: a stored status, or, for an active permit, NOT_YET_VALID (before its first day) or EXPIRED (its end date
 * past, or all its visits used).
 */
export type RegisterState = PermitState;
export const REGISTER_STATES: readonly RegisterState[] = ['ACTIVE', 'NOT_YET_VALID', 'ON_HOLD', 'SUSPENDED', 'WITHDRAWN', 'EXPIRED'];

/** The visits made or booked with permit p: p among a visit's active visitors, the visit not cancelled (as permitsOfFamily). */
const VISITS_USED = `(SELECT count(DISTINCT v.id)::int FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id
   WHERE vv.permit_id = p.id AND vv.active AND v.status <> 'CANCELLED')`;

/** permitState in SQL ($2: today), for the filter; keep both in step. */
const NOT_YET_VALID = `p.valid_from > $2::date`;
const USED_UP = `((p.valid_to IS NOT NULL AND p.valid_to < $2::date) OR (p.max_visits IS NOT NULL AND ${VISITS_USED} >= p.max_visits))`;
const STATE_FILTERS: Partial<Record<RegisterState, string>> = {
  NOT_YET_VALID: `p.status = 'ACTIVE' AND ${NOT_YET_VALID}`,
  EXPIRED: `p.status = 'ACTIVE' AND NOT ${NOT_YET_VALID} AND ${USED_UP}`,
  ACTIVE: `p.status = 'ACTIVE' AND NOT ${NOT_YET_VALID} AND NOT ${USED_UP}`,
};
export const PERMIT_ORIGINS: readonly PermitOrigin[] = ['ONLINE', 'PAPER', 'MAGISTRATE'];

export interface RegisterQuery {
  search: string;
  state: RegisterState | '';
  origin: PermitOrigin | '';
  /** AAAA-MM-JJ, the establishment's today. */
  today: string;
  page: number;
}

export interface RegisterRow {
  id: string;
  visitorGivenName: string;
  visitorFamilyName: string;
  detaineeName: string;
  ecrouNumber: string;
  status: PermitStatus;
  validFrom: string;
  validTo: string | null;
  maxVisits: number | null;
  visitsUsed: number;
  origin: PermitOrigin;
  headReviewDue: boolean;
}

export async function registerPage(
  db: EntityManager,
  establishmentId: string,
  q: RegisterQuery,
  pageSize: number,
): Promise<{ total: number; rows: RegisterRow[] }> {
  const params: unknown[] = [establishmentId, q.today];
  let where = `p.establishment_id = $1`;
  if (q.search) {
    params.push(`%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const n = params.length;
    where += ` AND (lower(p.visitor_family_name) LIKE lower($${n}) OR lower(p.visitor_given_name) LIKE lower($${n})
                    OR lower(d.last_name) LIKE lower($${n}) OR lower(d.first_name) LIKE lower($${n}) OR lower(d.ecrou_number) LIKE lower($${n}))`;
  }
  const derived = q.state ? STATE_FILTERS[q.state] : undefined;
  if (derived) where += ` AND ${derived}`;
  else if (q.state) {
    params.push(q.state);
    where += ` AND p.status = $${params.length}`;
  }
  if (q.origin) {
    params.push(q.origin);
    where += ` AND p.origin = $${params.length}`;
  }
  // $2 (today) is used by the state filters only; keep it typed even when none applies.
  where += ` AND $2::date IS NOT NULL`;
  const from = `FROM permits p JOIN detainees d ON d.id = p.detainee_id WHERE ${where}`;
  const count = await selectOne<{ total: number }>(db, `SELECT count(*)::int AS total ${from}`, params);
  const rows = await select<RegisterRow>(
    db,
    `SELECT p.id, p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            d.first_name || ' ' || d.last_name AS "detaineeName", d.ecrou_number AS "ecrouNumber", p.status,
            to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo",
            p.max_visits AS "maxVisits", ${VISITS_USED} AS "visitsUsed", p.origin, p.head_review_due AS "headReviewDue"
       ${from}
      ORDER BY lower(p.visitor_family_name), lower(p.visitor_given_name), p.id
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, pageSize, (q.page - 1) * pageSize],
  );
  return { total: count?.total ?? 0, rows };
}

// ---- the head's dashboard ----------------------------------------------------------------------------

export interface OpenRequestRow {
  id: string;
  reference: string;
  status: PermitRequestStatus;
  completeAt: Date | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  detaineeName: string;
}

/** The requests waiting for a decision, the closest deadline first (incomplete ones, whose delay does not run, last). */
export function openRequests(db: EntityManager, establishmentId: string): Promise<OpenRequestRow[]> {
  return select<OpenRequestRow>(
    db,
    `SELECT r.id, r.reference, r.status, r.complete_at AS "completeAt", r.visitor_given_name AS "visitorGivenName",
            r.visitor_family_name AS "visitorFamilyName", d.first_name || ' ' || d.last_name AS "detaineeName"
       FROM permit_requests r JOIN detainees d ON d.id = r.detainee_id
      WHERE r.establishment_id = $1 AND r.status IN ('SUBMITTED','INCOMPLETE','READY')
      ORDER BY (r.status = 'INCOMPLETE'), r.complete_at NULLS LAST, r.submitted_at
      LIMIT 200`,
    [establishmentId],
  );
}

export interface ReviewPermitRow {
  id: string;
  visitorGivenName: string;
  visitorFamilyName: string;
  detaineeName: string;
  ecrouNumber: string;
}

/** Permits a head must look at again (a magistrate's permit whose detainee is now sentenced, an import to check). */
export function permitsForReview(db: EntityManager, establishmentId: string): Promise<ReviewPermitRow[]> {
  return select<ReviewPermitRow>(
    db,
    `SELECT p.id, p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            d.first_name || ' ' || d.last_name AS "detaineeName", d.ecrou_number AS "ecrouNumber"
       FROM permits p JOIN detainees d ON d.id = p.detainee_id
      WHERE p.establishment_id = $1 AND p.head_review_due ORDER BY lower(p.visitor_family_name), p.id LIMIT 200`,
    [establishmentId],
  );
}

export interface DueMeasureRow {
  id: string;
  permitId: string;
  kind: 'SUSPENSION' | 'WITHDRAWAL' | 'REFERRAL';
  observationsDue: string;
  visitorGivenName: string;
  visitorFamilyName: string;
}

/** Proposed suspensions or withdrawals whose delay for observations has ended: the head may now decide. */
export function measuresAwaitingDecision(db: EntityManager, establishmentId: string, today: string): Promise<DueMeasureRow[]> {
  return select<DueMeasureRow>(
    db,
    `SELECT m.id, m.permit_id AS "permitId", m.kind, to_char(m.observations_due, 'YYYY-MM-DD') AS "observationsDue",
            p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName"
       FROM permit_measures m JOIN permits p ON p.id = m.permit_id
      WHERE m.establishment_id = $1 AND m.status = 'PROPOSED' AND m.observations_due < $2::date
      ORDER BY m.observations_due, m.id LIMIT 200`,
    [establishmentId, today],
  );
}

export interface PeriodCounts {
  received: number;
  granted: number;
  refused: number;
  implicitlyRejected: number;
  withdrawn: number;
}

/** Requests received in [from, to), and decisions and withdrawals made in it. */
export async function periodCounts(db: EntityManager, establishmentId: string, from: Date, to: Date): Promise<PeriodCounts> {
  const row = await selectOne<PeriodCounts>(
    db,
    `SELECT count(*) FILTER (WHERE submitted_at >= $2 AND submitted_at < $3)::int AS received,
            count(*) FILTER (WHERE status = 'GRANTED' AND decided_at >= $2 AND decided_at < $3)::int AS granted,
            count(*) FILTER (WHERE status = 'REFUSED' AND decided_at >= $2 AND decided_at < $3)::int AS refused,
            count(*) FILTER (WHERE status = 'IMPLICITLY_REJECTED' AND decided_at >= $2 AND decided_at < $3)::int AS "implicitlyRejected",
            count(*) FILTER (WHERE status = 'WITHDRAWN' AND withdrawn_at >= $2 AND withdrawn_at < $3)::int AS withdrawn
       FROM permit_requests WHERE establishment_id = $1 AND status <> 'DRAFT'`,
    [establishmentId, from, to],
  );
  return row ?? { received: 0, granted: 0, refused: 0, implicitlyRejected: 0, withdrawn: 0 };
}

/** Days from the complete request to the explicit decision, for the decisions made in [from, to). */
export async function decisionDelays(db: EntityManager, establishmentId: string, from: Date, to: Date): Promise<number[]> {
  const rows = await select<{ days: number }>(
    db,
    `SELECT (extract(epoch FROM decided_at - complete_at) / 86400)::float8 AS days FROM permit_requests
      WHERE establishment_id = $1 AND status IN ('GRANTED','REFUSED') AND complete_at IS NOT NULL
        AND decided_at >= $2 AND decided_at < $3`,
    [establishmentId, from, to],
  );
  return rows.map((r) => Number(r.days));
}

// ---- retention -----------------------------------------------------------------------------------------

/** Deletes the failed detainee look-ups and permit claims older than `before` (they only serve the hourly limits). */
export async function deleteFailuresBefore(db: EntityManager, before: Date): Promise<{ lookups: number; claims: number }> {
  const lookups = await execute(db, `DELETE FROM permit_lookup_failures WHERE at < $1`, [before]);
  const claims = await execute(db, `DELETE FROM permit_claim_failures WHERE at < $1`, [before]);
  return { lookups, claims };
}
