import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { FamilyVisitKind } from './family-unit.entity';
import type { FamilyVisitRefusalGround, FamilyVisitRequestStatus } from './family-visit-request.entity';
import type { AuthorisationFollowup } from './decision-authorisation.rules';
import type { MagistrateAnswer } from './decision.rules';
import type { CustodyStatus } from '../detainees/detainee.entity';
import type { PermitLimits } from '../permits/permit-validity';

/** The SQL of the decisions on UVF / PF requests: the head's, the magistrate's as recorded, the implicit rejections. */

export interface DecisionCase {
  id: string;
  reference: string;
  establishmentId: string;
  detaineeId: string;
  kind: FamilyVisitKind;
  status: string;
  wishedFrom: string;
  wishedTo: string;
  wishedHours: number;
  cpuOn: string | null;
  cpuOpinion: string | null;
  cpuNotes: string | null;
  magistrate: string | null;
  referredAt: Date | null;
  referralOpinion: string | null;
  proposedHours: number | null;
  /** PF: the slots the head proposed (and fixed) at the transmission; null for a UVF, or a PF transmitted before they were recorded (one). */
  proposedSlots: 1 | 2 | null;
  detaineeName: string;
  ecrouNumber: string;
  legalStatus: string;
  establishmentName: string;
  timeZone: string;
  /** PRESENT, or LIBERE / TRANSFERE once the detainee has left the establishment. */
  custodyStatus: CustodyStatus;
}

/** A case of the establishment, as its decisions need it (null: none, or another establishment's). */
export function decisionCase(db: EntityManager, establishmentId: string, id: string, lock = false): Promise<DecisionCase | null> {
  return selectOne<DecisionCase>(
    db,
    `SELECT c.id, c.reference, c.establishment_id AS "establishmentId", c.detainee_id AS "detaineeId", c.kind, c.status,
            to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo",
            c.wished_hours AS "wishedHours", to_char(c.cpu_on, 'YYYY-MM-DD') AS "cpuOn", c.cpu_opinion AS "cpuOpinion",
            c.cpu_notes AS "cpuNotes", c.magistrate, c.referred_at AS "referredAt", c.referral_opinion AS "referralOpinion",
            c.proposed_hours AS "proposedHours", c.proposed_slots AS "proposedSlots",
            d.first_name || ' ' || upper(d.last_name) AS "detaineeName", d.ecrou_number AS "ecrouNumber",
            d.legal_status AS "legalStatus", e.name AS "establishmentName", e.time_zone AS "timeZone",
            d.custody_status AS "custodyStatus"
       FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id JOIN establishments e ON e.id = c.establishment_id
      WHERE c.id = $1 AND c.establishment_id = $2 ${lock ? 'FOR UPDATE OF c' : ''}`,
    [id, establishmentId],
  );
}

export interface DecisionRequest {
  id: string;
  applicant: 'DETAINEE' | 'VISITOR';
  status: FamilyVisitRequestStatus;
  receivedAt: Date;
  /** This request's own wished period (AAAA-MM-JJ) and duration: what the applicant asked for, stated in its letters. */
  wishedFrom: string;
  wishedTo: string;
  wishedHours: number;
  visitorName: string | null;
  /** The visitor's permit and names as on it (null for the detainee's request): who the visitor is, for a reused authorisation. */
  permitId: string | null;
  visitorGivenName: string | null;
  visitorFamilyName: string | null;
  visitorBirthdate: string | null;
  familyAccountId: string | null;
  familyEmail: string | null;
  grantedHours: number | null;
  grantedSlots: 1 | 2 | null;
  decidedAt: Date | null;
  decidedAs: string | null;
  refusalGround: FamilyVisitRefusalGround | null;
  decisionFacts: string | null;
  decisionMotivation: string | null;
  decidedByMagistrate: boolean;
  magistrateAnswer: MagistrateAnswer | null;
  magistrateUntil: string | null;
  /** Granted by the head within the magistrate's authorisation held by this earlier request. */
  reusedAuthorisationFrom: string | null;
  /** On a request holding the magistrate's authorisation: his follow-up after an incident, and its date. */
  authorisationFollowup: AuthorisationFollowup | null;
  authorisationFollowupOn: string | null;
  accompaniedBy: string | null;
  rulesAcknowledged: boolean;
  doneInterviews: number;
  parentalConsent: boolean;
  /** The visitor's visit permit as permitState reads it (null for the detainee's request). */
  permit: PermitLimits | null;
}

