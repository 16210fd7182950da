import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { Department } from '../permits/letters';
import type { PermitLimits } from '../permits/permit-validity';
import type { FamilyVisitKind } from './family-unit.entity';
import type { ConsentCapacity, FamilyVisitDocumentKind } from './family-visit-document.entity';
import type { FamilyVisitApplicant, FamilyVisitChannel, FamilyVisitRequestStatus } from './family-visit-request.entity';

export interface DetaineeForCase {
  id: string;
  establishmentId: string;
  ecrouNumber: string;
  lastName: string;
  firstName: string;
}

/** A detainee present in the establishment, by écrou number. */
export function presentDetainee(db: EntityManager, establishmentId: string, ecrou: string): Promise<DetaineeForCase | null> {
  return selectOne<DetaineeForCase>(
    db,
    `SELECT id, establishment_id AS "establishmentId", ecrou_number AS "ecrouNumber", last_name AS "lastName", first_name AS "firstName"
       FROM detainees WHERE establishment_id = $1 AND upper(ecrou_number) = upper($2) AND custody_status = 'PRESENT'`,
    [establishmentId, ecrou],
  );
}

export interface PermitForRequest {
  id: string;
  establishmentId: string;
  detaineeId: string;
  familyAccountId: string | null;
  givenName: string;
  familyName: string;
  /** AAAA-MM-JJ */
  birthdate: string;
  status: PermitLimits['status'];
  validFrom: string;
  validTo: string | null;
  maxVisits: number | null;
  visitsUsed: number;
}

const PERMIT_COLUMNS = `p.id, p.establishment_id AS "establishmentId", p.detainee_id AS "detaineeId", p.family_account_id AS "familyAccountId",
  p.visitor_given_name AS "givenName", p.visitor_family_name AS "familyName", to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "birthdate",
  p.status, to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo", p.max_visits AS "maxVisits",
  (SELECT count(DISTINCT v.id)::int FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id
    WHERE vv.permit_id = p.id AND vv.active AND v.status <> 'CANCELLED') AS "visitsUsed"`;

/** The permits of a detainee (all states: the caller keeps the active ones with permitState). */
export function permitsOfDetainee(db: EntityManager, detaineeId: string): Promise<PermitForRequest[]> {
  return select<PermitForRequest>(
    db,
    `SELECT ${PERMIT_COLUMNS} FROM permits p WHERE p.detainee_id = $1 ORDER BY p.visitor_family_name, p.visitor_given_name`,
    [detaineeId],
  );
}

/** The permits a family account holds (all states). */
export function permitsOfFamily(db: EntityManager, familyAccountId: string): Promise<PermitForRequest[]> {
  return select<PermitForRequest>(
    db,
    `SELECT ${PERMIT_COLUMNS} FROM permits p WHERE p.family_account_id = $1 ORDER BY p.visitor_family_name, p.visitor_given_name`,
    [familyAccountId],
  );
}

export interface DetaineeOfFamily {
  id: string;
  lastName: string;
  firstName: string;
  establishmentId: string;
  establishmentName: string;
  timeZone: string;
  /** CONDAMNE, PREVENU or MIXTE: anything but CONDAMNE goes to the magistrate. */
  legalStatus: string;
}

export function detaineeOfPermits(db: EntityManager, detaineeId: string): Promise<DetaineeOfFamily | null> {
  return selectOne<DetaineeOfFamily>(
    db,
    `SELECT d.id, d.last_name AS "lastName", d.first_name AS "firstName", e.id AS "establishmentId", e.name AS "establishmentName",
            e.time_zone AS "timeZone", d.legal_status AS "legalStatus"
       FROM detainees d JOIN establishments e ON e.id = d.establishment_id
      WHERE d.id = $1 AND d.custody_status = 'PRESENT'`,
    [detaineeId],
  );
}

export interface CaseRow {
  id: string;
  reference: string;
  establishmentId: string;
  detaineeId: string;
  kind: FamilyVisitKind;
  wishedFrom: string;
  wishedTo: string;
  wishedHours: number;
  status: string;
  detaineeLastName: string;
  detaineeFirstName: string;
  ecrouNumber: string;
  createdAt: Date;
}

