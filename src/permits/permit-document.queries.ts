import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { DocumentKind, DocumentReview } from './permit-document.entity';
import type { PermitRequestStatus } from './permit-request.entity';

/** The SQL of the documents of requests and of permits' photos (the files themselves are in the document store). */

export interface DocumentRow {
  id: string;
  kind: DocumentKind;
  contentType: 'image/jpeg' | 'application/pdf';
  sizeBytes: number;
  originalName: string;
  review: DocumentReview;
  reviewReason: string | null;
  createdAt: Date;
}

/** The current (not replaced, not deleted) documents of a request: one photo, ID and proof of address, any number of complementary ones. */
export function currentDocuments(db: EntityManager, requestId: string): Promise<DocumentRow[]> {
  return select<DocumentRow>(
    db,
    `SELECT id, kind, content_type AS "contentType", size_bytes AS "sizeBytes", original_name AS "originalName", review,
            review_reason AS "reviewReason", created_at AS "createdAt"
       FROM permit_documents WHERE request_id = $1 AND current AND deleted_at IS NULL ORDER BY kind, created_at`,
    [requestId],
  );
}

export interface NewDocument {
  /** null for the photo of a permit recorded from paper or from the magistrate. */
  requestId: string | null;
  kind: DocumentKind;
  storageKey: string;
  contentType: 'image/jpeg' | 'application/pdf';
  sizeBytes: number;
  sha256: string;
  originalName: string;
}

/**
 * Stores a document's record; a request's previous photo, identity document or proof of address is kept,
 * no longer current. Complementary documents add up (both parents' consents): none replaces another.
 */
export async function insertDocument(db: EntityManager, doc: NewDocument): Promise<string> {
  if (doc.requestId && ['PHOTO', 'ID_DOCUMENT', 'PROOF_OF_ADDRESS'].includes(doc.kind)) {
    await execute(db, `UPDATE permit_documents SET current = false WHERE request_id = $1 AND kind = $2 AND current`, [
      doc.requestId,
      doc.kind,
    ]);
  }
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO permit_documents (request_id, kind, storage_key, content_type, size_bytes, sha256, original_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [doc.requestId, doc.kind, doc.storageKey, doc.contentType, doc.sizeBytes, doc.sha256, doc.originalName],
  );
  return rows[0].id;
}

/** Records the review of a current document of the request; false if there is no such document. */
export async function setReview(
  db: EntityManager,
  requestId: string,
  documentId: string,
  review: DocumentReview,
  reason: string | null,
): Promise<boolean> {
  const changed = await execute(
    db,
    `UPDATE permit_documents SET review = $3, review_reason = $4 WHERE id = $1 AND request_id = $2 AND current`,
    [documentId, requestId, review, reason],
  );
  return changed > 0;
}

export async function currentPhotoId(db: EntityManager, requestId: string): Promise<string | null> {
  const row = await selectOne<{ id: string }>(db, `SELECT id FROM permit_documents WHERE request_id = $1 AND kind = 'PHOTO' AND current`, [
    requestId,
  ]);
  return row?.id ?? null;
}

/** What decides who may read a document: its request (owner, establishment, status) or the permit it is the photo of. */
export interface DocumentAccess {
  storageKey: string;
  contentType: 'image/jpeg' | 'application/pdf';
  kind: DocumentKind;
  familyAccountId: string | null;
  establishmentId: string | null;
  requestStatus: PermitRequestStatus | null;
  permitPhoto: boolean;
}

export function documentAccess(db: EntityManager, documentId: string): Promise<DocumentAccess | null> {
  return selectOne<DocumentAccess>(
    db,
    `SELECT p.storage_key AS "storageKey", p.content_type AS "contentType", p.kind, r.family_account_id AS "familyAccountId",
            coalesce(r.establishment_id, pm.establishment_id) AS "establishmentId", r.status AS "requestStatus",
            pm.id IS NOT NULL AS "permitPhoto"
       FROM permit_documents p LEFT JOIN permit_requests r ON r.id = p.request_id LEFT JOIN permits pm ON pm.photo_document_id = p.id
      WHERE p.id = $1 AND p.deleted_at IS NULL`,
    [documentId],
  );
}

export interface ExpiredDocument {
  id: string;
  storageKey: string;
  requestId: string;
  establishmentId: string;
}

/**
 * Documents of requests finally decided (or withdrawn by the family) on `decidedBefore` or earlier, except
 * the photos permits show and the requests under a litigation hold (a recourse is recorded).
 */
export function documentsDecidedBefore(db: EntityManager, decidedBefore: Date): Promise<ExpiredDocument[]> {
  return select<ExpiredDocument>(
    db,
    `SELECT p.id, p.storage_key AS "storageKey", p.request_id AS "requestId", r.establishment_id AS "establishmentId"
       FROM permit_documents p JOIN permit_requests r ON r.id = p.request_id
      WHERE p.deleted_at IS NULL AND r.litigation_hold_since IS NULL
        AND ((r.status IN ('GRANTED','REFUSED','IMPLICITLY_REJECTED') AND r.decided_at <= $1)
             OR (r.status = 'WITHDRAWN' AND r.withdrawn_at <= $1))
        AND NOT EXISTS (SELECT 1 FROM permits x WHERE x.photo_document_id = p.id)`,
    [decidedBefore],
  );
}

export async function markDocumentDeleted(db: EntityManager, id: string, at: Date): Promise<void> {
  await execute(db, `UPDATE permit_documents SET deleted_at = $2 WHERE id = $1`, [id, at]);
}

/** Of these storage keys, those whose document still exists (a record, not deleted). */
export async function liveStorageKeys(db: EntityManager, keys: readonly string[]): Promise<Set<string>> {
  const rows = await select<{ storageKey: string }>(
    db,
    `SELECT storage_key AS "storageKey" FROM permit_documents WHERE storage_key = ANY($1) AND deleted_at IS NULL`,
    [keys],
  );
  return new Set(rows.map((r) => r.storageKey));
}