/** The case's requests as decided: the detainee's first, then the visitors' in the order received. */
export function decisionRequests(db: EntityManager, caseId: string): Promise<DecisionRequest[]> {
  return select<DecisionRequest>(
    db,
    `SELECT r.id, r.applicant, r.status, r.received_at AS "receivedAt",
            to_char(r.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(r.wished_to, 'YYYY-MM-DD') AS "wishedTo",
            r.wished_hours AS "wishedHours",
            CASE WHEN p.id IS NULL THEN NULL ELSE p.visitor_given_name || ' ' || upper(p.visitor_family_name) END AS "visitorName",
            r.permit_id AS "permitId", p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate",
            COALESCE(r.family_account_id, p.family_account_id) AS "familyAccountId", f.email AS "familyEmail",
            r.granted_hours AS "grantedHours", r.granted_slots AS "grantedSlots", r.decided_at AS "decidedAt", r.decided_as AS "decidedAs",
            r.refusal_ground AS "refusalGround", r.decision_facts AS "decisionFacts", r.decision_motivation AS "decisionMotivation",
            r.decided_by_magistrate AS "decidedByMagistrate", r.magistrate_answer AS "magistrateAnswer",
            to_char(r.magistrate_until, 'YYYY-MM-DD') AS "magistrateUntil", r.reused_authorisation_from AS "reusedAuthorisationFrom",
            r.authorisation_followup AS "authorisationFollowup", to_char(r.authorisation_followup_on, 'YYYY-MM-DD') AS "authorisationFollowupOn",
            r.accompanied_by AS "accompaniedBy", r.rules_acknowledged_at IS NOT NULL AS "rulesAcknowledged",
            CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object(
              'status', p.status, 'validFrom', to_char(p.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(p.valid_to, 'YYYY-MM-DD'),
              'maxVisits', p.max_visits,
              'visitsUsed', (SELECT count(DISTINCT v.id)::int FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id
                              WHERE vv.permit_id = p.id AND vv.active AND v.status <> 'CANCELLED')) END AS permit,
            (SELECT count(*)::int FROM family_visit_interviews i WHERE i.request_id = r.id AND i.status = 'DONE') AS "doneInterviews",
            EXISTS (SELECT 1 FROM family_visit_documents d
                     WHERE d.request_id = r.id AND d.kind = 'PARENTAL_CONSENT' AND d.deleted_at IS NULL) AS "parentalConsent"
       FROM family_visit_requests r
       LEFT JOIN permits p ON p.id = r.permit_id
       LEFT JOIN family_accounts f ON f.id = COALESCE(r.family_account_id, p.family_account_id)
      WHERE r.case_id = $1
      ORDER BY (r.applicant = 'DETAINEE') DESC, r.received_at, r.id`,
    [caseId],
  );
}

export interface Decided {
  at: Date;
  by: string | null;
  /** The signatory as printed; null for an implicit rejection (nobody signed) or the magistrate's decision. */
  as: string | null;
}

/** Records a decision on a request still to decide (RECEIVED, or REFERRED for the magistrate's); false when it was not. */
export async function recordRequestDecision(
  m: EntityManager,
  requestId: string,
  from: FamilyVisitRequestStatus,
  d: Decided & {
    status: 'GRANTED' | 'REFUSED' | 'IMPLICITLY_REJECTED';
    hours?: number | null;
    slots?: 1 | 2 | null;
    ground?: FamilyVisitRefusalGround | null;
    facts?: string | null;
    motivation?: string | null;
    magistrate?: { answer: MagistrateAnswer; until: string | null } | null;
    /** A grant by the head within the magistrate's authorisation held by this earlier request, and that authorisation's last day. */
    reused?: { from: string; until: string | null } | null;
  },
): Promise<boolean> {
  const rows = await execute(
    m,
    `UPDATE family_visit_requests
        SET status = $3, decided_at = $4, decided_by = $5, decided_as = $6, granted_hours = $7, granted_slots = $8,
            refusal_ground = $9, decision_facts = $10, decision_motivation = $11,
            magistrate_answer = $12, magistrate_until = $13, decided_by_magistrate = $14, reused_authorisation_from = $15, updated_at = $4
      WHERE id = $1 AND status = $2`,
    [
      requestId,
      from,
      d.status,
      d.at,
      d.by,
      d.as,
      d.hours ?? null,
      d.slots ?? null,
      d.ground ?? null,
      d.facts ?? null,
      d.motivation ?? null,
      d.magistrate?.answer ?? null,
      d.magistrate ? d.magistrate.until : (d.reused?.until ?? null),
      d.magistrate != null,
      d.reused?.from ?? null,
    ],
  );
  return rows > 0;
}