const CASE_COLUMNS = `c.id, c.reference, c.establishment_id AS "establishmentId", c.detainee_id AS "detaineeId", c.kind,
  to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo", c.wished_hours AS "wishedHours",
  c.status, d.last_name AS "detaineeLastName", d.first_name AS "detaineeFirstName", d.ecrou_number AS "ecrouNumber", c.created_at AS "createdAt"`;

/** An open case (under instruction) of the detainee and kind a family's online request could join, with who is in it. */
export interface JoinCandidateRow {
  id: string;
  wishedFrom: string;
  /** The detainee's own request is in the case. */
  hasDetaineeRequest: boolean;
  /** Requests of this family (filed by it, or for a permit it holds). */
  familyRequests: number;
  /** Visitors' requests of anyone else, not withdrawn. */
  otherVisitorRequests: number;
}

/**
 * The cases under instruction of this detainee and kind whose wished period overlaps this one, oldest
 * first, locked, with whether the detainee's request is in and whose visitors' requests are.
 */
export function openCasesOverlapping(
  db: EntityManager,
  detaineeId: string,
  kind: FamilyVisitKind,
  from: string,
  to: string,
  familyAccountId: string,
): Promise<JoinCandidateRow[]> {
  return select<JoinCandidateRow>(
    db,
    `SELECT c.id, to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom",
            EXISTS (SELECT 1 FROM family_visit_requests r WHERE r.case_id = c.id AND r.applicant = 'DETAINEE') AS "hasDetaineeRequest",
            (SELECT count(*)::int FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id
              WHERE r.case_id = c.id AND (r.family_account_id = $5 OR p.family_account_id = $5)) AS "familyRequests",
            (SELECT count(*)::int FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id
              WHERE r.case_id = c.id AND r.status <> 'WITHDRAWN'
                AND r.family_account_id IS DISTINCT FROM $5 AND p.family_account_id IS DISTINCT FROM $5) AS "otherVisitorRequests"
       FROM family_visit_cases c
      WHERE c.detainee_id = $1 AND c.kind = $2 AND c.status = 'INSTRUCTION'
        AND c.wished_from <= $4::date AND $3::date <= c.wished_to
      ORDER BY c.created_at, c.id FOR UPDATE OF c`,
    [detaineeId, kind, from, to, familyAccountId],
  );
}

/** A case still waiting for the detainee's own request, as the staff choose the one it joins. */
export interface CaseAwaitingDetaineeRow {
  id: string;
  reference: string;
  wishedFrom: string;
  wishedTo: string;
  wishedHours: number;
  /** The visitors whose requests are in the case (not withdrawn). */
  visitorNames: string | null;
}

/**
 * The cases under instruction of this detainee and kind whose wished period overlaps this one and that do
 * not hold the detainee's request yet, oldest first.
 */
export function casesAwaitingDetainee(
  db: EntityManager,
  detaineeId: string,
  w: { kind: FamilyVisitKind; wishedFrom: string; wishedTo: string },
  lock = false,
): Promise<CaseAwaitingDetaineeRow[]> {
  return select<CaseAwaitingDetaineeRow>(
    db,
    `SELECT c.id, c.reference, to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo",
            c.wished_hours AS "wishedHours",
            (SELECT string_agg(p.visitor_given_name || ' ' || upper(p.visitor_family_name), ', ' ORDER BY r.received_at, r.id)
               FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id
              WHERE r.case_id = c.id AND r.status <> 'WITHDRAWN') AS "visitorNames"
       FROM family_visit_cases c
      WHERE c.detainee_id = $1 AND c.kind = $2 AND c.status = 'INSTRUCTION'
        AND c.wished_from <= $4::date AND $3::date <= c.wished_to
        AND NOT EXISTS (SELECT 1 FROM family_visit_requests r WHERE r.case_id = c.id AND r.applicant = 'DETAINEE')
      ORDER BY c.created_at, c.id${lock ? ' FOR UPDATE OF c' : ''}`,
    [detaineeId, w.kind, w.wishedFrom, w.wishedTo],
  );
}

