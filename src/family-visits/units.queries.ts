import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { CustodyStatus } from '../detainees/detainee.entity';
import type { FamilyVisitKind } from './family-unit.entity';
import type { StayStatus } from './family-visit-stay.entity';
import type { StayVisitorRow } from './stay-door.rules';
import type { InterventionCause, StayEventKind, VisitingHours } from './units.rules';
import { FAMILY_REQUEST_IDS } from './requests.queries';

export interface UnitRow {
  id: string;
  kind: FamilyVisitKind;
  name: string;
  capacity: number;
  accessible: boolean;
  active: boolean;
  houseRules: string | null;
}

export interface NewUnit {
  kind: FamilyVisitKind;
  name: string;
  capacity: number;
  accessible: boolean;
  houseRules: string | null;
}

const UNIT = `id, kind, name, capacity, accessible, active, house_rules AS "houseRules"`;

export function unitsOf(db: EntityManager, establishmentId: string): Promise<UnitRow[]> {
  return select<UnitRow>(db, `SELECT ${UNIT} FROM family_units WHERE establishment_id = $1 ORDER BY active DESC, kind, name`, [
    establishmentId,
  ]);
}

export function unitOf(db: EntityManager, establishmentId: string, id: string, lock?: 'SHARE' | 'UPDATE'): Promise<UnitRow | null> {
  return selectOne<UnitRow>(db, `SELECT ${UNIT} FROM family_units WHERE establishment_id = $1 AND id = $2${lock ? ` FOR ${lock}` : ''}`, [
    establishmentId,
    id,
  ]);
}

export function unitNamed(db: EntityManager, establishmentId: string, name: string, except?: string): Promise<{ id: string } | null> {
  return selectOne<{ id: string }>(
    db,
    `SELECT id FROM family_units WHERE establishment_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3::uuid`,
    [establishmentId, name, except ?? null],
  );
}

export async function insertUnit(db: EntityManager, establishmentId: string, u: NewUnit): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO family_units (establishment_id, kind, name, capacity, accessible, house_rules) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [establishmentId, u.kind, u.name, u.capacity, u.accessible === true, u.houseRules],
  );
  return rows[0].id;
}

export function updateUnit(
  db: EntityManager,
  id: string,
  u: { name: string; capacity: number; accessible: boolean; active: boolean; houseRules: string | null },
) {
  return execute(db, `UPDATE family_units SET name = $2, capacity = $3, accessible = $4, active = $5, house_rules = $6 WHERE id = $1`, [
    id,
    u.name,
    u.capacity,
    u.accessible === true,
    u.active === true,
    u.houseRules,
  ]);
}

/** The most visitors of a stay still to come or in progress in the unit (0 if none). */
export async function mostVisitorsAhead(db: EntityManager, unitId: string, now: Date): Promise<number> {
  const row = await selectOne<{ n: number }>(
    db,
    `SELECT coalesce(max(visitors), 0)::int AS n FROM family_visit_stays
      WHERE unit_id = $1 AND status IN ('BOOKED','IN_PROGRESS') AND upper(during) > $2`,
    [unitId, now],
  );
  return row?.n ?? 0;
}

/** An authorised case and what its GRANTED requests allow. */
export interface BookableCase {
  id: string;
  reference: string;
  kind: FamilyVisitKind;
  detaineeId: string;
  detaineeName: string;
  /** PRESENT, or LIBERE / TRANSFERE once the detainee has left: then no stay may be booked. */
  custodyStatus: CustodyStatus;
  grantedHours: number | null;
  /** 2 when every GRANTED request of the case is for a PF in two cumulated slots; 1 otherwise. */
  grantedSlots: 1 | 2;
  grantedVisitors: number;
  /** Whether the detainee's own request is granted (without it, no visit). */
  detaineeGranted: boolean;
  /** The earliest end of a magistrate's temporary authorisation among the granted requests (AAAA-MM-JJ), if any. */
  authorisedUntil: string | null;
  /** The earliest withdrawal by the magistrate of an authorisation a granted request rests on (AAAA-MM-JJ), if any. */
  authorisationWithdrawnOn: string | null;
  /** The period the granted requests wished (AAAA-MM-JJ): the earliest first day and the latest last day. */
  wishedFrom: string;
  wishedTo: string;
  /** The waiting list's priority data (family_visit_cases). */
  noLeavePossible: boolean;
  distanceKm: number | null;
}