export async function setCaseStatus(m: EntityManager, caseId: string, status: string, at: Date): Promise<void> {
  await execute(m, `UPDATE family_visit_cases SET status = $2, updated_at = $3 WHERE id = $1`, [caseId, status, at]);
}

/**
 * The head's transmission of a prévenu's case to the magistrate: the case is REFERRED, and so are the
 * requests transmitted (those still to decide that no authorisation of the magistrate covers).
 */
export async function recordReferral(
  m: EntityManager,
  caseId: string,
  r: { magistrate: string; opinion: string; proposedHours: number; proposedSlots: 1 | 2 | null; at: Date; requestIds: string[] },
): Promise<void> {
  await execute(
    m,
    `UPDATE family_visit_cases SET status = 'REFERRED', magistrate = $2, referral_opinion = $3, proposed_hours = $4, referred_at = $5,
            proposed_slots = $6, updated_at = $5 WHERE id = $1`,
    [caseId, r.magistrate, r.opinion, r.proposedHours, r.at, r.proposedSlots],
  );
  await execute(
    m,
    `UPDATE family_visit_requests SET status = 'REFERRED', updated_at = $2 WHERE case_id = $1 AND status = 'RECEIVED' AND id = ANY($3::uuid[])`,
    [caseId, r.at, r.requestIds],
  );
}

export interface OverdueCandidate {
  id: string;
  caseId: string;
  establishmentId: string;
  receivedAt: Date;
  timeZone: string;
}

/**
 * Condamnés' requests still to decide received before `before`, of detainees still in custody (no
 * implicit-rejection letter for someone released or transferred) (a coarse bound: the caller checks
 * each deadline on the establishment's day).
 */
export function undecidedCondamneRequests(db: EntityManager, before: Date): Promise<OverdueCandidate[]> {
  return select<OverdueCandidate>(
    db,
    `SELECT r.id, r.case_id AS "caseId", c.establishment_id AS "establishmentId", r.received_at AS "receivedAt", e.time_zone AS "timeZone"
       FROM family_visit_requests r
       JOIN family_visit_cases c ON c.id = r.case_id
       JOIN detainees d ON d.id = c.detainee_id
       JOIN establishments e ON e.id = c.establishment_id
      WHERE r.status = 'RECEIVED' AND d.legal_status = 'CONDAMNE' AND d.custody_status = 'PRESENT' AND r.received_at < $1
      ORDER BY r.received_at, r.id`,
    [before],
  );
}

/**
 * Who the stay of an incident was for, when a magistrate authorised it (a prévenu's case transmitted to
 * him, or granted within his earlier authorisation): null otherwise.
 */
export async function magistrateOfStay(
  db: EntityManager,
  stayId: string,
): Promise<{ caseId: string; establishmentId: string; magistrate: string; unit: string } | null> {
  const row = await selectOne<{ caseId: string; establishmentId: string; magistrate: string | null; unit: string }>(
    db,
    `SELECT c.id AS "caseId", c.establishment_id AS "establishmentId", u.name AS unit,
            COALESCE(CASE WHEN c.referred_at IS NOT NULL THEN c.magistrate END,
                     (SELECT a.magistrate FROM family_visit_requests r
                        JOIN family_visit_requests src ON src.id = r.reused_authorisation_from
                        JOIN family_visit_cases a ON a.id = src.case_id
                       WHERE r.case_id = c.id
                       ORDER BY (r.applicant = 'DETAINEE') DESC, r.decided_at LIMIT 1)) AS magistrate
       FROM family_visit_stays s JOIN family_visit_cases c ON c.id = s.case_id JOIN family_units u ON u.id = s.unit_id
      WHERE s.id = $1`,
    [stayId],
  );
  return row?.magistrate ? { ...row, magistrate: row.magistrate } : null;
}