/** Locks the detainee's row: two requests arriving together for one detainee never open two cases. */
export async function lockDetainee(db: EntityManager, detaineeId: string): Promise<void> {
  await select(db, `SELECT id FROM detainees WHERE id = $1 FOR UPDATE`, [detaineeId]);
}

/** Locks a case's row (a request joining it). */
export async function lockCase(db: EntityManager, caseId: string): Promise<void> {
  await select(db, `SELECT id FROM family_visit_cases WHERE id = $1 FOR UPDATE`, [caseId]);
}

export async function insertCase(
  db: EntityManager,
  c: {
    reference: string;
    establishmentId: string;
    detaineeId: string;
    kind: FamilyVisitKind;
    from: string;
    to: string;
    hours: number;
    createdBy: string | null;
  },
): Promise<string> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO family_visit_cases (reference, establishment_id, detainee_id, kind, wished_from, wished_to, wished_hours, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [c.reference, c.establishmentId, c.detaineeId, c.kind, c.from, c.to, c.hours, c.createdBy],
  );
  return row!.id;
}

export async function insertRequest(
  db: EntityManager,
  r: {
    caseId: string;
    applicant: FamilyVisitApplicant;
    permitId: string | null;
    familyAccountId: string | null;
    channel: FamilyVisitChannel;
    receivedAt: Date;
    accompaniedBy: string | null;
    /** The request's own wished period and duration. */
    wish: { from: string; to: string; hours: number };
  },
): Promise<string> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO family_visit_requests (case_id, applicant, permit_id, family_account_id, channel, received_at, accompanied_by,
                                        wished_from, wished_to, wished_hours)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [r.caseId, r.applicant, r.permitId, r.familyAccountId, r.channel, r.receivedAt, r.accompaniedBy, r.wish.from, r.wish.to, r.wish.hours],
  );
  return row!.id;
}