/** The case's slots: 2 when every GRANTED request of the case `caseId` (an SQL expression) is for two cumulated slots. */
const GRANTED_SLOTS = (caseId: string) =>
  `(SELECT coalesce(min(coalesce(r.granted_slots, 1)), 1)::int FROM family_visit_requests r
     WHERE r.case_id = ${caseId} AND r.status = 'GRANTED')`;

/**
 * The magistrate's authorisation the GRANTED requests of the case `caseId` (an SQL expression) hold:
 * the earliest last day of a temporary one or of a withdrawn one (`magistrate_until`), and the earliest
 * withdrawal of an authorisation they rest on (their own, or the one they were granted within).
 */
const AUTHORISATION = (caseId: string) =>
  `(SELECT to_char(min(r.magistrate_until), 'YYYY-MM-DD') FROM family_visit_requests r
     WHERE r.case_id = ${caseId} AND r.status = 'GRANTED') AS "authorisedUntil",
   (SELECT to_char(min(src.authorisation_followup_on), 'YYYY-MM-DD')
      FROM family_visit_requests r JOIN family_visit_requests src ON src.id = coalesce(r.reused_authorisation_from, r.id)
     WHERE r.case_id = ${caseId} AND r.status = 'GRANTED' AND src.authorisation_followup = 'WITHDRAWN') AS "authorisationWithdrawnOn"`;

/** The case (locked: the case for update, the detainee for share, so that his custody cannot change under a booking). */
export function bookableCase(db: EntityManager, establishmentId: string, caseId: string, lock = false): Promise<BookableCase | null> {
  return selectOne<BookableCase>(
    db,
    `SELECT c.id, c.reference, c.kind, c.detainee_id AS "detaineeId", d.first_name || ' ' || upper(d.last_name) AS "detaineeName",
            d.custody_status AS "custodyStatus",
            (SELECT min(r.granted_hours)::int FROM family_visit_requests r WHERE r.case_id = c.id AND r.status = 'GRANTED') AS "grantedHours",
            ${GRANTED_SLOTS('c.id')} AS "grantedSlots",
            (SELECT count(*)::int FROM family_visit_requests r
              WHERE r.case_id = c.id AND r.status = 'GRANTED' AND r.applicant = 'VISITOR') AS "grantedVisitors",
            EXISTS (SELECT 1 FROM family_visit_requests r
                     WHERE r.case_id = c.id AND r.status = 'GRANTED' AND r.applicant = 'DETAINEE') AS "detaineeGranted",
            ${AUTHORISATION('c.id')},
            (SELECT to_char(coalesce(min(r.wished_from), c.wished_from), 'YYYY-MM-DD') FROM family_visit_requests r
              WHERE r.case_id = c.id AND r.status = 'GRANTED') AS "wishedFrom",
            (SELECT to_char(coalesce(max(r.wished_to), c.wished_to), 'YYYY-MM-DD') FROM family_visit_requests r
              WHERE r.case_id = c.id AND r.status = 'GRANTED') AS "wishedTo",
            c.no_leave_possible AS "noLeavePossible", c.distance_km AS "distanceKm"
       FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id
      WHERE c.establishment_id = $1 AND c.id = $2${lock ? ' FOR UPDATE OF c FOR SHARE OF d' : ''}`,
    [establishmentId, caseId],
  );
}

