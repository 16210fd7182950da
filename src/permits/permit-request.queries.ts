import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { PermitRequestStatus, RefusalGround } from './permit-request.entity';
import type { RequestEventKind } from './permit-request-event.entity';
import type { IdDocumentType, Relationship } from './permit.rules';

/**
 * The SQL of permit requests (family side and instruction): typed in, typed out, camelCase rows.
 * Every function takes the EntityManager it runs on: a transaction's own, or the DataSource's
 * manager for a read outside any transaction.
 */

/** A request as the pages show it, with its establishment and detainee (both unknown before step 1). */
export interface RequestRow {
  id: string;
  reference: string | null;
  familyAccountId: string;
  establishmentId: string | null;
  establishmentName: string | null;
  establishmentCode: string | null;
  detaineeId: string | null;
  detaineeName: string | null;
  detaineeEcrou: string | null;
  step: number;
  documentsUnderstood: boolean;
  forSelf: boolean | null;
  visitorGivenName: string | null;
  visitorFamilyName: string | null;
  /** AAAA-MM-JJ */
  visitorBirthdate: string | null;
  relationship: Relationship | null;
  relationshipDetail: string | null;
  idDocumentType: IdDocumentType | null;
  comment: string | null;
  status: PermitRequestStatus;
  submittedAt: Date | null;
  completeAt: Date | null;
  decidedAt: Date | null;
  decisionMotivation: string | null;
  refusalGround: RefusalGround | null;
  /** The decision's author as printed. */
  decidedAs: string | null;
  /** AAAA-MM-JJ: while incomplete, the date the missing pieces are due. */
  documentsDue: string | null;
  createdAt: Date;
  /** A recourse recorded by the staff: the documents are kept whatever the retention period (docs/retention.md). */
  litigationHoldSince: Date | null;
  litigationNote: string | null;
}

/** A sent request, as the establishment instructs it: with the family who filed it. */
export interface InstructedRequestRow extends RequestRow {
  establishmentId: string;
  establishmentName: string;
  establishmentCode: string;
  /** The establishment's time zone: its calendar days (delegations, orders in force, deadlines). */
  timeZone: string;
  detaineeId: string;
  detaineeName: string;
  detaineeEcrou: string;
  /** The detainee's legal status now: only a CONDAMNE's permit is the head's decision (L341-5). */
  detaineeLegalStatus: 'PREVENU' | 'CONDAMNE' | 'MIXTE';
  familyEmail: string | null;
  familyName: string;
}

const REQUEST_COLUMNS = `r.id, r.reference, r.family_account_id AS "familyAccountId", r.establishment_id AS "establishmentId",
  e.name AS "establishmentName", e.code AS "establishmentCode", e.time_zone AS "timeZone", r.detainee_id AS "detaineeId",
  d.first_name || ' ' || d.last_name AS "detaineeName", d.ecrou_number AS "detaineeEcrou", r.step,
  r.documents_understood AS "documentsUnderstood", r.for_self AS "forSelf", r.visitor_given_name AS "visitorGivenName",
  r.visitor_family_name AS "visitorFamilyName", to_char(r.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", r.relationship,
  r.relationship_detail AS "relationshipDetail", r.id_document_type AS "idDocumentType", r.comment, r.status,
  r.submitted_at AS "submittedAt", r.complete_at AS "completeAt", r.decided_at AS "decidedAt",
  r.decision_motivation AS "decisionMotivation", r.refusal_ground AS "refusalGround", r.decided_as AS "decidedAs",
  to_char(r.documents_due, 'YYYY-MM-DD') AS "documentsDue", r.created_at AS "createdAt",
  r.litigation_hold_since AS "litigationHoldSince", r.litigation_note AS "litigationNote"`;

/**
 * The family's empty draft (no detainee chosen yet: nothing answered), created if it has none. A
 * family has one at most (unique index permit_requests_one_empty_draft): two requests at once, a
 * double tap on the button, both get the same; reopened, it counts as started now.
 */
