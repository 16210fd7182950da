import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { PermitOrigin, PermitStatus, RoomCondition } from './permit.entity';
import type { Relationship } from './permit.rules';

/** The SQL of permits: the record the visiting room checks, its changes of status. */

/** A permit as its page and its printed version show it. */
export interface PermitRow {
  id: string;
  requestId: string | null;
  establishmentId: string;
  detaineeId: string;
  familyAccountId: string | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  /** AAAA-MM-JJ, like every date of a permit. */
  visitorBirthdate: string;
  relationship: Relationship;
  photoDocumentId: string | null;
  validFrom: string;
  validTo: string | null;
  status: PermitStatus;
  statusReason: string | null;
  origin: PermitOrigin;
  detaineeName: string;
  ecrouNumber: string;
  establishmentName: string;
  establishmentCode: string;
  /** The online request it was granted on, if any. */
  reference: string | null;
  maxVisits: number | null;
  roomCondition: RoomCondition | null;
  allowedDays: number[] | null;
  /** HH:MM */
  allowedFrom: string | null;
  allowedTo: string | null;
  conditionsNote: string | null;
  issuingAuthority: string | null;
  paperReference: string | null;
  /** Visits booked or made with it (cancelled ones aside). */
  visitsUsed: number;
  /** The parental-authority holders' written consent for a minor of 16 or more to visit without an adult, recorded by the greffe. */
  unaccompaniedConsentAt: Date | null;
  unaccompaniedConsentNote: string | null;
  unaccompaniedConsentDocumentId: string | null;
}

/** A permit's limit in visits and its conditions of place and time (R341-1), as stored. */
export type PermitTerms = Pick<PermitRow, 'maxVisits' | 'roomCondition' | 'allowedDays' | 'allowedFrom' | 'allowedTo' | 'conditionsNote'>;

export function permitOfEstablishment(db: EntityManager, establishmentId: string, permitId: string): Promise<PermitRow | null> {
  return selectOne<PermitRow>(
    db,
    `SELECT p.id, p.request_id AS "requestId", p.establishment_id AS "establishmentId", p.detainee_id AS "detaineeId",
            p.family_account_id AS "familyAccountId", p.visitor_given_name AS "visitorGivenName",
            p.visitor_family_name AS "visitorFamilyName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", p.relationship, p.photo_document_id AS "photoDocumentId",
            to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo", p.status,
            p.status_reason AS "statusReason", p.origin, d.first_name || ' ' || d.last_name AS "detaineeName",
            d.ecrou_number AS "ecrouNumber",
            e.name AS "establishmentName", e.code AS "establishmentCode", r.reference,
            p.max_visits AS "maxVisits", p.room_condition AS "roomCondition", p.allowed_days::int[] AS "allowedDays",
            to_char(p.allowed_from, 'HH24:MI') AS "allowedFrom", to_char(p.allowed_to, 'HH24:MI') AS "allowedTo",
            p.conditions_note AS "conditionsNote", p.issuing_authority AS "issuingAuthority", p.paper_reference AS "paperReference",
            (SELECT count(*)::int FROM visit_visitors uv JOIN visits u ON u.id = uv.visit_id
              WHERE uv.permit_id = p.id AND u.status <> 'CANCELLED') AS "visitsUsed",
            p.unaccompanied_consent_at AS "unaccompaniedConsentAt", p.unaccompanied_consent_note AS "unaccompaniedConsentNote",
            p.unaccompanied_consent_document_id AS "unaccompaniedConsentDocumentId"
       FROM permits p JOIN detainees d ON d.id = p.detainee_id JOIN establishments e ON e.id = p.establishment_id
       LEFT JOIN permit_requests r ON r.id = p.request_id
      WHERE p.id = $1 AND p.establishment_id = $2`,
    [permitId, establishmentId],
  );
}

export interface PermitForStatusChange {
  id: string;
  status: PermitStatus;
  visitorGivenName: string;
  visitorFamilyName: string;
  familyEmail: string | null;
  establishmentName: string;
}

/** The permit, locked for the transaction that changes its status, with whom to tell. */
export function lockPermit(db: EntityManager, establishmentId: string, permitId: string): Promise<PermitForStatusChange | null> {
  return selectOne<PermitForStatusChange>(
    db,
    `SELECT p.id, p.status, p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            f.email AS "familyEmail", e.name AS "establishmentName"
       FROM permits p JOIN establishments e ON e.id = p.establishment_id LEFT JOIN family_accounts f ON f.id = p.family_account_id
      WHERE p.id = $1 AND p.establishment_id = $2 FOR UPDATE OF p`,
    [permitId, establishmentId],
  );
}

