import type { EntityManager } from 'typeorm';
import { select, selectOne } from '../common/sql';
import { COUNTED_STAY_STATUSES, type DetaineeRequestFacts, type StayFacts } from './entitlement.rules';

/**
 * The SQL of the quarterly entitlement (L341-8): the head's dashboard of the detainees whose request
 * for a quarter is unmet, and one detainee's facts for the case file. The rules are in
 * entitlement.rules.ts; the dashboard's SQL applies the same ones (`requestClosedAt`, `openDuring`,
 * a stay counted by its start) to select and page the detainees, the service then states each request.
 */

const COUNTED = COUNTED_STAY_STATUSES.map((s) => `'${s}'`).join(',');

/** A detainee's own requests (not withdrawn) of the establishment's cases, with when each closed (`requestClosedAt`). */
const DETAINEE_REQUESTS = `
  SELECT x.*,
         CASE WHEN x.status IN ('REFUSED','IMPLICITLY_REJECTED') OR (x.status = 'REFERRED' AND x.magistrate_answer = 'REFUSED')
                THEN COALESCE(x.decided_at, x.received_at)
              WHEN x.first_stay_at IS NOT NULL THEN x.first_stay_at
              WHEN x.case_status = 'CLOSED' THEN x.case_updated_at
         END AS closed_at
    FROM (SELECT c.detainee_id, c.id AS case_id, c.reference, c.kind, c.status AS case_status, c.updated_at AS case_updated_at,
                 r.status, r.magistrate_answer, r.received_at, r.decided_at,
                 (SELECT min(lower(s.during)) FROM family_visit_stays s WHERE s.case_id = c.id AND s.status <> 'CANCELLED') AS first_stay_at
            FROM family_visit_cases c
            JOIN family_visit_requests r ON r.case_id = c.id AND r.applicant = 'DETAINEE' AND r.status <> 'WITHDRAWN'
           WHERE c.establishment_id = $1) x`;

/** One request as the rules read it (json: instants come back as ISO strings). */
const REQUEST_JSON = `json_build_object('caseId', dr.case_id, 'reference', dr.reference, 'kind', dr.kind, 'receivedAt', dr.received_at,
  'status', dr.status, 'magistrateAnswer', dr.magistrate_answer, 'decidedAt', dr.decided_at, 'caseStatus', dr.case_status,
  'caseUpdatedAt', dr.case_updated_at, 'firstStayAt', dr.first_stay_at)`;

/**
 * $1 establishment, [$2, $3) the quarter, $4 the custody cut-off. The detainees of the establishment
 * who asked for the quarter (a request open during it) or have a stay starting in it; a detainee
 * released or transferred before the cut-off (the quarter's end, or now for the current quarter)
 * is no longer the establishment's to receive: left out.
 */
const ENTITLED = `
  WITH detainee_requests AS (${DETAINEE_REQUESTS}),
  open_requests AS (
    SELECT dr.detainee_id, min(dr.received_at) AS oldest_received_at
      FROM detainee_requests dr
     WHERE dr.received_at < $3 AND (dr.closed_at IS NULL OR dr.closed_at >= $2)
     GROUP BY dr.detainee_id
  ),
  quarter_stays AS (
    SELECT c.detainee_id, min(lower(s.during)) AS quarter_stay_at
      FROM family_visit_stays s JOIN family_visit_cases c ON c.id = s.case_id
     WHERE c.establishment_id = $1 AND s.status IN (${COUNTED}) AND lower(s.during) >= $2 AND lower(s.during) < $3
     GROUP BY c.detainee_id
  ),
  entitled AS (
    SELECT d.id, d.first_name, d.last_name, d.ecrou_number, d.legal_status, q.quarter_stay_at, o.oldest_received_at
      FROM detainees d
      LEFT JOIN open_requests o ON o.detainee_id = d.id
      LEFT JOIN quarter_stays q ON q.detainee_id = d.id
     WHERE d.establishment_id = $1 AND (o.detainee_id IS NOT NULL OR q.detainee_id IS NOT NULL)
       AND (d.left_at IS NULL OR d.left_at >= $4)
  )`;

export interface QuarterWindow {
  start: Date;
  end: Date;
  /** Detainees who left before this instant are left out: min(quarter end, now). */
  custodyCutoff: Date;
  now: Date;
}

export interface EntitlementCounts {
  /** Detainees who asked for the quarter (or have a stay in it). */
  asked: number;
  /** Those with a stay starting in the quarter. */
  met: number;
}

export async function entitlementCounts(db: EntityManager, establishmentId: string, w: QuarterWindow): Promise<EntitlementCounts> {
  const row = await selectOne<EntitlementCounts>(
    db,
    `${ENTITLED} SELECT count(*)::int AS asked, count(quarter_stay_at)::int AS met FROM entitled`,
    [establishmentId, w.start, w.end, w.custodyCutoff],
  );
  return row ?? { asked: 0, met: 0 };
}