export async function openEmptyDraft(db: EntityManager, familyId: string): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO permit_requests (family_account_id) VALUES ($1)
     ON CONFLICT (family_account_id) WHERE status = 'DRAFT' AND detainee_id IS NULL
     DO UPDATE SET created_at = now(), updated_at = now()
     RETURNING id`,
    [familyId],
  );
  return rows[0].id;
}

export function requestsOfFamily(db: EntityManager, familyId: string): Promise<RequestRow[]> {
  return select<RequestRow>(
    db,
    `SELECT ${REQUEST_COLUMNS}
       FROM permit_requests r LEFT JOIN establishments e ON e.id = r.establishment_id LEFT JOIN detainees d ON d.id = r.detainee_id
      WHERE r.family_account_id = $1 ORDER BY r.created_at DESC LIMIT 100`,
    [familyId],
  );
}

/** The family's own request (locked for the transaction with `lock`), or null: another family's request does not exist. */
export function requestOfFamily(db: EntityManager, familyId: string, id: string, lock = false): Promise<RequestRow | null> {
  return selectOne<RequestRow>(
    db,
    `SELECT ${REQUEST_COLUMNS}
       FROM permit_requests r LEFT JOIN establishments e ON e.id = r.establishment_id LEFT JOIN detainees d ON d.id = r.detainee_id
      WHERE r.id = $1 AND r.family_account_id = $2 ${lock ? 'FOR UPDATE OF r' : ''}`,
    [id, familyId],
  );
}

/** A sent request of the establishment (a draft is the family's alone), or null. */
export function requestOfEstablishment(
  db: EntityManager,
  establishmentId: string,
  id: string,
  lock = false,
): Promise<InstructedRequestRow | null> {
  return selectOne<InstructedRequestRow>(
    db,
    `SELECT ${REQUEST_COLUMNS}, d.legal_status AS "detaineeLegalStatus", f.email AS "familyEmail",
            f.given_name || ' ' || f.family_name AS "familyName"
       FROM permit_requests r JOIN establishments e ON e.id = r.establishment_id JOIN detainees d ON d.id = r.detainee_id
       JOIN family_accounts f ON f.id = r.family_account_id
      WHERE r.id = $1 AND r.establishment_id = $2 AND r.status <> 'DRAFT' ${lock ? 'FOR UPDATE OF r' : ''}`,
    [id, establishmentId],
  );
}

export async function lockRequest(db: EntityManager, id: string): Promise<void> {
  await select(db, `SELECT id FROM permit_requests WHERE id = $1 FOR UPDATE`, [id]);
}

/** Serialises a family's detainee look-ups, so the hourly failure count cannot be raced. */
export async function lockFamilyAccount(db: EntityManager, familyId: string): Promise<void> {
  await select(db, `SELECT id FROM family_accounts WHERE id = $1 FOR UPDATE`, [familyId]);
}

export async function familyEmail(db: EntityManager, familyId: string): Promise<string | null> {
  return (await selectOne<{ email: string | null }>(db, `SELECT email FROM family_accounts WHERE id = $1`, [familyId]))?.email ?? null;
}

// ---- Step 1: the detainee, and the failed look-ups -------------------------------------------

export interface PresentDetainee {
  id: string;
  lastName: string;
  legalStatus: 'PREVENU' | 'CONDAMNE' | 'MIXTE';
  establishmentId: string;
}

/** A detainee present in the establishment with this écrou number (the establishment by its code or its id). */
export function presentDetainee(
  db: EntityManager,
  establishment: { code: string } | { id: string },
  ecrou: string,
): Promise<PresentDetainee | null> {
  const byCode = 'code' in establishment;
  return selectOne<PresentDetainee>(
    db,
    `SELECT d.id, d.last_name AS "lastName", d.legal_status AS "legalStatus", d.establishment_id AS "establishmentId"
       FROM detainees d JOIN establishments e ON e.id = d.establishment_id
      WHERE ${byCode ? 'e.code' : 'e.id'} = $1 AND d.ecrou_number = $2 AND d.custody_status = 'PRESENT'`,
    [byCode ? establishment.code : establishment.id, ecrou],
  );
}

export async function lookupFailuresSince(db: EntityManager, familyId: string, since: Date): Promise<number> {
  const row = await selectOne<{ failures: number }>(
    db,
    `SELECT count(*)::int AS failures FROM permit_lookup_failures WHERE family_account_id = $1 AND at > $2`,
    [familyId, since],
  );
  return row?.failures ?? 0;
}

export async function insertLookupFailure(db: EntityManager, familyId: string, at: Date): Promise<void> {
  await execute(db, `INSERT INTO permit_lookup_failures (family_account_id, at) VALUES ($1, $2)`, [familyId, at]);
}

export async function setDetainee(db: EntityManager, id: string, establishmentId: string, detaineeId: string): Promise<void> {
  await execute(
    db,
    `UPDATE permit_requests SET establishment_id = $2, detainee_id = $3, step = greatest(step, 2), updated_at = now() WHERE id = $1`,
    [id, establishmentId, detaineeId],
  );
}

// ---- Steps 2 to 8: the answers ----------------------------------------------------------------

/** The answers of steps 2, 3, 4, 6 and 8 (those given; the others are kept). */
export interface RequestAnswers {
  documentsUnderstood?: boolean;
  forSelf?: boolean;
  visitorGivenName?: string;
  visitorFamilyName?: string;
  /** AAAA-MM-JJ */
  visitorBirthdate?: string;
  relationship?: Relationship;
  relationshipDetail?: string | null;
  idDocumentType?: IdDocumentType;
  comment?: string | null;
}

const ANSWER_COLUMNS: { [K in keyof Required<RequestAnswers>]: string } = {
  documentsUnderstood: 'documents_understood',
  forSelf: 'for_self',
  visitorGivenName: 'visitor_given_name',
  visitorFamilyName: 'visitor_family_name',
  visitorBirthdate: 'visitor_birthdate',
  relationship: 'relationship',
  relationshipDetail: 'relationship_detail',
  idDocumentType: 'id_document_type',
  comment: 'comment',
};

/** Saves answers of a draft and moves its resume point forward to `nextStep`; nothing if it is no longer a draft. */
export async function saveDraftAnswers(db: EntityManager, id: string, nextStep: number, answers: RequestAnswers): Promise<number> {
  const keys = (Object.keys(ANSWER_COLUMNS) as (keyof RequestAnswers)[]).filter((k) => answers[k] !== undefined);
  const sets = keys.map((k, i) => `${ANSWER_COLUMNS[k]} = $${i + 3}`).join(', ');
  return execute(
    db,
    `UPDATE permit_requests SET ${sets}${sets ? ', ' : ''}step = greatest(step, $2), updated_at = now() WHERE id = $1 AND status = 'DRAFT'`,
    [id, nextStep, ...keys.map((k) => answers[k])],
  );
}

export async function advanceStep(db: EntityManager, id: string, step: number): Promise<void> {
  await execute(db, `UPDATE permit_requests SET step = greatest(step, $2), updated_at = now() WHERE id = $1`, [id, step]);
}

// ---- Status changes ---------------------------------------------------------------------------

export async function markSubmitted(db: EntityManager, id: string, reference: string, at: Date): Promise<void> {
  await execute(
    db,
    `UPDATE permit_requests SET status = 'SUBMITTED', reference = $2, submitted_at = $3, complete_at = $3, step = 9, updated_at = now()
      WHERE id = $1`,
    [id, reference, at],
  );
}

/** Back to the establishment after the documents asked for: complete again from `at`. */
export async function markResubmitted(db: EntityManager, id: string, at: Date): Promise<void> {
  await execute(db, `UPDATE permit_requests SET status = 'SUBMITTED', complete_at = $2, updated_at = now() WHERE id = $1`, [id, at]);
}

export async function markIncomplete(db: EntityManager, id: string): Promise<void> {
  await execute(db, `UPDATE permit_requests SET status = 'INCOMPLETE', complete_at = NULL, updated_at = now() WHERE id = $1`, [id]);
}

export async function markReady(db: EntityManager, id: string): Promise<void> {
  await execute(db, `UPDATE permit_requests SET status = 'READY', updated_at = now() WHERE id = $1`, [id]);
}

export async function recordDecision(
  db: EntityManager,
  id: string,
  decision: { status: 'GRANTED' | 'REFUSED'; at: Date; by: string; motivation: string | null },
): Promise<void> {
  await execute(
    db,
    `UPDATE permit_requests SET status = $2, decided_at = $3, decided_by = $4, decision_motivation = $5, updated_at = now() WHERE id = $1`,
    [id, decision.status, decision.at, decision.by, decision.motivation],
  );
}

/** Sent requests complete since `completeBefore` or earlier, still waiting for a decision. */
export function undecidedCompleteBefore(
  db: EntityManager,
  completeBefore: Date,
): Promise<{ id: string; establishmentId: string; completeAt: Date }[]> {
  return select(
    db,
    `SELECT id, establishment_id AS "establishmentId", complete_at AS "completeAt" FROM permit_requests
      WHERE status IN ('SUBMITTED','READY') AND complete_at IS NOT NULL AND complete_at <= $1`,
    [completeBefore],
  );
}

/** The implicit rejection, if the request is still waiting (false when someone decided meanwhile). */
export async function markImplicitlyRejected(db: EntityManager, id: string, at: Date): Promise<boolean> {
  const changed = await execute(
    db,
    `UPDATE permit_requests SET status = 'IMPLICITLY_REJECTED', decided_at = $2, updated_at = now()
      WHERE id = $1 AND status IN ('SUBMITTED','READY')`,
    [id, at],
  );
  return changed > 0;
}

// ---- The history ------------------------------------------------------------------------------

export interface RequestEventRow {
  at: Date;
  kind: RequestEventKind;
  status: PermitRequestStatus | null;
  message: string | null;
  actorType: 'AGENT' | 'FAMILY' | 'SYSTEM';
}

/** One entry of a request's history: a status change, a message to the family, or an internal note. */
export type RequestEvent = {
  requestId: string;
  at: Date;
  actor: { type: 'AGENT' | 'FAMILY' | 'SYSTEM'; id?: string | null };
} & (
  | { kind: 'STATUS'; status: PermitRequestStatus }
  | { kind: 'MESSAGE'; message: string }
  /** Never shown to the family. */
  | { kind: 'NOTE'; message: string }
);

/** The one way a request's history is written; the family sees everything but internal notes. */
export async function recordRequestEvent(db: EntityManager, event: RequestEvent): Promise<void> {
  await execute(
    db,
    `INSERT INTO permit_request_events (request_id, at, kind, status, message, visible_to_family, actor_type, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      event.requestId,
      event.at,
      event.kind,
      event.kind === 'STATUS' ? event.status : null,
      event.kind === 'STATUS' ? null : event.message,
      event.kind !== 'NOTE',
      event.actor.type,
      event.actor.id ?? null,
    ],
  );
}