export function insertEvent(
  db: EntityManager,
  e: {
    caseId: string;
    requestId: string | null;
    kind: string;
    message: string;
    visibleToFamily: boolean;
    actorType: 'AGENT' | 'FAMILY';
    actorId: string;
  },
): Promise<number> {
  return execute(
    db,
    `INSERT INTO family_visit_events (case_id, request_id, kind, message, visible_to_family, actor_type, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.caseId, e.requestId, e.kind, e.message, e.visibleToFamily, e.actorType, e.actorId],
  );
}

export function caseOfEstablishment(db: EntityManager, establishmentId: string, caseId: string): Promise<CaseRow | null> {
  return selectOne<CaseRow>(
    db,
    `SELECT ${CASE_COLUMNS} FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id WHERE c.id = $1 AND c.establishment_id = $2`,
    [caseId, establishmentId],
  );
}

export function casesOfEstablishment(db: EntityManager, establishmentId: string, limit: number, offset: number): Promise<CaseRow[]> {
  return select<CaseRow>(
    db,
    `SELECT ${CASE_COLUMNS} FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id
      WHERE c.establishment_id = $1 ORDER BY c.created_at DESC, c.id LIMIT $2 OFFSET $3`,
    [establishmentId, limit, offset],
  );
}

export async function countCases(db: EntityManager, establishmentId: string): Promise<number> {
  const row = await selectOne<{ n: number }>(db, `SELECT count(*)::int AS n FROM family_visit_cases WHERE establishment_id = $1`, [
    establishmentId,
  ]);
  return row?.n ?? 0;
}

export interface RequestRow {
  id: string;
  caseId: string;
  applicant: FamilyVisitApplicant;
  permitId: string | null;
  familyAccountId: string | null;
  channel: FamilyVisitChannel;
  receivedAt: Date;
  status: FamilyVisitRequestStatus;
  rulesAcknowledgedAt: Date | null;
  accompaniedBy: string | null;
  childExitTime: string | null;
  childCarer: string | null;
  withdrawnAt: Date | null;
  /** This request's own wished period and duration (the case keeps the first request's). */
  ownWishedFrom: string;
  ownWishedTo: string;
  ownWishedHours: number;
  givenName: string | null;
  familyName: string | null;
  birthdate: string | null;
}

const REQUEST_COLUMNS = `r.id, r.case_id AS "caseId", r.applicant, r.permit_id AS "permitId", r.family_account_id AS "familyAccountId",
  r.channel, r.received_at AS "receivedAt", r.status, r.rules_acknowledged_at AS "rulesAcknowledgedAt", r.accompanied_by AS "accompaniedBy",
  to_char(r.child_exit_time, 'HH24:MI') AS "childExitTime", r.child_carer AS "childCarer", r.withdrawn_at AS "withdrawnAt",
  to_char(r.wished_from, 'YYYY-MM-DD') AS "ownWishedFrom", to_char(r.wished_to, 'YYYY-MM-DD') AS "ownWishedTo", r.wished_hours AS "ownWishedHours",
  p.visitor_given_name AS "givenName", p.visitor_family_name AS "familyName", to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "birthdate"`;

export function requestsOfCase(db: EntityManager, caseId: string): Promise<RequestRow[]> {
  return select<RequestRow>(
    db,
    `SELECT ${REQUEST_COLUMNS} FROM family_visit_requests r LEFT JOIN permits p ON p.id = r.permit_id
      WHERE r.case_id = $1 ORDER BY r.applicant, r.received_at, r.created_at`,
    [caseId],
  );
}

export interface FamilyRequestRow extends RequestRow {
  establishmentId: string;
  reference: string;
  kind: FamilyVisitKind;
  wishedFrom: string;
  wishedTo: string;
  wishedHours: number;
  detaineeLastName: string;
  detaineeFirstName: string;
  establishmentName: string;
  timeZone: string;
}

/**
 * The ids of the family's visitor requests: filed by it, or made for a permit it holds. Two index
 * look-ups joined by UNION: an OR across the permit's join read both tables whole (docs/benchmarks.md).
 */
export const FAMILY_REQUEST_IDS = (param: string) =>
  `(SELECT fr.id FROM family_visit_requests fr WHERE fr.family_account_id = ${param}
    UNION SELECT fr.id FROM permits fp JOIN family_visit_requests fr ON fr.permit_id = fp.id WHERE fp.family_account_id = ${param})`;

const FAMILY_REQUEST_SQL = `SELECT ${REQUEST_COLUMNS}, c.establishment_id AS "establishmentId", c.reference, c.kind, to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom",
    to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo", c.wished_hours AS "wishedHours",
    d.last_name AS "detaineeLastName", d.first_name AS "detaineeFirstName", e.name AS "establishmentName", e.time_zone AS "timeZone"
  FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id JOIN family_visit_cases c ON c.id = r.case_id
  JOIN detainees d ON d.id = c.detainee_id JOIN establishments e ON e.id = c.establishment_id`;

/** The visitors' requests of the family: filed by it, or for a permit it holds. */
export function requestsOfFamily(db: EntityManager, familyAccountId: string, limit: number, offset: number): Promise<FamilyRequestRow[]> {
  return select<FamilyRequestRow>(
    db,
    `${FAMILY_REQUEST_SQL} WHERE r.id IN ${FAMILY_REQUEST_IDS('$1')}
      ORDER BY r.received_at DESC, c.reference, p.visitor_family_name, r.id LIMIT $2 OFFSET $3`,
    [familyAccountId, limit, offset],
  );
}

export async function countRequestsOfFamily(db: EntityManager, familyAccountId: string): Promise<number> {
  const row = await selectOne<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id WHERE r.id IN ${FAMILY_REQUEST_IDS('$1')}`,
    [familyAccountId],
  );
  return row?.n ?? 0;
}

export function requestOfFamily(
  db: EntityManager,
  familyAccountId: string,
  requestId: string,
  lock = false,
): Promise<FamilyRequestRow | null> {
  return selectOne<FamilyRequestRow>(
    db,
    `${FAMILY_REQUEST_SQL} WHERE r.id = $2 AND (r.family_account_id = $1 OR p.family_account_id = $1)${lock ? ' FOR UPDATE OF r' : ''}`,
    [familyAccountId, requestId],
  );
}

