import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { JudgeOpinion } from './instruction.rules';

/** The SQL of the SPIP instruction of UVF / PF cases (work queue, case file, interviews, CPU opinion, history). */

export interface QueueFilter {
  status: string;
  kind: string;
  search: string;
}

export interface QueueRow {
  id: string;
  reference: string;
  kind: string;
  status: string;
  wishedFrom: string;
  wishedTo: string;
  detaineeName: string;
  ecrouNumber: string;
  visitorNames: string | null;
  requests: { receivedAt: string; status: string }[];
}

/** The establishment's cases, newest first, filtered by status and kind and searched by the detainee's name or écrou number. */
export async function queueCases(
  db: EntityManager,
  establishmentId: string,
  f: QueueFilter,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: QueueRow[] }> {
  const where = `c.establishment_id = $1 AND ($2 = '' OR c.status = $2) AND ($3 = '' OR c.kind = $3)
    AND ($4 = '' OR d.ecrou_number = upper($4) OR (d.first_name || ' ' || d.last_name) ILIKE '%' || $4 || '%'
         OR (d.last_name || ' ' || d.first_name) ILIKE '%' || $4 || '%')`;
  const params = [establishmentId, f.status, f.kind, f.search.replace(/[%_\\]/g, (c) => `\\${c}`)];
  const count = await selectOne<{ total: number }>(
    db,
    `SELECT count(*)::int AS total FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id WHERE ${where}`,
    params,
  );
  const rows = await select<QueueRow>(
    db,
    `SELECT c.id, c.reference, c.kind, c.status, to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom",
            to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo", d.first_name || ' ' || d.last_name AS "detaineeName",
            d.ecrou_number AS "ecrouNumber",
            (SELECT string_agg(p.visitor_given_name || ' ' || p.visitor_family_name, ', ' ORDER BY r.received_at)
               FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id WHERE r.case_id = c.id) AS "visitorNames",
            COALESCE((SELECT json_agg(json_build_object('receivedAt', r.received_at, 'status', r.status))
                        FROM family_visit_requests r WHERE r.case_id = c.id), '[]'::json) AS requests
       FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id
      WHERE ${where}
      ORDER BY c.created_at DESC, c.id
      LIMIT $5 OFFSET $6`,
    [...params, pageSize, (page - 1) * pageSize],
  );
  return { total: count?.total ?? 0, rows };
}

export interface CaseRow {
  id: string;
  reference: string;
  establishmentId: string;
  kind: string;
  status: string;
  wishedFrom: string;
  wishedTo: string;
  wishedHours: number;
  cpuOn: string | null;
  cpuOpinion: string | null;
  cpuNotes: string | null;
  detaineeId: string;
  detaineeName: string;
  ecrouNumber: string;
  legalStatus: string;
  counsellorName: string | null;
  /** The establishment's time zone: its days count the deadlines. */
  timeZone: string;
}

/** A case of the establishment (null if none: another establishment's case is not found). */
export function findCase(db: EntityManager, establishmentId: string, id: string, lock = false): Promise<CaseRow | null> {
  return selectOne<CaseRow>(
    db,
    `SELECT c.id, c.reference, c.establishment_id AS "establishmentId", c.kind, c.status,
            to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo",
            c.wished_hours AS "wishedHours", to_char(c.cpu_on, 'YYYY-MM-DD') AS "cpuOn", c.cpu_opinion AS "cpuOpinion",
            c.cpu_notes AS "cpuNotes", d.id AS "detaineeId", d.first_name || ' ' || d.last_name AS "detaineeName",
            d.ecrou_number AS "ecrouNumber", d.legal_status AS "legalStatus",
            (SELECT a.first_name || ' ' || a.last_name FROM agents a WHERE a.id = c.counsellor_id) AS "counsellorName",
            e.time_zone AS "timeZone"
       FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id JOIN establishments e ON e.id = c.establishment_id
      WHERE c.id = $1 AND c.establishment_id = $2 ${lock ? 'FOR UPDATE OF c' : ''}`,
    [id, establishmentId],
  );
}

