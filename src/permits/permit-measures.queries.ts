import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { PermitMeasureKind, PermitMeasureStatus } from './permit-measure.entity';
import type { LegalStatus } from './permit-measures.rules';
import type { PermitOrigin, PermitStatus } from './permit.entity';

/** The SQL of measures on permits (suspension, withdrawal, referral to the magistrate). */

/** A permit as a measure needs it: its holder, its detainee's status, whom to tell. */
export interface PermitForMeasure {
  id: string;
  establishmentId: string;
  status: PermitStatus;
  statusReason: string | null;
  origin: PermitOrigin;
  headReviewDue: boolean;
  issuingAuthority: string | null;
  familyAccountId: string | null;
  familyEmail: string | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  detaineeName: string;
  ecrouNumber: string;
  legalStatus: LegalStatus;
  establishmentName: string;
  /** The establishment's time zone: its day decides due dates and delegations. */
  timeZone: string;
}

const PERMIT_COLUMNS = `p.id, p.establishment_id AS "establishmentId", p.status, p.status_reason AS "statusReason", p.origin,
  p.head_review_due AS "headReviewDue", p.issuing_authority AS "issuingAuthority", p.family_account_id AS "familyAccountId",
  f.email AS "familyEmail", p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
  d.first_name || ' ' || d.last_name AS "detaineeName", d.ecrou_number AS "ecrouNumber", d.legal_status AS "legalStatus",
  e.name AS "establishmentName", e.time_zone AS "timeZone"`;

const PERMIT_FROM = `permits p JOIN detainees d ON d.id = p.detainee_id JOIN establishments e ON e.id = p.establishment_id
  LEFT JOIN family_accounts f ON f.id = p.family_account_id`;

/** The permit of the establishment; `lock`: locked for the transaction that changes it. */
export function permitForMeasure(
  db: EntityManager,
  establishmentId: string,
  permitId: string,
  lock: boolean,
): Promise<PermitForMeasure | null> {
  return selectOne<PermitForMeasure>(
    db,
    `SELECT ${PERMIT_COLUMNS} FROM ${PERMIT_FROM} WHERE p.id = $1 AND p.establishment_id = $2${lock ? ' FOR UPDATE OF p' : ''}`,
    [permitId, establishmentId],
  );
}

/** The family's own permit; `lock`: locked for the transaction that changes it. */
export function permitOfFamilyForMeasure(
  db: EntityManager,
  familyId: string,
  permitId: string,
  lock: boolean,
): Promise<PermitForMeasure | null> {
  return selectOne<PermitForMeasure>(
    db,
    `SELECT ${PERMIT_COLUMNS} FROM ${PERMIT_FROM} WHERE p.id = $1 AND p.family_account_id = $2${lock ? ' FOR UPDATE OF p' : ''}`,
    [permitId, familyId],
  );
}

export interface MeasureRow {
  id: string;
  permitId: string;
  kind: PermitMeasureKind;
  status: PermitMeasureStatus;
  grounds: string;
  urgent: boolean;
  suspendedUntil: string | null;
  observationsDue: string | null;
  observations: string | null;
  observationsAt: Date | null;
  magistrate: string | null;
  magistrateAnswer: 'MAINTAINED' | 'SUSPENDED' | 'WITHDRAWN' | null;
  magistrateAnswerNote: string | null;
  answeredAt: Date | null;
  proposedAt: Date;
  proposedByName: string;
  decidedAt: Date | null;
}

const MEASURE_COLUMNS = `m.id, m.permit_id AS "permitId", m.kind, m.status, m.grounds, m.urgent,
  to_char(m.suspended_until, 'YYYY-MM-DD') AS "suspendedUntil", to_char(m.observations_due, 'YYYY-MM-DD') AS "observationsDue",
  m.observations, m.observations_at AS "observationsAt", m.magistrate, m.magistrate_answer AS "magistrateAnswer",
  m.magistrate_answer_note AS "magistrateAnswerNote", m.answered_at AS "answeredAt", m.proposed_at AS "proposedAt",
  a.first_name || ' ' || a.last_name AS "proposedByName", m.decided_at AS "decidedAt"`;

/** The measures on a permit, newest first. */
export function measuresOfPermit(db: EntityManager, permitId: string): Promise<MeasureRow[]> {
  return select<MeasureRow>(
    db,
    `SELECT ${MEASURE_COLUMNS} FROM permit_measures m JOIN agents a ON a.id = m.proposed_by
      WHERE m.permit_id = $1 ORDER BY m.proposed_at DESC, m.id`,
    [permitId],
  );
}

/** The measure still open on a permit (an intended measure, or a referral awaiting the magistrate). */
export function openMeasure(db: EntityManager, permitId: string): Promise<MeasureRow | null> {
  return selectOne<MeasureRow>(
    db,
    `SELECT ${MEASURE_COLUMNS} FROM permit_measures m JOIN agents a ON a.id = m.proposed_by
      WHERE m.permit_id = $1 AND m.status IN ('PROPOSED', 'REFERRED') ORDER BY m.proposed_at DESC LIMIT 1`,
    [permitId],
  );
}