/** A request of a case of the establishment, with the case's kind and start (the documents' rules). */
export function requestOfEstablishment(
  db: EntityManager,
  establishmentId: string,
  caseId: string,
  requestId: string,
  lock = false,
): Promise<(RequestRow & { establishmentId: string; kind: FamilyVisitKind; wishedFrom: string }) | null> {
  return selectOne(
    db,
    `SELECT ${REQUEST_COLUMNS}, c.establishment_id AS "establishmentId", c.kind, to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom"
       FROM family_visit_requests r JOIN family_visit_cases c ON c.id = r.case_id LEFT JOIN permits p ON p.id = r.permit_id
      WHERE r.id = $3 AND r.case_id = $2 AND c.establishment_id = $1${lock ? ' FOR UPDATE OF r' : ''}`,
    [establishmentId, caseId, requestId],
  );
}

export interface DocumentRow {
  id: string;
  requestId: string;
  kind: FamilyVisitDocumentKind;
  consentGivenBy: string | null;
  consentCapacity: ConsentCapacity | null;
  /** A consent: the accompanying adult it names. */
  consentCompanion: string | null;
  storageKey: string;
  contentType: 'image/jpeg' | 'application/pdf';
  originalName: string;
  createdAt: Date;
}

const DOCUMENT_COLUMNS = `fd.id, fd.request_id AS "requestId", fd.kind, fd.consent_given_by AS "consentGivenBy", fd.consent_capacity AS "consentCapacity",
  fd.consent_companion AS "consentCompanion", fd.storage_key AS "storageKey", fd.content_type AS "contentType", fd.original_name AS "originalName", fd.created_at AS "createdAt"`;

export function documentsOfRequests(db: EntityManager, requestIds: string[]): Promise<DocumentRow[]> {
  return select<DocumentRow>(
    db,
    `SELECT ${DOCUMENT_COLUMNS} FROM family_visit_documents fd WHERE fd.request_id = ANY($1::uuid[]) AND fd.deleted_at IS NULL
      ORDER BY fd.created_at`,
    [requestIds],
  );
}

export async function insertDocument(
  db: EntityManager,
  d: {
    requestId: string;
    kind: FamilyVisitDocumentKind;
    consentGivenBy: string | null;
    consentCapacity: ConsentCapacity | null;
    consentCompanion: string | null;
    storageKey: string;
    contentType: string;
    sizeBytes: number;
    sha256: string;
    originalName: string;
  },
): Promise<string> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO family_visit_documents (request_id, kind, consent_given_by, consent_capacity, consent_companion, storage_key, content_type,
                                         size_bytes, sha256, original_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      d.requestId,
      d.kind,
      d.consentGivenBy,
      d.consentCapacity,
      d.consentCompanion,
      d.storageKey,
      d.contentType,
      d.sizeBytes,
      d.sha256,
      d.originalName,
    ],
  );
  return row!.id;
}

/** The name on the permit of the visitor whose request is `requestId` (a minor's accompanying adult). */
export function visitorNameOfRequest(db: EntityManager, requestId: string): Promise<{ givenName: string; familyName: string } | null> {
  return selectOne(
    db,
    `SELECT p.visitor_given_name AS "givenName", p.visitor_family_name AS "familyName"
       FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id WHERE r.id = $1`,
    [requestId],
  );
}

export function setChildTerms(db: EntityManager, requestId: string, exitTime: string | null, carer: string | null): Promise<number> {
  return execute(db, `UPDATE family_visit_requests SET child_exit_time = $2, child_carer = $3, updated_at = now() WHERE id = $1`, [
    requestId,
    exitTime,
    carer,
  ]);
}

export function setRulesAcknowledged(db: EntityManager, requestId: string, at: Date): Promise<number> {
  return execute(db, `UPDATE family_visit_requests SET rules_acknowledged_at = $2, updated_at = now() WHERE id = $1`, [requestId, at]);
}