export async function setPermitStatus(db: EntityManager, permitId: string, status: PermitStatus, reason: string | null): Promise<void> {
  await execute(db, `UPDATE permits SET status = $2, status_reason = $3, updated_at = now() WHERE id = $1`, [permitId, status, reason]);
}

/** A permit to record: its own fields, as its page shows them, before it has an id or a status. */
export type NewPermit = Omit<
  PermitRow,
  | 'id'
  | 'status'
  | 'statusReason'
  | 'detaineeName'
  | 'ecrouNumber'
  | 'establishmentName'
  | 'establishmentCode'
  | 'reference'
  | 'visitsUsed'
  | keyof PermitTerms
  | 'issuingAuthority'
  | 'paperReference'
  | 'unaccompaniedConsentAt'
  | 'unaccompaniedConsentNote'
  | 'unaccompaniedConsentDocumentId'
> &
  Partial<PermitTerms & Pick<PermitRow, 'issuingAuthority' | 'paperReference'>> & {
    /** A magistrate's permit for a detainee now condamné: the head reviews it (R341-5). */
    headReviewDue?: boolean;
  };

/** New limits and conditions of a permit. */
export async function setPermitTerms(db: EntityManager, permitId: string, t: PermitTerms): Promise<void> {
  await execute(
    db,
    `UPDATE permits SET max_visits = $2, room_condition = $3, allowed_days = $4::smallint[], allowed_from = $5, allowed_to = $6,
                        conditions_note = $7, updated_at = now() WHERE id = $1`,
    [permitId, t.maxVisits, t.roomCondition, t.allowedDays, t.allowedFrom, t.allowedTo, t.conditionsNote],
  );
}

export async function insertPermit(db: EntityManager, p: NewPermit): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO permits (request_id, establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name,
                          visitor_birthdate, relationship, photo_document_id, valid_from, valid_to, origin,
                          max_visits, room_condition, allowed_days, allowed_from, allowed_to, conditions_note, issuing_authority, paper_reference,
                          head_review_due)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::smallint[], $16, $17, $18, $19, $20, $21) RETURNING id`,
    [
      p.requestId,
      p.establishmentId,
      p.detaineeId,
      p.familyAccountId,
      p.visitorGivenName,
      p.visitorFamilyName,
      p.visitorBirthdate,
      p.relationship,
      p.photoDocumentId,
      p.validFrom,
      p.validTo,
      p.origin,
      p.maxVisits ?? null,
      p.roomCondition ?? null,
      p.allowedDays ?? null,
      p.allowedFrom ?? null,
      p.allowedTo ?? null,
      p.conditionsNote ?? null,
      p.issuingAuthority ?? null,
      p.paperReference ?? null,
      p.headReviewDue ?? false,
    ],
  );
  return rows[0].id;
}

/** A parental-authority holders' consent sent with a permit's request, which the greffe may record as the consent to come without an adult. */
export interface ConsentDocument {
  id: string;
  originalName: string;
  createdAt: Date;
}

/** The parental-authority consents joined to a request (not deleted), oldest first. */
export function consentDocumentsOfRequest(db: EntityManager, requestId: string): Promise<ConsentDocument[]> {
  return select<ConsentDocument>(
    db,
    `SELECT id, original_name AS "originalName", created_at AS "createdAt" FROM permit_documents
      WHERE request_id = $1 AND kind = 'PARENTAL_CONSENT' AND deleted_at IS NULL ORDER BY created_at`,
    [requestId],
  );
}

/** Records (or clears, with null) the consent to come without an adult; the check constraints permits_unaccompanied_consent_* hold its shape. */
export async function setUnaccompaniedConsent(
  db: EntityManager,
  permitId: string,
  c: { at: Date; by: string | null; documentId: string | null; note: string | null } | null,
): Promise<void> {
  await execute(
    db,
    `UPDATE permits SET unaccompanied_consent_at = $2, unaccompanied_consent_by = $3, unaccompanied_consent_document_id = $4,
            unaccompanied_consent_note = $5, updated_at = now() WHERE id = $1`,
    [permitId, c?.at ?? null, c?.by ?? null, c?.documentId ?? null, c?.note ?? null],
  );
}
