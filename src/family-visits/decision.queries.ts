import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { FamilyVisitKind } from './family-unit.entity';
import type { FamilyVisitRefusalGround, FamilyVisitRequestStatus } from './family-visit-request.entity';
import type { MagistrateAnswer } from './decision.rules';

/** The SQL of the decisions on UVF / PF requests: the head's, the magistrate's as recorded, the implicit rejections. */

export interface DecisionCase {
  id: string;
  reference: string;
  establishmentId: string;
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
  detaineeName: string;
  ecrouNumber: string;
  legalStatus: string;
  establishmentName: string;
  timeZone: string;
}

/** A case of the establishment, as its decisions need it (null: none, or another establishment's). */
export function decisionCase(db: EntityManager, establishmentId: string, id: string, lock = false): Promise<DecisionCase | null> {
  return selectOne<DecisionCase>(
    db,
    `SELECT c.id, c.reference, c.establishment_id AS "establishmentId", c.kind, c.status,
            to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo",
            c.wished_hours AS "wishedHours", to_char(c.cpu_on, 'YYYY-MM-DD') AS "cpuOn", c.cpu_opinion AS "cpuOpinion",
            c.cpu_notes AS "cpuNotes", c.magistrate, c.referred_at AS "referredAt", c.referral_opinion AS "referralOpinion",
            c.proposed_hours AS "proposedHours",
            d.first_name || ' ' || upper(d.last_name) AS "detaineeName", d.ecrou_number AS "ecrouNumber",
            d.legal_status AS "legalStatus", e.name AS "establishmentName", e.time_zone AS "timeZone"
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
  visitorName: string | null;
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
  magistrateAnswer: MagistrateAnswer | null;
  magistrateUntil: string | null;
  accompaniedBy: string | null;
  rulesAcknowledged: boolean;
  doneInterviews: number;
  parentalConsent: boolean;
}

/** The case's requests as decided: the detainee's first, then the visitors' in the order received. */
export function decisionRequests(db: EntityManager, caseId: string): Promise<DecisionRequest[]> {
  return select<DecisionRequest>(
    db,
    `SELECT r.id, r.applicant, r.status, r.received_at AS "receivedAt",
            CASE WHEN p.id IS NULL THEN NULL ELSE p.visitor_given_name || ' ' || upper(p.visitor_family_name) END AS "visitorName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate",
            COALESCE(r.family_account_id, p.family_account_id) AS "familyAccountId", f.email AS "familyEmail",
            r.granted_hours AS "grantedHours", r.granted_slots AS "grantedSlots", r.decided_at AS "decidedAt", r.decided_as AS "decidedAs",
            r.refusal_ground AS "refusalGround", r.decision_facts AS "decisionFacts", r.decision_motivation AS "decisionMotivation",
            r.magistrate_answer AS "magistrateAnswer", to_char(r.magistrate_until, 'YYYY-MM-DD') AS "magistrateUntil",
            r.accompanied_by AS "accompaniedBy", r.rules_acknowledged_at IS NOT NULL AS "rulesAcknowledged",
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
  },
): Promise<boolean> {
  const rows = await execute(
    m,
    `UPDATE family_visit_requests
        SET status = $3, decided_at = $4, decided_by = $5, decided_as = $6, granted_hours = $7, granted_slots = $8,
            refusal_ground = $9, decision_facts = $10, decision_motivation = $11,
            magistrate_answer = $12, magistrate_until = $13, decided_by_magistrate = $14, updated_at = $4
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
      d.magistrate?.until ?? null,
      d.magistrate != null,
    ],
  );
  return rows > 0;
}

export async function setCaseStatus(m: EntityManager, caseId: string, status: string, at: Date): Promise<void> {
  await execute(m, `UPDATE family_visit_cases SET status = $2, updated_at = $3 WHERE id = $1`, [caseId, status, at]);
}

/** The head's transmission of a prévenu's case to the magistrate: the case and its requests still to decide are REFERRED. */
export async function recordReferral(
  m: EntityManager,
  caseId: string,
  r: { magistrate: string; opinion: string; proposedHours: number; at: Date },
): Promise<void> {
  await execute(
    m,
    `UPDATE family_visit_cases SET status = 'REFERRED', magistrate = $2, referral_opinion = $3, proposed_hours = $4, referred_at = $5,
            updated_at = $5 WHERE id = $1`,
    [caseId, r.magistrate, r.opinion, r.proposedHours, r.at],
  );
  await execute(m, `UPDATE family_visit_requests SET status = 'REFERRED', updated_at = $2 WHERE case_id = $1 AND status = 'RECEIVED'`, [
    caseId,
    r.at,
  ]);
}

export interface OverdueCandidate {
  id: string;
  caseId: string;
  establishmentId: string;
  receivedAt: Date;
  timeZone: string;
}

/**
 * Condamnés' requests still to decide received before `before` (a coarse bound: the caller checks
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
      WHERE r.status = 'RECEIVED' AND d.legal_status = 'CONDAMNE' AND r.received_at < $1
      ORDER BY r.received_at, r.id`,
    [before],
  );
}

/** Who the stay of an incident was for, when a magistrate authorised it (a prévenu's case): null otherwise. */
export function magistrateOfStay(
  db: EntityManager,
  stayId: string,
): Promise<{ caseId: string; establishmentId: string; magistrate: string; unit: string } | null> {
  return selectOne(
    db,
    `SELECT c.id AS "caseId", c.establishment_id AS "establishmentId", c.magistrate, u.name AS unit
       FROM family_visit_stays s JOIN family_visit_cases c ON c.id = s.case_id JOIN family_units u ON u.id = s.unit_id
      WHERE s.id = $1 AND c.referred_at IS NOT NULL`,
    [stayId],
  );
}

/** A line of the case's history; `visibleToFamily` shows it on the family's page of the request. */
export async function insertDecisionEvent(
  m: EntityManager,
  e: {
    caseId: string;
    requestId: string | null;
    kind: string;
    message: string;
    visibleToFamily: boolean;
    actorType: 'AGENT' | 'SYSTEM';
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