export interface RequestRow {
  id: string;
  applicant: 'DETAINEE' | 'VISITOR';
  channel: string;
  receivedAt: Date;
  status: string;
  rulesAcknowledgedAt: Date | null;
  visitorName: string | null;
  /** AAAA-MM-JJ, a visitor's (from the permit). */
  visitorBirthdate: string | null;
  relationship: string | null;
  familyAccountId: string | null;
  familyEmail: string | null;
  /** The family's mobile phone, for the SMS reminder of a convocation (as a visit's). */
  familyPhone: string | null;
  /** A minor: the request of the adult who accompanies them. */
  accompaniedBy: string | null;
  /** UVF, a minor: the child's exit time (HH:MM, daytime) and who then looks after the child. */
  childExitTime: string | null;
  childCarer: string | null;
  /** A minor: what the SPIP recorded of a follow-up by a juge des enfants (null: nothing recorded). */
  juvenileJudge: JuvenileJudgeRow | null;
}

export interface JuvenileJudgeRow {
  followed: boolean;
  pjjService: string | null;
  askedOn: string | null;
  opinion: JudgeOpinion | null;
  receivedOn: string | null;
  notes: string | null;
}

/** The case's requests: the detainee's first, then the visitors' in the order received. */
export function caseRequests(db: EntityManager, caseId: string): Promise<RequestRow[]> {
  return select<RequestRow>(
    db,
    `SELECT r.id, r.applicant, r.channel, r.received_at AS "receivedAt", r.status, r.rules_acknowledged_at AS "rulesAcknowledgedAt",
            CASE WHEN p.id IS NULL THEN NULL ELSE p.visitor_given_name || ' ' || p.visitor_family_name END AS "visitorName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate",
            p.relationship, COALESCE(r.family_account_id, p.family_account_id) AS "familyAccountId", f.email AS "familyEmail",
            f.mobile_phone AS "familyPhone", r.accompanied_by AS "accompaniedBy",
            to_char(r.child_exit_time, 'HH24:MI') AS "childExitTime", r.child_carer AS "childCarer",
            CASE WHEN j.request_id IS NULL THEN NULL ELSE json_build_object(
              'followed', j.followed, 'pjjService', j.pjj_service, 'askedOn', to_char(j.asked_on, 'YYYY-MM-DD'),
              'opinion', j.opinion, 'receivedOn', to_char(j.received_on, 'YYYY-MM-DD'), 'notes', j.notes) END AS "juvenileJudge"
       FROM family_visit_requests r
       LEFT JOIN permits p ON p.id = r.permit_id
       LEFT JOIN family_accounts f ON f.id = COALESCE(r.family_account_id, p.family_account_id)
       LEFT JOIN family_visit_juvenile_judge_opinions j ON j.request_id = r.id
      WHERE r.case_id = $1
      ORDER BY (r.applicant = 'DETAINEE') DESC, r.received_at, r.id`,
    [caseId],
  );
}

/** Records (or updates) what the SPIP knows of a minor's follow-up by a juge des enfants. */
export async function upsertJuvenileJudge(
  db: EntityManager,
  requestId: string,
  j: JuvenileJudgeRow,
  agentId: string,
  at: Date,
): Promise<void> {
  await execute(
    db,
    `INSERT INTO family_visit_juvenile_judge_opinions
            (request_id, followed, pjj_service, asked_on, opinion, received_on, notes, recorded_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (request_id) DO UPDATE
        SET followed = $2, pjj_service = $3, asked_on = $4, opinion = $5, received_on = $6, notes = $7, recorded_by = $8, updated_at = $9`,
    [requestId, j.followed, j.pjjService, j.askedOn, j.opinion, j.receivedOn, j.notes, agentId, at],
  );
}

export interface DocumentRow {
  id: string;
  requestId: string;
  kind: string;
  originalName: string;
  contentType: string;
  sizeBytes: number;
  consentGivenBy: string | null;
  consentCapacity: string | null;
}