/** A document of the family's requests. */
export function documentOfFamily(db: EntityManager, familyAccountId: string, documentId: string): Promise<DocumentRow | null> {
  return selectOne<DocumentRow>(
    db,
    `SELECT ${DOCUMENT_COLUMNS} FROM family_visit_documents fd JOIN family_visit_requests r ON r.id = fd.request_id
       JOIN permits p ON p.id = r.permit_id
      WHERE fd.id = $2 AND fd.deleted_at IS NULL AND (r.family_account_id = $1 OR p.family_account_id = $1)`,
    [familyAccountId, documentId],
  );
}

/** A document of a case of the establishment. */
export function documentOfEstablishment(db: EntityManager, establishmentId: string, documentId: string): Promise<DocumentRow | null> {
  return selectOne<DocumentRow>(
    db,
    `SELECT ${DOCUMENT_COLUMNS} FROM family_visit_documents fd JOIN family_visit_requests r ON r.id = fd.request_id
       JOIN family_visit_cases c ON c.id = r.case_id
      WHERE fd.id = $2 AND fd.deleted_at IS NULL AND c.establishment_id = $1`,
    [establishmentId, documentId],
  );
}

/** The department in charge of the establishment's requests, as acknowledgements and letters name it. */
export async function departmentOf(db: EntityManager, establishmentId: string): Promise<Department> {
  const row = await selectOne<Department>(
    db,
    `SELECT name, address, phone, email, interregional_direction AS "interregionalDirection" FROM establishments WHERE id = $1`,
    [establishmentId],
  );
  if (!row) throw new Error(`Unknown establishment ${establishmentId}`);
  return row;
}

export function familyEmail(
  db: EntityManager,
  familyAccountId: string,
): Promise<{ email: string | null; givenName: string; familyName: string } | null> {
  return selectOne(db, `SELECT email, given_name AS "givenName", family_name AS "familyName" FROM family_accounts WHERE id = $1`, [
    familyAccountId,
  ]);
}

// ---- withdrawal ----

/** Withdraws a request not decided yet (received, or at the magistrate's without an answer); 0 when it was decided meanwhile. */
export function markWithdrawn(db: EntityManager, requestId: string, at: Date): Promise<number> {
  return execute(
    db,
    `UPDATE family_visit_requests SET status = 'WITHDRAWN', withdrawn_at = $2, updated_at = now()
      WHERE id = $1 AND status IN ('RECEIVED','REFERRED') AND magistrate_answer IS NULL`,
    [requestId, at],
  );
}

/** Whether a stay of the case is still to come or under way. */
export async function stayAhead(db: EntityManager, caseId: string): Promise<boolean> {
  return (
    (await selectOne(db, `SELECT 1 FROM family_visit_stays WHERE case_id = $1 AND status IN ('BOOKED','IN_PROGRESS')`, [caseId])) !== null
  );
}

export function setCaseStatus(db: EntityManager, caseId: string, status: string): Promise<number> {
  return execute(db, `UPDATE family_visit_cases SET status = $2, updated_at = now() WHERE id = $1`, [caseId, status]);
}

// ---- the family's request page: its requests in the case, history, convocations, stay ----

/** The family's own condition on a request `r` joined to its permit `p` (filed by the family, or for a permit it holds). */
const OF_FAMILY = `(r.family_account_id = $1 OR p.family_account_id = $1)`;

export interface FamilyCaseRequestRow {
  id: string;
  status: FamilyVisitRequestStatus;
  grantedHours: number | null;
  givenName: string;
  familyName: string;
  birthdate: string;
  /** The request's own first wished day (AAAA-MM-JJ): the day its minority is judged on. */
  ownWishedFrom: string;
  accompaniedBy: string | null;
  /** A minor's accompanying adult, by name. */
  companionGivenName: string | null;
  companionFamilyName: string | null;
}