export interface NewMeasure {
  permitId: string;
  establishmentId: string;
  kind: PermitMeasureKind;
  status: PermitMeasureStatus;
  grounds: string;
  urgent: boolean;
  suspendedUntil: string | null;
  observationsDue: string | null;
  magistrate: string | null;
  proposedBy: string;
  at: Date;
  decided: boolean;
}

export async function insertMeasure(db: EntityManager, n: NewMeasure): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO permit_measures (permit_id, establishment_id, kind, status, grounds, urgent, suspended_until, observations_due,
                                  magistrate, proposed_by, proposed_at, decided_by, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $12 THEN $10::uuid END, CASE WHEN $12 THEN $11::timestamptz END)
     RETURNING id`,
    [
      n.permitId,
      n.establishmentId,
      n.kind,
      n.status,
      n.grounds,
      n.urgent,
      n.suspendedUntil,
      n.observationsDue,
      n.magistrate,
      n.proposedBy,
      n.at,
      n.decided,
    ],
  );
  return rows[0].id;
}

/** Closes an intended measure: ENACTED or ABANDONED. */
export async function decideMeasure(db: EntityManager, id: string, status: 'ENACTED' | 'ABANDONED', by: string, at: Date): Promise<void> {
  await execute(db, `UPDATE permit_measures SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1`, [id, status, by, at]);
}

export async function saveObservations(db: EntityManager, id: string, text: string, at: Date): Promise<void> {
  await execute(db, `UPDATE permit_measures SET observations = $2, observations_at = $3 WHERE id = $1`, [id, text, at]);
}

export async function recordMagistrateAnswer(
  db: EntityManager,
  id: string,
  answer: 'MAINTAINED' | 'SUSPENDED' | 'WITHDRAWN',
  note: string | null,
  by: string,
  at: Date,
): Promise<void> {
  await execute(
    db,
    `UPDATE permit_measures SET status = 'ANSWERED', magistrate_answer = $2, magistrate_answer_note = $3, answered_at = $5,
                                decided_by = $4, decided_at = $5
      WHERE id = $1`,
    [id, answer, note, by, at],
  );
}

export async function setHeadReviewDue(db: EntityManager, permitId: string, due: boolean): Promise<void> {
  await execute(db, `UPDATE permits SET head_review_due = $2, updated_at = now() WHERE id = $1`, [permitId, due]);
}

/**
 * Flags for the head's review the magistrate's permits (still in force) of a detainee who became
 * condamné (R341-5); returns the permits flagged.
 */
export function flagMagistratePermits(db: EntityManager, detaineeId: string): Promise<{ id: string }[]> {
  return select<{ id: string }>(
    db,
    `UPDATE permits SET head_review_due = true, updated_at = now()
      WHERE detainee_id = $1 AND origin = 'MAGISTRATE' AND status <> 'WITHDRAWN' AND NOT head_review_due
      RETURNING id`,
    [detaineeId],
  );
}

export interface MeasureLetterRow {
  id: string;
  kind: string;
  title: string;
  addressee: string;
  issuedAt: Date;
  /** False: printed and posted (or handed over). */
  online: boolean;
}

/** The letters about a permit and its measures (the referral to the magistrate included), oldest first. */
export function lettersOfPermit(db: EntityManager, permitId: string): Promise<MeasureLetterRow[]> {
  return select<MeasureLetterRow>(
    db,
    `SELECT l.id, l.kind, l.title, l.addressee, l.issued_at AS "issuedAt", l.family_account_id IS NOT NULL AS online
       FROM letters l
      WHERE l.permit_id = $1 OR l.measure_id IN (SELECT id FROM permit_measures WHERE permit_id = $1)
      ORDER BY l.issued_at, l.id`,
    [permitId],
  );
}

/** The family's letter about a measure (the intended-measure letter), if any. */
export function letterOfMeasure(db: EntityManager, measureId: string, kind: string): Promise<{ id: string } | null> {
  return selectOne<{ id: string }>(db, `SELECT id FROM letters WHERE measure_id = $1 AND kind = $2 ORDER BY issued_at DESC LIMIT 1`, [
    measureId,
    kind,
  ]);
}

/**
 * The suspended permits whose suspension, as last enacted, ended before the establishment's day at
 * `now` (the end date is the last day of the suspension). A suspension without an end date, or by the
 * magistrate, is lifted by a person.
 */
export function suspensionsEnded(db: EntityManager, now: Date): Promise<{ id: string; establishmentId: string; until: string }[]> {
  return select<{ id: string; establishmentId: string; until: string }>(
    db,
    `SELECT p.id, p.establishment_id AS "establishmentId", to_char(last.suspended_until, 'YYYY-MM-DD') AS until
       FROM permits p JOIN establishments e ON e.id = p.establishment_id
       JOIN LATERAL (SELECT m.kind, m.suspended_until FROM permit_measures m
                      WHERE m.permit_id = p.id AND m.status IN ('ENACTED', 'ANSWERED')
                      ORDER BY coalesce(m.decided_at, m.answered_at) DESC LIMIT 1) last ON true
      WHERE p.status = 'SUSPENDED' AND last.kind = 'SUSPENSION' AND last.suspended_until IS NOT NULL
        AND last.suspended_until < ($1::timestamptz AT TIME ZONE e.time_zone)::date`,
    [now],
  );
}