export function caseDocuments(db: EntityManager, caseId: string): Promise<DocumentRow[]> {
  return select<DocumentRow>(
    db,
    `SELECT d.id, d.request_id AS "requestId", d.kind, d.original_name AS "originalName", d.content_type AS "contentType",
            d.size_bytes AS "sizeBytes", d.consent_given_by AS "consentGivenBy",
            d.consent_capacity AS "consentCapacity"
       FROM family_visit_documents d JOIN family_visit_requests r ON r.id = d.request_id
      WHERE r.case_id = $1 AND d.deleted_at IS NULL ORDER BY d.created_at, d.id`,
    [caseId],
  );
}

/** A document of a case of the establishment, with where its file is. */
export function findDocument(
  db: EntityManager,
  establishmentId: string,
  caseId: string,
  id: string,
): Promise<{ storageKey: string; contentType: string } | null> {
  return selectOne(
    db,
    `SELECT d.storage_key AS "storageKey", d.content_type AS "contentType"
       FROM family_visit_documents d JOIN family_visit_requests r ON r.id = d.request_id JOIN family_visit_cases c ON c.id = r.case_id
      WHERE d.id = $1 AND c.id = $2 AND c.establishment_id = $3 AND d.deleted_at IS NULL`,
    [id, caseId, establishmentId],
  );
}

export interface InterviewRow {
  id: string;
  requestId: string;
  at: Date;
  mode: string;
  status: string;
  notes: string | null;
  linkAssessment: string | null;
  preparationAssessment: string | null;
  appointmentId: string | null;
  counsellorName: string;
  withAccompanyingAdult: boolean;
}

export function caseInterviews(db: EntityManager, caseId: string): Promise<InterviewRow[]> {
  return select<InterviewRow>(
    db,
    `SELECT i.id, i.request_id AS "requestId", i.at, i.mode, i.status, i.notes, i.link_assessment AS "linkAssessment",
            i.preparation_assessment AS "preparationAssessment", i.appointment_id AS "appointmentId",
            i.with_accompanying_adult AS "withAccompanyingAdult", a.first_name || ' ' || a.last_name AS "counsellorName"
       FROM family_visit_interviews i JOIN family_visit_requests r ON r.id = i.request_id JOIN agents a ON a.id = i.counsellor_id
      WHERE r.case_id = $1 ORDER BY i.at, i.id`,
    [caseId],
  );
}

export interface NewInterview {
  requestId: string;
  counsellorId: string;
  /** AAAA-MM-JJ HH:MM in the establishment's time zone. */
  localAt: string;
  timeZone: string;
  mode: string;
  status: 'SCHEDULED' | 'DONE';
  notes: string | null;
  linkAssessment: string | null;
  preparationAssessment: string | null;
  withAccompanyingAdult: boolean;
}

export async function insertInterview(db: EntityManager, i: NewInterview): Promise<{ id: string; at: Date }> {
  const row = await selectOne<{ id: string; at: Date }>(
    db,
    `INSERT INTO family_visit_interviews
            (request_id, counsellor_id, at, mode, status, notes, link_assessment, preparation_assessment, with_accompanying_adult)
     VALUES ($1, $2, ($3::timestamp AT TIME ZONE $4), $5, $6, $7, $8, $9, $10) RETURNING id, at`,
    [
      i.requestId,
      i.counsellorId,
      i.localAt,
      i.timeZone,
      i.mode,
      i.status,
      i.notes,
      i.linkAssessment,
      i.preparationAssessment,
      i.withAccompanyingAdult,
    ],
  );
  return row!;
}

export function setInterviewAppointment(db: EntityManager, id: string, appointmentId: string): Promise<number> {
  return execute(db, `UPDATE family_visit_interviews SET appointment_id = $2 WHERE id = $1`, [id, appointmentId]);
}

export function findInterview(
  db: EntityManager,
  caseId: string,
  id: string,
): Promise<{ id: string; requestId: string; status: string; appointmentId: string | null; at: Date } | null> {
  return selectOne(
    db,
    `SELECT i.id, i.request_id AS "requestId", i.status, i.appointment_id AS "appointmentId", i.at
       FROM family_visit_interviews i JOIN family_visit_requests r ON r.id = i.request_id
      WHERE i.id = $1 AND r.case_id = $2 FOR UPDATE OF i`,
    [id, caseId],
  );
}