interface RequestJson {
  caseId: string;
  reference: string;
  kind: string;
  receivedAt: string;
  status: string;
  magistrateAnswer: string | null;
  decidedAt: string | null;
  caseStatus: string;
  caseUpdatedAt: string;
  firstStayAt: string | null;
}

export type EntitlementRequest = DetaineeRequestFacts & { reference: string; kind: string };

function requestFacts(r: RequestJson): EntitlementRequest {
  return {
    caseId: r.caseId,
    reference: r.reference,
    kind: r.kind,
    receivedAt: new Date(r.receivedAt),
    status: r.status,
    magistrateAnswer: r.magistrateAnswer,
    decidedAt: r.decidedAt ? new Date(r.decidedAt) : null,
    caseStatus: r.caseStatus,
    caseUpdatedAt: new Date(r.caseUpdatedAt),
    firstStayAt: r.firstStayAt ? new Date(r.firstStayAt) : null,
  };
}

export interface UnmetRow {
  detaineeId: string;
  detaineeName: string;
  ecrouNumber: string;
  legalStatus: string;
  /** Start of the detainee's last stay begun by now, any quarter. */
  lastStayAt: Date | null;
  /** The detainee's requests received before the quarter's end (the rules keep those open during it). */
  requests: EntitlementRequest[];
}

/**
 * One page of the detainees whose entitlement is unmet for the quarter (asked, no stay starting in
 * it), the longest waiting first (oldest open request), then by name. One query: each row carries
 * its requests as json.
 */
export async function unmetPage(
  db: EntityManager,
  establishmentId: string,
  w: QuarterWindow,
  page: number,
  pageSize: number,
): Promise<UnmetRow[]> {
  const rows = await select<Omit<UnmetRow, 'requests'> & { requests: RequestJson[] }>(
    db,
    `${ENTITLED}
     SELECT e.id AS "detaineeId", e.first_name || ' ' || e.last_name AS "detaineeName", e.ecrou_number AS "ecrouNumber",
            e.legal_status AS "legalStatus",
            (SELECT max(lower(s.during)) FROM family_visit_stays s JOIN family_visit_cases c ON c.id = s.case_id
              WHERE c.detainee_id = e.id AND c.establishment_id = $1 AND s.status IN (${COUNTED}) AND lower(s.during) <= $5) AS "lastStayAt",
            COALESCE((SELECT json_agg(${REQUEST_JSON} ORDER BY dr.received_at, dr.case_id)
                        FROM detainee_requests dr WHERE dr.detainee_id = e.id AND dr.received_at < $3), '[]'::json) AS requests
       FROM entitled e
      WHERE e.quarter_stay_at IS NULL
      ORDER BY e.oldest_received_at, e.last_name, e.first_name, e.id
      LIMIT $6 OFFSET $7`,
    [establishmentId, w.start, w.end, w.custodyCutoff, w.now, pageSize, (page - 1) * pageSize],
  );
  return rows.map((r) => ({ ...r, lastStayAt: r.lastStayAt ? new Date(r.lastStayAt) : null, requests: r.requests.map(requestFacts) }));
}

export interface DetaineeFacts {
  timeZone: string;
  requests: EntitlementRequest[];
  stays: StayFacts[];
}

/** One detainee's requests and stays in the establishment's units (every case of theirs there), with its time zone. */
export async function detaineeFacts(db: EntityManager, establishmentId: string, detaineeId: string): Promise<DetaineeFacts | null> {
  const row = await selectOne<{ timeZone: string; requests: RequestJson[]; stays: { startsAt: string; status: string }[] }>(
    db,
    `WITH detainee_requests AS (${DETAINEE_REQUESTS})
     SELECT e.time_zone AS "timeZone",
            COALESCE((SELECT json_agg(${REQUEST_JSON} ORDER BY dr.received_at, dr.case_id)
                        FROM detainee_requests dr WHERE dr.detainee_id = $2), '[]'::json) AS requests,
            COALESCE((SELECT json_agg(json_build_object('startsAt', lower(s.during), 'status', s.status) ORDER BY lower(s.during))
                        FROM family_visit_stays s JOIN family_visit_cases c ON c.id = s.case_id
                       WHERE c.detainee_id = $2 AND c.establishment_id = $1), '[]'::json) AS stays
       FROM establishments e WHERE e.id = $1`,
    [establishmentId, detaineeId],
  );
  if (!row) return null;
  return {
    timeZone: row.timeZone,
    requests: row.requests.map(requestFacts),
    stays: row.stays.map((s) => ({ startsAt: new Date(s.startsAt), status: s.status })),
  };
}