/** The family's own requests in a case (never another family's), adults first. */
export function familyRequestsOfCase(db: EntityManager, familyAccountId: string, caseId: string): Promise<FamilyCaseRequestRow[]> {
  return select<FamilyCaseRequestRow>(
    db,
    `SELECT r.id, r.status, r.granted_hours AS "grantedHours", p.visitor_given_name AS "givenName", p.visitor_family_name AS "familyName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "birthdate", r.accompanied_by AS "accompaniedBy",
            to_char(r.wished_from, 'YYYY-MM-DD') AS "ownWishedFrom", cp.visitor_given_name AS "companionGivenName", cp.visitor_family_name AS "companionFamilyName"
       FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id
       LEFT JOIN family_visit_requests cr ON cr.id = r.accompanied_by LEFT JOIN permits cp ON cp.id = cr.permit_id
      WHERE r.case_id = $2 AND ${OF_FAMILY}
      ORDER BY p.visitor_birthdate, p.visitor_family_name, p.visitor_given_name, r.id`,
    [familyAccountId, caseId],
  );
}

/** Whether the detainee's own written request of the case has been received (the double request). */
export async function detaineeRequestReceived(db: EntityManager, caseId: string): Promise<boolean> {
  return (await selectOne(db, `SELECT 1 FROM family_visit_requests WHERE case_id = $1 AND applicant = 'DETAINEE'`, [caseId])) !== null;
}

export interface FamilyEventRow {
  at: Date;
  kind: string;
  message: string | null;
}

/**
 * The history the family may read: the case's events marked visible to the family, about one of its
 * own requests or about the case as a whole (never about another family's request of the case).
 */
export function familyEventsOfCase(db: EntityManager, caseId: string, requestIds: string[]): Promise<FamilyEventRow[]> {
  return select<FamilyEventRow>(
    db,
    `SELECT e.at, e.kind, e.message FROM family_visit_events e
      WHERE e.case_id = $1 AND e.visible_to_family AND (e.request_id IS NULL OR e.request_id = ANY($2::uuid[]))
      ORDER BY e.at DESC, e.id`,
    [caseId, requestIds],
  );
}

export interface FamilyInterviewRow {
  id: string;
  at: Date;
  mode: string;
  status: 'SCHEDULED' | 'DONE' | 'CANCELLED';
  appointmentId: string | null;
  appointmentStatus: 'BOOKED' | 'CANCELLED' | null;
  place: string | null;
  address: string | null;
}

/**
 * The interviews of a request with the SPIP, with their convocation (the appointment) when it is this
 * family's; never the counsellor's notes nor assessments.
 */
export function familyInterviewsOfRequest(db: EntityManager, familyAccountId: string, requestId: string): Promise<FamilyInterviewRow[]> {
  return select<FamilyInterviewRow>(
    db,
    `SELECT i.id, i.at, i.mode, i.status, a.id AS "appointmentId", a.status AS "appointmentStatus", a.place, a.address
       FROM family_visit_interviews i
       LEFT JOIN appointments a ON a.id = i.appointment_id AND a.family_account_id = $1
      WHERE i.request_id = $2
      ORDER BY i.at, i.id`,
    [familyAccountId, requestId],
  );
}

export interface FamilyStayRow {
  id: string;
  unitName: string;
  unitKind: FamilyVisitKind;
  accessible: boolean;
  startsAt: Date;
  endsAt: Date;
  /** A PF in two cumulated slots: the lunch break between them; null otherwise. */
  breakFrom: Date | null;
  breakTo: Date | null;
  status: 'BOOKED' | 'IN_PROGRESS' | 'ENDED' | 'ENDED_EARLY' | 'CANCELLED';
}

/** The case's stays in a unit that are not cancelled. */
export function staysOfCase(db: EntityManager, caseId: string): Promise<FamilyStayRow[]> {
  return select<FamilyStayRow>(
    db,
    `SELECT s.id, u.name AS "unitName", u.kind AS "unitKind", u.accessible, lower(s.during) AS "startsAt", upper(s.during) AS "endsAt",
            s.break_from AS "breakFrom", s.break_to AS "breakTo", s.status
       FROM family_visit_stays s JOIN family_units u ON u.id = s.unit_id
      WHERE s.case_id = $1 AND s.status <> 'CANCELLED'
      ORDER BY lower(s.during)`,
    [caseId],
  );
}