export function requestEvents(db: EntityManager, requestId: string, familyView: boolean): Promise<RequestEventRow[]> {
  return select<RequestEventRow>(
    db,
    `SELECT at, kind, status, message, actor_type AS "actorType" FROM permit_request_events
      WHERE request_id = $1 AND ($2 = false OR visible_to_family) ORDER BY at, id`,
    [requestId, familyView],
  );
}

// ---- The establishment's work queue -------------------------------------------------------------

export interface QueueRow {
  id: string;
  reference: string;
  status: PermitRequestStatus;
  submittedAt: Date;
  completeAt: Date | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  detaineeName: string;
  ecrouNumber: string;
}

/** One page of the establishment's requests in these statuses, matching `search` (names, écrou, reference) if given. */
export async function queuePage(
  db: EntityManager,
  establishmentId: string,
  statuses: readonly PermitRequestStatus[],
  search: string,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: QueueRow[] }> {
  const params: unknown[] = [establishmentId, statuses];
  let where = `r.establishment_id = $1 AND r.status = ANY($2)`;
  if (search) {
    params.push(`%${search.toLowerCase()}%`);
    where += ` AND (lower(d.last_name) LIKE $3 OR lower(d.first_name) LIKE $3 OR lower(d.ecrou_number) LIKE $3
                    OR lower(r.reference) LIKE $3 OR lower(r.visitor_family_name) LIKE $3)`;
  }
  const count = await selectOne<{ total: number }>(
    db,
    `SELECT count(*)::int AS total FROM permit_requests r JOIN detainees d ON d.id = r.detainee_id WHERE ${where}`,
    params,
  );
  const rows = await select<QueueRow>(
    db,
    `SELECT r.id, r.reference, r.status, r.submitted_at AS "submittedAt", r.complete_at AS "completeAt",
            r.visitor_given_name AS "visitorGivenName", r.visitor_family_name AS "visitorFamilyName",
            d.first_name || ' ' || d.last_name AS "detaineeName", d.ecrou_number AS "ecrouNumber"
       FROM permit_requests r JOIN detainees d ON d.id = r.detainee_id
      WHERE ${where} ORDER BY r.complete_at NULLS LAST, r.submitted_at LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, pageSize, (page - 1) * pageSize],
  );
  return { total: count?.total ?? 0, rows };
}