export async function caseHasStay(db: EntityManager, caseId: string): Promise<boolean> {
  return (await selectOne(db, `SELECT 1 FROM family_visit_stays WHERE case_id = $1 AND status <> 'CANCELLED'`, [caseId])) !== null;
}

export interface OtherStay {
  unitName: string;
  startsAt: Date;
  endsAt: Date;
}

/** The detainee's stay (not cancelled) meeting [from, to), another than `exceptStay`: the first one, or null. */
export function detaineeStayDuring(
  db: EntityManager,
  detaineeId: string,
  from: Date,
  to: Date,
  exceptStay: string | null,
): Promise<OtherStay | null> {
  return selectOne<OtherStay>(
    db,
    `SELECT u.name AS "unitName", lower(s.during) AS "startsAt", upper(s.during) AS "endsAt"
       FROM family_visit_stays s JOIN family_units u ON u.id = s.unit_id
      WHERE s.detainee_id = $1 AND s.status <> 'CANCELLED' AND s.during && tstzrange($2, $3, '[)') AND s.id IS DISTINCT FROM $4::uuid
      ORDER BY lower(s.during) LIMIT 1`,
    [detaineeId, from, to, exceptStay],
  );
}

export async function insertStay(
  db: EntityManager,
  s: { caseId: string; unitId: string; from: Date; to: Date; breakFrom: Date | null; breakTo: Date | null; visitors: number },
): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO family_visit_stays (case_id, unit_id, during, break_from, break_to, visitors)
     VALUES ($1, $2, tstzrange($3, $4, '[)'), $5, $6, $7) RETURNING id`,
    [s.caseId, s.unitId, s.from, s.to, s.breakFrom, s.breakTo, s.visitors],
  );
  return rows[0].id;
}

/** The waiting list's priority data of a case. */
export function setCasePriority(db: EntityManager, caseId: string, p: { noLeavePossible: boolean; distanceKm: number | null }) {
  return execute(db, `UPDATE family_visit_cases SET no_leave_possible = $2, distance_km = $3, updated_at = now() WHERE id = $1`, [
    caseId,
    p.noLeavePossible,
    p.distanceKm,
  ]);
}

/** A line of the case's history (family_visit_events), written by an agent. */
export function insertCaseEvent(
  db: EntityManager,
  e: { caseId: string; kind: string; message: string; at: Date; agentId: string | null; visibleToFamily: boolean },
) {
  return execute(
    db,
    `INSERT INTO family_visit_events (case_id, at, kind, message, visible_to_family, actor_type, actor_id)
     VALUES ($1, $2, $3, $4, $5, 'AGENT', $6)`,
    [e.caseId, e.at, e.kind, e.message, e.visibleToFamily, e.agentId],
  );
}

/**
 * The family accounts to tell of a change to the case's stay: each account holding a GRANTED request
 * of the case (filed by it, or the permit held by it: those who see the stay), once, with its first
 * such request (where its history line goes).
 */
export interface FamilyToTell {
  familyAccountId: string;
  email: string | null;
  mobilePhone: string | null;
  requestId: string;
  establishmentName: string;
}

export function familiesToTell(db: EntityManager, caseId: string): Promise<FamilyToTell[]> {
  return select<FamilyToTell>(
    db,
    `SELECT DISTINCT ON (f.id) f.id AS "familyAccountId", f.email, f.mobile_phone AS "mobilePhone", r.id AS "requestId",
            e.name AS "establishmentName"
       FROM family_visit_requests r
       JOIN family_visit_cases c ON c.id = r.case_id
       JOIN establishments e ON e.id = c.establishment_id
       LEFT JOIN permits p ON p.id = r.permit_id
       JOIN family_accounts f ON f.id = r.family_account_id OR f.id = p.family_account_id
      WHERE r.case_id = $1 AND r.status = 'GRANTED'
      ORDER BY f.id, r.received_at, r.id`,
    [caseId],
  );
}

/** A line of the history the family reads on its request's page. */
export function insertFamilyEvent(
  db: EntityManager,
  e: { caseId: string; requestId: string; kind: string; message: string; at: Date; agentId: string | null },
) {
  return execute(
    db,
    `INSERT INTO family_visit_events (case_id, request_id, at, kind, message, visible_to_family, actor_type, actor_id)
     VALUES ($1, $2, $3, $4, $5, true, 'AGENT', $6)`,
    [e.caseId, e.requestId, e.at, e.kind, e.message, e.agentId],
  );
}

/** Authorised cases (a visitor's request GRANTED) without a stay yet, with what ranks them. */
export interface WaitingRow {
  caseId: string;
  reference: string;
  kind: FamilyVisitKind;
  detaineeName: string;
  /** A detainee released or transferred stays on the list, marked: no stay may be booked for him. */
  custodyStatus: CustodyStatus;
  noLeavePossible: boolean;
  distanceKm: number | null;
  lastStayAt: Date | null;
  authorisedAt: Date;
  grantedHours: number;
  grantedSlots: 1 | 2;
  grantedVisitors: number;
}

export function waitingCases(db: EntityManager, establishmentId: string): Promise<WaitingRow[]> {
  return select<WaitingRow>(
    db,
    `SELECT c.id AS "caseId", c.reference, c.kind, d.first_name || ' ' || upper(d.last_name) AS "detaineeName",
            d.custody_status AS "custodyStatus", c.no_leave_possible AS "noLeavePossible", c.distance_km AS "distanceKm",
            (SELECT max(upper(s.during)) FROM family_visit_stays s JOIN family_visit_cases o ON o.id = s.case_id
              WHERE o.detainee_id = c.detainee_id AND s.status NOT IN ('BOOKED','CANCELLED')) AS "lastStayAt",
            g.authorised_at AS "authorisedAt", g.hours AS "grantedHours", ${GRANTED_SLOTS('c.id')} AS "grantedSlots",
            g.visitors AS "grantedVisitors"
       FROM family_visit_cases c
       JOIN detainees d ON d.id = c.detainee_id
       JOIN LATERAL (SELECT min(r.decided_at) AS authorised_at, min(r.granted_hours)::int AS hours,
                            count(*) FILTER (WHERE r.applicant = 'VISITOR')::int AS visitors
                       FROM family_visit_requests r WHERE r.case_id = c.id AND r.status = 'GRANTED') g ON g.visitors > 0
      WHERE c.establishment_id = $1 AND c.status <> 'CLOSED'
        AND EXISTS (SELECT 1 FROM family_visit_requests r WHERE r.case_id = c.id AND r.applicant = 'DETAINEE' AND r.status = 'GRANTED')
        AND NOT EXISTS (SELECT 1 FROM family_visit_stays s WHERE s.case_id = c.id AND s.status <> 'CANCELLED')`,
    [establishmentId],
  );
}

export interface StayRow {
  id: string;
  caseId: string;
  reference: string;
  unitId: string;
  unitName: string;
  kind: FamilyVisitKind;
  detaineeId: string;
  detaineeName: string;
  custodyStatus: CustodyStatus;
  /** The magistrate's authorisation of the case's granted requests: its earliest last day, its earliest withdrawal (AAAA-MM-JJ). */
  authorisedUntil: string | null;
  authorisationWithdrawnOn: string | null;
  startsAt: Date;
  endsAt: Date;
  /** A PF in two cumulated slots: the break inside [startsAt, endsAt); null otherwise. */
  breakFrom: Date | null;
  breakTo: Date | null;
  visitors: number;
  status: StayStatus;
  endedAt: Date | null;
  endReason: string | null;
}

const STAY = `s.id, s.case_id AS "caseId", c.reference, s.unit_id AS "unitId", u.name AS "unitName", u.kind,
              s.detainee_id AS "detaineeId", d.first_name || ' ' || upper(d.last_name) AS "detaineeName",
              d.custody_status AS "custodyStatus", ${AUTHORISATION('s.case_id')}, lower(s.during) AS "startsAt", upper(s.during) AS "endsAt",
              s.break_from AS "breakFrom", s.break_to AS "breakTo", s.visitors, s.status, s.ended_at AS "endedAt", s.end_reason AS "endReason"
         FROM family_visit_stays s JOIN family_units u ON u.id = s.unit_id
         JOIN family_visit_cases c ON c.id = s.case_id JOIN detainees d ON d.id = c.detainee_id`;

/** The stays of the establishment's units meeting [from, to), not cancelled. */
export function staysBetween(db: EntityManager, establishmentId: string, from: Date, to: Date): Promise<StayRow[]> {
  return select<StayRow>(
    db,
    `SELECT ${STAY} WHERE u.establishment_id = $1 AND s.status <> 'CANCELLED' AND s.during && tstzrange($2, $3, '[)')
      ORDER BY lower(s.during), u.name`,
    [establishmentId, from, to],
  );
}

/**
 * The GRANTED visitors of these cases, by case, adults and children by birth date: who they are (the
 * permit's name, birth date, relationship and photo), a minor's accompanying adult, exit time and carer,
 * and the permit's limits as they are now (visits used: those booked or made with it, as the permits count).
 * Locked: the permits for share, so that a suspension or a withdrawal waits for the booking that checked them.
 */
export function stayVisitors(db: EntityManager, caseIds: string[], lock = false): Promise<StayVisitorRow[]> {
  return select<StayVisitorRow>(
    db,
    `SELECT r.case_id AS "caseId", r.id AS "requestId", p.visitor_given_name || ' ' || upper(p.visitor_family_name) AS name,
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS birthdate, p.relationship, p.photo_document_id AS "photoDocumentId",
            cp.visitor_given_name || ' ' || upper(cp.visitor_family_name) AS "companionName",
            to_char(r.child_exit_time, 'HH24:MI') AS "childExitTime", r.child_carer AS "childCarer",
            json_build_object('status', p.status, 'validFrom', to_char(p.valid_from, 'YYYY-MM-DD'), 'validTo', to_char(p.valid_to, 'YYYY-MM-DD'),
              'maxVisits', p.max_visits,
              'visitsUsed', (SELECT count(*) FROM visit_visitors uv JOIN visits u ON u.id = uv.visit_id
                              WHERE uv.permit_id = p.id AND u.status <> 'CANCELLED')) AS permit
       FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id
       LEFT JOIN family_visit_requests cr ON cr.id = r.accompanied_by LEFT JOIN permits cp ON cp.id = cr.permit_id
      WHERE r.case_id = ANY($1::uuid[]) AND r.applicant = 'VISITOR' AND r.status = 'GRANTED'
      ORDER BY r.case_id, p.visitor_birthdate, p.visitor_family_name, p.visitor_given_name, r.id${lock ? ' FOR SHARE OF p' : ''}`,
    [caseIds],
  );
}

export function stayOf(db: EntityManager, establishmentId: string, id: string, lock = false): Promise<StayRow | null> {
  return selectOne<StayRow>(db, `SELECT ${STAY} WHERE u.establishment_id = $1 AND s.id = $2${lock ? ' FOR UPDATE OF s' : ''}`, [
    establishmentId,
    id,
  ]);
}

export function setStayStatus(db: EntityManager, id: string, status: StayStatus, endedAt: Date | null, endReason: string | null) {
  return execute(db, `UPDATE family_visit_stays SET status = $2, ended_at = $3, end_reason = $4 WHERE id = $1`, [
    id,
    status,
    endedAt,
    endReason,
  ]);
}

/**
 * Moves a stay to another slot (unit, range and break) in place: the exclusion constraint and the
 * capacity trigger check the new slot; if they refuse, the statement fails and the stay keeps its old slot.
 */
export function moveStaySlot(
  db: EntityManager,
  id: string,
  unitId: string,
  t: { from: Date; to: Date; breakFrom: Date | null; breakTo: Date | null },
) {
  return execute(
    db,
    `UPDATE family_visit_stays SET unit_id = $2, during = tstzrange($3, $4, '[)'), break_from = $5, break_to = $6 WHERE id = $1`,
    [id, unitId, t.from, t.to, t.breakFrom, t.breakTo],
  );
}

/** A stay as the family sees it: only for a family account holding a GRANTED request of the stay's case. */
export interface FamilyStayRow {
  id: string;
  status: StayStatus;
  startsAt: Date;
  endsAt: Date;
  breakFrom: Date | null;
  breakTo: Date | null;
  visitors: number;
  unitName: string;
  kind: FamilyVisitKind;
  accessible: boolean;
  houseRules: string | null;
  detaineeName: string;
  establishmentName: string;
  establishmentAddress: string | null;
  establishmentPhone: string | null;
  timeZone: string;
  /** 2 when every GRANTED request of the case is for a PF in two cumulated slots; 1 otherwise. */
  grantedSlots: 1 | 2;
}

export function familyStayOf(db: EntityManager, familyAccountId: string, stayId: string): Promise<FamilyStayRow | null> {
  return selectOne<FamilyStayRow>(
    db,
    `SELECT s.id, s.status, lower(s.during) AS "startsAt", upper(s.during) AS "endsAt",
            s.break_from AS "breakFrom", s.break_to AS "breakTo", s.visitors,
            u.name AS "unitName", u.kind, u.accessible, u.house_rules AS "houseRules",
            d.first_name || ' ' || upper(d.last_name) AS "detaineeName",
            e.name AS "establishmentName", e.address AS "establishmentAddress", e.phone AS "establishmentPhone", e.time_zone AS "timeZone",
            ${GRANTED_SLOTS('s.case_id')} AS "grantedSlots"
       FROM family_visit_stays s
       JOIN family_units u ON u.id = s.unit_id
       JOIN family_visit_cases c ON c.id = s.case_id
       JOIN detainees d ON d.id = c.detainee_id
       JOIN establishments e ON e.id = c.establishment_id
      WHERE s.id = $2
        AND EXISTS (SELECT 1 FROM family_visit_requests r LEFT JOIN permits p ON p.id = r.permit_id
                     WHERE r.case_id = s.case_id AND r.status = 'GRANTED'
                       AND (r.family_account_id = $1 OR p.family_account_id = $1))`,
    [familyAccountId, stayId],
  );
}

/** A stay of the family's « Mes visites et rendez-vous »: when, where, whom. */
export interface FamilyStayListRow {
  id: string;
  status: StayStatus;
  startsAt: Date;
  endsAt: Date;
  unitName: string;
  kind: FamilyVisitKind;
  detaineeName: string;
  establishmentName: string;
  establishmentPhone: string | null;
  timeZone: string;
}

/** The stays of the cases where the family holds a GRANTED request (as `familyStayOf` shows one), latest first. */
export function familyStaysOf(db: EntityManager, familyAccountId: string): Promise<FamilyStayListRow[]> {
  return select<FamilyStayListRow>(
    db,
    `SELECT s.id, s.status, lower(s.during) AS "startsAt", upper(s.during) AS "endsAt", u.name AS "unitName", u.kind,
            d.first_name || ' ' || upper(d.last_name) AS "detaineeName", e.name AS "establishmentName",
            e.phone AS "establishmentPhone", e.time_zone AS "timeZone"
       FROM family_visit_stays s
       JOIN family_units u ON u.id = s.unit_id
       JOIN family_visit_cases c ON c.id = s.case_id
       JOIN detainees d ON d.id = c.detainee_id
       JOIN establishments e ON e.id = c.establishment_id
      WHERE s.case_id IN (SELECT r.case_id FROM family_visit_requests r WHERE r.status = 'GRANTED' AND r.id IN ${FAMILY_REQUEST_IDS('$1')})
      ORDER BY lower(s.during) DESC LIMIT 100`,
    [familyAccountId],
  );
}

export interface StayEventRow {
  id: string;
  kind: StayEventKind;
  at: Date;
  agentName: string;
  notes: string;
  interventionCause: InterventionCause | null;
  /** Who decided an intervention on incident, « Prénom NOM ». */
  decidedByName: string | null;
}

/** In time order; entries of the same instant in the order written (the table is append-only, so ctid follows insertion). */
export function stayEvents(db: EntityManager, stayId: string): Promise<StayEventRow[]> {
  return select<StayEventRow>(
    db,
    `SELECT e.id, e.kind, e.at, a.first_name || ' ' || a.last_name AS "agentName", e.notes, e.intervention_cause AS "interventionCause",
            da.first_name || ' ' || upper(da.last_name) AS "decidedByName"
       FROM family_visit_stay_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN agents da ON da.id = e.decided_by
      WHERE e.stay_id = $1 ORDER BY e.at, e.ctid`,
    [stayId],
  );
}

export async function insertStayEvent(
  db: EntityManager,
  e: {
    stayId: string;
    kind: StayEventKind;
    at: Date;
    agentId: string;
    notes: string;
    intervention?: { cause: InterventionCause; decidedBy: string | null } | null;
  },
): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO family_visit_stay_events (stay_id, kind, at, agent_id, notes, intervention_cause, decided_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [e.stayId, e.kind, e.at, e.agentId, e.notes, e.intervention?.cause ?? null, e.intervention?.decidedBy ?? null],
  );
  return rows[0].id;
}

/** Who may decide an intervention on incident on `day` (AAAA-MM-JJ): the establishment's heads, then the agents holding a signature delegation in force. */
export function signatoriesOf(db: EntityManager, establishmentId: string, day: string): Promise<{ id: string; label: string }[]> {
  return select<{ id: string; label: string }>(
    db,
    `SELECT a.id, a.first_name || ' ' || upper(a.last_name) || CASE WHEN h.head THEN ', chef d’établissement' ELSE ', par délégation' END AS label
       FROM agents a
       CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM role_assignments r
                                           WHERE r.agent_id = a.id AND r.establishment_id = $1 AND r.role = 'HEAD_OF_ESTABLISHMENT') AS head) h
      WHERE a.active
        AND (h.head OR EXISTS (SELECT 1 FROM signature_delegations s
                                WHERE s.agent_id = a.id AND s.establishment_id = $1 AND s.revoked_at IS NULL
                                  AND s.valid_from <= $2::date AND (s.valid_to IS NULL OR s.valid_to >= $2::date)))
      ORDER BY h.head DESC, a.last_name, a.first_name, a.id`,
    [establishmentId, day],
  );
}

/**
 * The visiting rooms' opening on `day` (AAAA-MM-JJ, ISO weekday `isoDay`): the earliest start and the
 * latest end of the weekly slots in force that day in the establishment's active rooms (the visits'
 * slot_templates, times local to the establishment).
 */
export async function visitingHours(db: EntityManager, establishmentId: string, day: string, isoDay: number): Promise<VisitingHours> {
  const row = await selectOne<{ from: string | null; to: string | null; slots: number }>(
    db,
    `SELECT to_char(min(t.start_time) FILTER (WHERE t.day_of_week = $3), 'HH24:MI') AS "from",
            to_char(max(t.end_time) FILTER (WHERE t.day_of_week = $3), 'HH24:MI') AS "to", count(*)::int AS slots
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id
      WHERE r.establishment_id = $1 AND r.active AND t.valid_from <= $2::date AND (t.valid_to IS NULL OR t.valid_to >= $2::date)`,
    [establishmentId, day, isoDay],
  );
  if (!row || row.slots === 0) return null;
  return row.from && row.to ? { from: row.from, to: row.to } : 'CLOSED';
}