/** An answer of the magistrate on a request of the detainee (any case of theirs, this kind), as the reuse rules read it. */
export interface MagistrateDecisionRow {
  requestId: string;
  caseId: string;
  caseReference: string;
  kind: FamilyVisitKind;
  applicant: 'DETAINEE' | 'VISITOR';
  permitId: string | null;
  visitorGivenName: string | null;
  visitorFamilyName: string | null;
  visitorBirthdate: string | null;
  answer: MagistrateAnswer;
  until: string | null;
  decidedAt: Date;
  followup: AuthorisationFollowup | null;
  followupOn: string | null;
  magistrate: string | null;
}

/**
 * The magistrate's answers on the detainee's requests of this kind (every case), oldest first. With
 * `lock`, their rows are share-locked: a withdrawal (which locks the row for update) waits for the grant
 * that reuses one, or the grant sees the withdrawal.
 */
export function magistrateDecisionsOf(
  db: EntityManager,
  detaineeId: string,
  kind: FamilyVisitKind,
  lock = false,
): Promise<MagistrateDecisionRow[]> {
  return select<MagistrateDecisionRow>(
    db,
    `SELECT r.id AS "requestId", c.id AS "caseId", c.reference AS "caseReference", c.kind, r.applicant, r.permit_id AS "permitId",
            p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", r.magistrate_answer AS answer,
            to_char(r.magistrate_until, 'YYYY-MM-DD') AS until, r.decided_at AS "decidedAt",
            r.authorisation_followup AS followup, to_char(r.authorisation_followup_on, 'YYYY-MM-DD') AS "followupOn", c.magistrate
       FROM family_visit_requests r
       JOIN family_visit_cases c ON c.id = r.case_id
       LEFT JOIN permits p ON p.id = r.permit_id
      WHERE c.detainee_id = $1 AND c.kind = $2 AND r.decided_by_magistrate AND r.status IN ('GRANTED','REFUSED')
      ORDER BY r.decided_at, r.id ${lock ? 'FOR SHARE OF r' : ''}`,
    [detaineeId, kind],
  );
}

/** The request holding a magistrate's authorisation, locked for its follow-up. */
export function lockAuthorisation(m: EntityManager, requestId: string): Promise<{ followup: AuthorisationFollowup | null } | null> {
  return selectOne(m, `SELECT authorisation_followup AS followup FROM family_visit_requests WHERE id = $1 FOR UPDATE`, [requestId]);
}

/** The cases whose granted requests rest on this authorisation (its own, and those granted within it). */
export async function casesResting(db: EntityManager, requestId: string): Promise<string[]> {
  const rows = await select<{ caseId: string }>(
    db,
    `SELECT DISTINCT case_id AS "caseId" FROM family_visit_requests
      WHERE status = 'GRANTED' AND (id = $1 OR reused_authorisation_from = $1) ORDER BY 1`,
    [requestId],
  );
  return rows.map((r) => r.caseId);
}

