import sharp from 'sharp';
import { queryOne } from '../helpers/db';
import type { DocumentsDir } from '../helpers/permits';
import { unique } from './people';

/* The built module, as the app runs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DocumentStore } = require('../../dist/src/common/document-store') as typeof import('../../src/common/document-store');

export interface PermitRow {
  id: string;
  establishmentId: string;
  detaineeId: string;
  familyAccountId: string | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  visitorBirthdate: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'WITHDRAWN';
}

/** A visit permit, as the greffe records it (paper by default), for a visitor of a family account. */
export async function insertPermit(o: {
  establishmentId: string;
  detaineeId: string;
  familyAccountId?: string | null;
  visitorGivenName?: string;
  visitorFamilyName?: string;
  visitorBirthdate?: string;
  relationship?: string;
  validFrom?: string;
  validTo?: string | null;
  status?: PermitRow['status'];
  statusReason?: string | null;
  origin?: 'PAPER' | 'MAGISTRATE' | 'ONLINE';
  photoDocumentId?: string | null;
}): Promise<PermitRow> {
  const status = o.status ?? 'ACTIVE';
  return queryOne<PermitRow>(
    `INSERT INTO permits (establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name, visitor_birthdate,
                          relationship, valid_from, valid_to, status, status_reason, origin, photo_document_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     RETURNING id, establishment_id AS "establishmentId", detainee_id AS "detaineeId", family_account_id AS "familyAccountId",
               visitor_given_name AS "visitorGivenName", visitor_family_name AS "visitorFamilyName",
               to_char(visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", status`,
    [
      o.establishmentId,
      o.detaineeId,
      o.familyAccountId ?? null,
      o.visitorGivenName ?? 'Camille',
      o.visitorFamilyName ?? 'Lefort',
      o.visitorBirthdate ?? '1985-03-14',
      o.relationship ?? 'SPOUSE',
      o.validFrom ?? '2026-01-01',
      o.validTo ?? null,
      status,
      o.statusReason ?? (status === 'ACTIVE' ? null : 'Motif de test, assez long pour être valable.'),
      o.origin ?? 'PAPER',
      o.photoDocumentId ?? null,
    ],
  );
}

export type RequestStatus = 'DRAFT' | 'SUBMITTED' | 'INCOMPLETE' | 'READY' | 'GRANTED' | 'REFUSED' | 'IMPLICITLY_REJECTED';

export interface PermitRequestRow {
  id: string;
  reference: string | null;
  familyAccountId: string;
  establishmentId: string | null;
  detaineeId: string | null;
  status: RequestStatus;
  visitorGivenName: string | null;
  visitorFamilyName: string | null;
}

/**
 * A permit request as a family leaves it: a draft at `step` (its answers up to there), or sent
 * (a reference, every answer, complete since `completeAt`, now by default). Add its files with
 * insertRequestDocument.
 */
export async function insertPermitRequest(o: {
  familyAccountId: string;
  establishmentId: string | null;
  detaineeId: string | null;
  status?: RequestStatus;
  step?: number;
  visitorGivenName?: string;
  visitorFamilyName?: string;
  visitorBirthdate?: string;
  relationship?: string;
  submittedAt?: Date;
  completeAt?: Date | null;
  decidedAt?: Date | null;
  decisionMotivation?: string | null;
}): Promise<PermitRequestRow> {
  const status = o.status ?? 'SUBMITTED';
  const draft = status === 'DRAFT';
  const step = o.step ?? 9;
  const answered = (fromStep: number) => !draft || step > fromStep;
  const submittedAt = draft ? null : (o.submittedAt ?? new Date());
  const reference = draft ? null : `PV-${unique().slice(-8)}`;
  return queryOne<PermitRequestRow>(
    `INSERT INTO permit_requests (family_account_id, establishment_id, detainee_id, step, documents_understood, for_self,
                                  visitor_given_name,
                                  visitor_family_name, visitor_birthdate, relationship, id_document_type, status, reference, submitted_at,
                                  complete_at, decided_at, decision_motivation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     RETURNING id, reference, family_account_id AS "familyAccountId", establishment_id AS "establishmentId",
               detainee_id AS "detaineeId", status,
               visitor_given_name AS "visitorGivenName", visitor_family_name AS "visitorFamilyName"`,
    [
      o.familyAccountId,
      o.establishmentId,
      o.detaineeId,
      draft ? step : 9,
      answered(2),
      answered(3) ? false : null,
      answered(3) ? (o.visitorGivenName ?? 'Lina') : null,
      answered(3) ? (o.visitorFamilyName ?? 'Martin') : null,
      answered(3) ? (o.visitorBirthdate ?? '1990-05-02') : null,
      answered(4) ? (o.relationship ?? 'SIBLING') : null,
      answered(6) ? 'CNI' : null,
      status,
      reference,
      submittedAt,
      draft || status === 'INCOMPLETE' ? null : o.completeAt === undefined ? submittedAt : o.completeAt,
      o.decidedAt ?? (['GRANTED', 'REFUSED', 'IMPLICITLY_REJECTED'].includes(status) ? new Date() : null),
      o.decisionMotivation ?? (status === 'REFUSED' ? 'Motif de refus de test, assez long pour être valable.' : null),
    ],
  );
}

/** An identity photo as the app stores it (JPEG). */
export function photoJpeg(size = 400): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: 160, g: 130, b: 110 } } })
    .jpeg()
    .toBuffer();
}

/**
 * A document of a request (or, with a null request, the photo of a recorded permit): its file
 * encrypted in the app's documents folder with the app's key, and its record.
 */
export async function insertRequestDocument(
  docs: DocumentsDir,
  requestId: string | null,
  kind: 'PHOTO' | 'ID_DOCUMENT' | 'PROOF_OF_ADDRESS',
  o: { content?: Buffer; originalName?: string } = {},
): Promise<{ id: string; storageKey: string; path: string }> {
  const content = o.content ?? (await photoJpeg());
  const store = new DocumentStore(docs.dir, docs.key);
  const { storageKey, sha256 } = await store.put(content);
  const { id } = await queryOne<{ id: string }>(
    `INSERT INTO permit_documents (request_id, kind, storage_key, content_type, size_bytes, sha256, original_name)
     VALUES ($1, $2, $3, 'image/jpeg', $4, $5, $6) RETURNING id`,
    [requestId, kind, storageKey, content.length, sha256, o.originalName ?? `${kind.toLowerCase()}.jpg`],
  );
  return { id, storageKey, path: store.filePath(storageKey) };
}

/** The three documents of a complete request. */
export async function insertRequestDocuments(
  docs: DocumentsDir,
  requestId: string,
): Promise<Record<'PHOTO' | 'ID_DOCUMENT' | 'PROOF_OF_ADDRESS', { id: string; path: string }>> {
  return {
    PHOTO: await insertRequestDocument(docs, requestId, 'PHOTO'),
    ID_DOCUMENT: await insertRequestDocument(docs, requestId, 'ID_DOCUMENT'),
    PROOF_OF_ADDRESS: await insertRequestDocument(docs, requestId, 'PROOF_OF_ADDRESS'),
  };
}
