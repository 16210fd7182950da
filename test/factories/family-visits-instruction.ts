import { join } from 'node:path';
import { queryOne } from '../helpers/db';
import type { DocumentsDir } from '../helpers/permits';
import { insertPermit, photoJpeg } from './permits';

/* The built module, as the app runs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DocumentStore } = require('../../dist/src/common/document-store') as typeof import('../../src/common/document-store');

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
let counter = 0;
/** A case reference of its own (12 characters at most). */
function caseReference(): string {
  counter += 1;
  const n = (Date.now() % 1_000_000) * 100 + (counter % 100) + Number(process.env.JEST_WORKER_ID ?? '1') * 1e9;
  let s = '';
  for (let x = n; s.length < 9; x = Math.floor(x / 32)) s = ALPHABET[x % 32] + s;
  return `UV${s}`;
}

export interface CaseRow {
  id: string;
  reference: string;
}

/** A UVF / PF case of a detainee, under instruction by default. */
export async function insertFamilyVisitCase(o: {
  establishmentId: string;
  detaineeId: string;
  kind?: 'UVF' | 'PF';
  wishedFrom?: string;
  wishedTo?: string;
  wishedHours?: number;
  status?: string;
}): Promise<CaseRow> {
  return queryOne<CaseRow>(
    `INSERT INTO family_visit_cases (reference, establishment_id, detainee_id, kind, wished_from, wished_to, wished_hours, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, reference`,
    [
      caseReference(),
      o.establishmentId,
      o.detaineeId,
      o.kind ?? 'UVF',
      o.wishedFrom ?? '2027-03-01',
      o.wishedTo ?? '2027-03-31',
      o.wishedHours ?? 24,
      o.status ?? 'INSTRUCTION',
    ],
  );
}

/** The detainee's request of a case. */
export async function insertDetaineeRequest(
  caseId: string,
  o: { receivedAt?: Date; rulesAcknowledged?: boolean } = {},
): Promise<{ id: string }> {
  return queryOne(
    `INSERT INTO family_visit_requests (case_id, applicant, channel, received_at, rules_acknowledged_at)
     VALUES ($1, 'DETAINEE', 'LETTER', $2, $3) RETURNING id`,
    [caseId, o.receivedAt ?? new Date(), o.rulesAcknowledged === false ? null : new Date()],
  );
}

/** A visitor's request of a case, with the permit it rests on (created here, for the case's detainee). */
export async function insertVisitorRequest(
  c: { caseId: string; establishmentId: string; detaineeId: string },
  o: {
    familyAccountId?: string | null;
    visitorGivenName?: string;
    visitorFamilyName?: string;
    visitorBirthdate?: string;
    relationship?: string;
    channel?: 'ONLINE' | 'LETTER' | 'EMAIL' | 'IN_PERSON';
    receivedAt?: Date;
    rulesAcknowledged?: boolean;
    status?: string;
  } = {},
): Promise<{ id: string; permitId: string }> {
  const permit = await insertPermit({
    establishmentId: c.establishmentId,
    detaineeId: c.detaineeId,
    familyAccountId: o.familyAccountId ?? null,
    visitorGivenName: o.visitorGivenName,
    visitorFamilyName: o.visitorFamilyName,
    visitorBirthdate: o.visitorBirthdate,
    relationship: o.relationship ?? 'SPOUSE',
  });
  const row = await queryOne<{ id: string }>(
    `INSERT INTO family_visit_requests (case_id, applicant, permit_id, family_account_id, channel, received_at, rules_acknowledged_at, status)
     VALUES ($1, 'VISITOR', $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      c.caseId,
      permit.id,
      o.familyAccountId ?? null,
      o.channel ?? 'ONLINE',
      o.receivedAt ?? new Date(),
      o.rulesAcknowledged === false ? null : new Date(),
      o.status ?? 'RECEIVED',
    ],
  );
  return { id: row.id, permitId: permit.id };
}

/** A document of a request, encrypted where the app keeps UVF / PF documents (the `family-visits` sub-folder). */
export async function insertFamilyVisitDocument(
  docs: DocumentsDir,
  requestId: string,
  o: {
    kind?: 'PARENTAL_CONSENT' | 'RULES_ACKNOWLEDGEMENT' | 'OTHER';
    content?: Buffer;
    originalName?: string;
    consentGivenBy?: string;
  } = {},
): Promise<{ id: string; content: Buffer }> {
  const kind = o.kind ?? 'RULES_ACKNOWLEDGEMENT';
  const content = o.content ?? (await photoJpeg());
  const store = new DocumentStore(join(docs.dir, 'family-visits'), docs.key);
  const { storageKey, sha256 } = await store.put(content);
  const consent = kind === 'PARENTAL_CONSENT';
  const { id } = await queryOne<{ id: string }>(
    `INSERT INTO family_visit_documents (request_id, kind, consent_given_by, consent_capacity, storage_key, content_type, size_bytes, sha256, original_name)
     VALUES ($1, $2, $3, $4, $5, 'image/jpeg', $6, $7, $8) RETURNING id`,
    [
      requestId,
      kind,
      consent ? (o.consentGivenBy ?? 'Les deux parents') : null,
      consent ? 'BOTH_PARENTS' : null,
      storageKey,
      content.length,
      sha256,
      o.originalName ?? `${kind.toLowerCase()}.jpg`,
    ],
  );
  return { id, content };
}

/** An interview of a request, scheduled (or done) at this instant, by this counsellor. */
export async function insertInterview(o: {
  requestId: string;
  counsellorId: string;
  at: Date;
  status?: 'SCHEDULED' | 'DONE' | 'CANCELLED';
}): Promise<{ id: string }> {
  return queryOne(
    `INSERT INTO family_visit_interviews (request_id, counsellor_id, at, mode, status, notes) VALUES ($1, $2, $3, 'IN_PERSON', $4, $5) RETURNING id`,
    [o.requestId, o.counsellorId, o.at, o.status ?? 'SCHEDULED', o.status === 'DONE' ? 'Entretien de test.' : null],
  );
}