/** Locks cases (in id order, as a booking locks its case): a booking waits for a withdrawal, or the withdrawal sees its stay. */
export async function lockCases(m: EntityManager, caseIds: string[]): Promise<void> {
  if (caseIds.length) await select(m, `SELECT 1 FROM family_visit_cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [caseIds]);
}

/** Records the magistrate's follow-up on his authorisation (maintained or withdrawn, with the date of his decision). */
export async function recordFollowup(
  m: EntityManager,
  requestId: string,
  f: { outcome: AuthorisationFollowup; on: string; at: Date },
): Promise<void> {
  await execute(
    m,
    `UPDATE family_visit_requests SET authorisation_followup = $2, authorisation_followup_on = $3, updated_at = $4 WHERE id = $1`,
    [requestId, f.outcome, f.on, f.at],
  );
}

/**
 * A withdrawn authorisation ends the day before its withdrawal, on every granted request resting on it
 * (its own and those granted within it): the booking of a stay, which reads `magistrate_until`, is
 * refused past that day (the magistrate's answer itself is kept in `magistrate_answer`).
 */
export async function endAuthorisation(m: EntityManager, requestId: string, lastDay: string, at: Date): Promise<void> {
  await execute(
    m,
    `UPDATE family_visit_requests SET magistrate_until = LEAST(magistrate_until, $2::date), updated_at = $3
      WHERE status = 'GRANTED' AND (id = $1 OR reused_authorisation_from = $1)`,
    [requestId, lastDay, at],
  );
}

/** The stays still to come (booked) of cases whose granted requests rest on a withdrawn authorisation. */
export function staysUnderWithdrawnAuthorisation(db: EntityManager, caseId: string): Promise<{ stayId: string; withdrawnOn: string }[]> {
  return select(
    db,
    `SELECT DISTINCT s.id AS "stayId", to_char(src.authorisation_followup_on, 'YYYY-MM-DD') AS "withdrawnOn"
       FROM family_visit_stays s
       JOIN family_visit_requests r ON r.case_id = s.case_id AND r.status = 'GRANTED'
       JOIN family_visit_requests src ON src.id = COALESCE(r.reused_authorisation_from, r.id)
      WHERE s.case_id = $1 AND s.status = 'BOOKED' AND src.authorisation_followup = 'WITHDRAWN'`,
    [caseId],
  );
}

/** The agent as named on a notification: « Prénom NOM, qualité » (their quality, else their role in the establishment). */
export async function notifierOf(db: EntityManager, establishmentId: string, agentId: string): Promise<string | null> {
  const row = await selectOne<{ firstName: string; lastName: string; quality: string | null; roles: string[] }>(
    db,
    `SELECT a.first_name AS "firstName", a.last_name AS "lastName", a.quality,
            ARRAY(SELECT r.role FROM role_assignments r WHERE r.agent_id = a.id AND r.establishment_id = $2 ORDER BY r.role) AS roles
       FROM agents a WHERE a.id = $1`,
    [agentId, establishmentId],
  );
  if (!row) return null;
  const quality = row.quality ?? QUALITY_BY_ROLE.find(([role]) => row.roles.includes(role))?.[1] ?? 'agent de l’établissement';
  return `${row.firstName} ${row.lastName.toUpperCase()}, ${quality}`;
}

/** A quality from the agent's role, most senior first. */
const QUALITY_BY_ROLE: [string, string][] = [
  ['HEAD_OF_ESTABLISHMENT', 'chef d’établissement'],
  ['SPIP_COUNSELLOR', 'conseiller pénitentiaire d’insertion et de probation'],
  ['PERMITS_OFFICER', 'agent du greffe'],
  ['PARLOIR_AGENT', 'agent parloir'],
];

/** A line of the case's history; `visibleToFamily` shows it on the family's page of the request. */
export async function insertDecisionEvent(
  m: EntityManager,
  e: {
    caseId: string;
    requestId: string | null;
    kind: string;
    message: string;
    visibleToFamily: boolean;
    actorType: 'AGENT' | 'FAMILY' | 'SYSTEM';
    actorId: string | null;
    at: Date;
  },
): Promise<void> {
  await execute(
    m,
    `INSERT INTO family_visit_events (case_id, request_id, at, kind, message, visible_to_family, actor_type, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.caseId, e.requestId, e.at, e.kind, e.message, e.visibleToFamily, e.actorType, e.actorId],
  );
}

/** Whether the case has a stay booked, in progress or done (not cancelled). */
export async function caseHasLiveStay(db: EntityManager, caseId: string): Promise<boolean> {
  return (await selectOne(db, `SELECT 1 FROM family_visit_stays WHERE case_id = $1 AND status <> 'CANCELLED'`, [caseId])) !== null;
}

/** Whether the agent holds this role in the establishment. */
export async function holdsRoleAt(db: EntityManager, agentId: string, establishmentId: string, role: string): Promise<boolean> {
  return (
    (await selectOne(db, `SELECT 1 FROM role_assignments WHERE agent_id = $1 AND establishment_id = $2 AND role = $3`, [
      agentId,
      establishmentId,
      role,
    ])) !== null
  );
}