export function completeInterview(
  db: EntityManager,
  id: string,
  r: { notes: string; linkAssessment: string; preparationAssessment: string },
): Promise<number> {
  return execute(
    db,
    `UPDATE family_visit_interviews SET status = 'DONE', notes = $2, link_assessment = $3, preparation_assessment = $4
      WHERE id = $1 AND status = 'SCHEDULED'`,
    [id, r.notes, r.linkAssessment, r.preparationAssessment],
  );
}

export function cancelInterview(db: EntityManager, id: string): Promise<number> {
  return execute(db, `UPDATE family_visit_interviews SET status = 'CANCELLED' WHERE id = $1 AND status = 'SCHEDULED'`, [id]);
}

/** The interviews of an appointment cancelled elsewhere (by the family on « Mes rendez-vous »). */
export function cancelInterviewsOfAppointment(
  db: EntityManager,
  appointmentId: string,
): Promise<{ id: string; requestId: string; caseId: string }[]> {
  return select(
    db,
    `UPDATE family_visit_interviews i SET status = 'CANCELLED' FROM family_visit_requests r
      WHERE i.appointment_id = $1 AND i.status = 'SCHEDULED' AND r.id = i.request_id
      RETURNING i.id, i.request_id AS "requestId", r.case_id AS "caseId"`,
    [appointmentId],
  );
}

export function recordCpuOpinion(
  db: EntityManager,
  caseId: string,
  o: { cpuOn: string; opinion: string; notes: string | null },
): Promise<number> {
  return execute(
    db,
    `UPDATE family_visit_cases SET status = 'CPU', cpu_on = $2, cpu_opinion = $3, cpu_notes = $4, updated_at = now() WHERE id = $1`,
    [caseId, o.cpuOn, o.opinion, o.notes],
  );
}

export function takeCase(db: EntityManager, caseId: string, counsellorId: string): Promise<number> {
  return execute(db, `UPDATE family_visit_cases SET counsellor_id = $2, updated_at = now() WHERE id = $1 AND counsellor_id IS NULL`, [
    caseId,
    counsellorId,
  ]);
}

export interface EventRow {
  at: Date;
  kind: string;
  message: string | null;
  actorLabel: string | null;
}

export function caseEvents(db: EntityManager, caseId: string): Promise<EventRow[]> {
  return select<EventRow>(
    db,
    `SELECT e.at, e.kind, e.message,
            CASE e.actor_type WHEN 'AGENT' THEN (SELECT a.first_name || ' ' || a.last_name FROM agents a WHERE a.id = e.actor_id)
                              WHEN 'FAMILY' THEN 'La famille' ELSE 'P2V' END AS "actorLabel"
       FROM family_visit_events e WHERE e.case_id = $1 ORDER BY e.at DESC, e.id`,
    [caseId],
  );
}

export function insertEvent(
  db: EntityManager,
  e: {
    caseId: string;
    requestId?: string | null;
    kind: string;
    message: string;
    actorType: 'AGENT' | 'FAMILY' | 'SYSTEM';
    actorId: string | null;
    at: Date;
  },
): Promise<number> {
  return execute(
    db,
    `INSERT INTO family_visit_events (case_id, request_id, at, kind, message, actor_type, actor_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.caseId, e.requestId ?? null, e.at, e.kind, e.message, e.actorType, e.actorId],
  );
}

/** The interviews still scheduled for a request (a withdrawal cancels them), locked. */
export function scheduledInterviewsOfRequest(
  db: EntityManager,
  requestId: string,
): Promise<{ id: string; requestId: string; status: string; appointmentId: string | null; at: Date }[]> {
  return select(
    db,
    `SELECT id, request_id AS "requestId", status, appointment_id AS "appointmentId", at
       FROM family_visit_interviews WHERE request_id = $1 AND status = 'SCHEDULED' ORDER BY at, id FOR UPDATE`,
    [requestId],
  );
}
