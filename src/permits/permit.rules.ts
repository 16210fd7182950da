import { addMonths, differenceInCalendarDays, differenceInYears } from 'date-fns';
import { parseDay } from '../common/dates';
import { normalizeName } from '../common/names';
import type { DocumentKind } from './permit-document.entity';
import type { PermitRequestStatus } from './permit-request.entity';

/** Relationship to the detainee (DOMAIN.md: family in the broad sense, and close relations). */
export const RELATIONSHIPS = {
  ASCENDANT: 'Parent ou grand-parent (ascendant)',
  DESCENDANT: 'Enfant ou petit-enfant (descendant)',
  SIBLING: 'Frère ou sœur',
  SPOUSE: 'Époux ou épouse',
  PACS_PARTNER: 'Partenaire de PACS',
  COHABITANT: 'Concubin ou concubine',
  FAMILY_PROJECT: 'Personne avec qui la personne détenue a un projet familial',
  FRIEND: 'Ami ou proche',
  OTHER: 'Autre lien',
} as const;
export type Relationship = keyof typeof RELATIONSHIPS;

/** A residence permit proves identity like a passport (DOMAIN.md); residence status is no condition. */
export const ID_DOCUMENT_TYPES = {
  CNI: 'Carte nationale d’identité',
  PASSEPORT: 'Passeport',
  TITRE_SEJOUR: 'Titre de séjour',
  PERMIS_CONDUIRE: 'Permis de conduire',
  AUTRE: 'Autre pièce d’identité officielle avec photo',
  LIVRET_FAMILLE: 'Livret de famille (enfant mineur)',
  ACTE_NAISSANCE: 'Acte de naissance (enfant mineur)',
} as const;
export type IdDocumentType = keyof typeof ID_DOCUMENT_TYPES;

/** A minor often has no identity card: the livret de famille or a birth certificate identifies the child, and only a child. */
export const MINOR_ONLY_ID_TYPES: readonly IdDocumentType[] = ['LIVRET_FAMILLE', 'ACTE_NAISSANCE'];

export function idTypeAllowed(type: IdDocumentType, minor: boolean): boolean {
  return minor || !MINOR_ONLY_ID_TYPES.includes(type);
}

/** The identity document types offered for this visitor (labels by key). */
export function idTypesFor(minor: boolean): Partial<Record<IdDocumentType, string>> {
  return Object.fromEntries(Object.entries(ID_DOCUMENT_TYPES).filter(([k]) => idTypeAllowed(k as IdDocumentType, minor)));
}

/** Every document kind by its French label, as the family and the staff read it. */
export const DOCUMENT_LABELS: Record<DocumentKind, string> = {
  PHOTO: 'Photo d’identité',
  ID_DOCUMENT: 'Pièce d’identité',
  PROOF_OF_ADDRESS: 'Justificatif de domicile',
  LIVRET_FAMILLE: 'Livret de famille',
  PACS_PROOF: 'Attestation de PACS',
  COHABITATION_PROOF: 'Preuve de vie commune',
  PARENTAL_CONSENT: 'Autorisation des titulaires de l’autorité parentale',
  DOMICILIATION: 'Attestation de domiciliation',
  BIRTH_CERTIFICATE: 'Acte de naissance',
  OTHER: 'Autre document',
};

/** The documents of the request itself: a new one replaces the previous one of its kind. */
export const MAIN_DOCUMENT_KINDS: readonly DocumentKind[] = ['PHOTO', 'ID_DOCUMENT', 'PROOF_OF_ADDRESS'];

/**
 * Complementary documents, each its own kind: they never replace the photo, the identity document or the
 * proof of address, and several of a kind may coexist (both parents' consents, two proofs of life together).
 */
export const COMPLEMENTARY_DOCUMENT_KINDS: readonly DocumentKind[] = [
  'LIVRET_FAMILLE',
  'PACS_PROOF',
  'COHABITATION_PROOF',
  'PARENTAL_CONSENT',
  'DOMICILIATION',
  'BIRTH_CERTIFICATE',
  'OTHER',
];

/**
 * Which documents a family may send on a request in this status: every kind while a draft or while the
 * establishment waits for documents; only complementary ones while simply sent; none after.
 */
export function uploadableKinds(status: PermitRequestStatus): readonly DocumentKind[] {
  switch (status) {
    case 'DRAFT':
    case 'INCOMPLETE':
      return [...MAIN_DOCUMENT_KINDS, ...COMPLEMENTARY_DOCUMENT_KINDS];
    case 'SUBMITTED':
      return COMPLEMENTARY_DOCUMENT_KINDS;
    default:
      return [];
  }
}

/** The family may withdraw its request while it waits for a decision. */
export const WITHDRAWABLE_STATUSES: readonly PermitRequestStatus[] = ['SUBMITTED', 'INCOMPLETE', 'READY'];

export const STATUS_LABELS: Record<PermitRequestStatus, string> = {
  DRAFT: 'Brouillon',
  SUBMITTED: 'Déposée',
  INCOMPLETE: 'Incomplète : documents demandés',
  READY: 'Prête pour décision',
  GRANTED: 'Accordée',
  REFUSED: 'Refusée',
  IMPLICITLY_REJECTED: 'Rejet implicite',
  WITHDRAWN: 'Retirée par la famille',
};

/** Failed detainee look-ups allowed per account and per hour (no enumeration of who is detained where). */
export const MAX_LOOKUP_FAILURES_PER_HOUR = 5;

/** The verbatim recourse mention that every refusal carries (DOMAIN.md, R. 421-1 CJA). */
export const RECOURSE_MENTION =
  "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois " +
  "à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.";

export const MIN_MOTIVATION_LENGTH = 20;

export function isMinor(birthdate: string, today: Date): boolean {
  return differenceInYears(new Date(`${today.toISOString().slice(0, 10)}T00:00:00Z`), new Date(`${birthdate}T00:00:00Z`)) < 18;
}

/** Case, accent, hyphen and space insensitive comparison of a typed name with the detainee's. */
export function namesMatch(typed: string, actual: string): boolean {
  const a = normalizeName(typed);
  return a.length > 0 && a === normalizeName(actual);
}

/** A birth date typed as JJ/MM/AAAA or AAAA-MM-JJ, real and in the past; null otherwise. */
export function parseBirthdate(raw: string, today: Date): string | null {
  const day = parseDay(raw);
  return day && day <= today.toISOString().slice(0, 10) ? day : null;
}

/** The head of establishment decides within 2 months of a complete request; silence is an implicit rejection. */
export function decisionDeadline(completeAt: Date): Date {
  return addMonths(completeAt, 2);
}

export function daysLeft(completeAt: Date, now: Date): number {
  return differenceInCalendarDays(decisionDeadline(completeAt), now);
}

/** The requests still waiting for a decision: the establishment may ask for documents, mark ready, decide. */
export const OPEN_STATUSES: readonly PermitRequestStatus[] = ['SUBMITTED', 'INCOMPLETE', 'READY'];
export const DECIDED_STATUSES: readonly PermitRequestStatus[] = ['GRANTED', 'REFUSED', 'IMPLICITLY_REJECTED'];

/** What a draft needs before it can be sent. */
export interface SubmissionCheck {
  detaineeId: string | null;
  documentsUnderstood: boolean;
  forSelf: boolean | null;
  visitorGivenName: string | null;
  visitorFamilyName: string | null;
  visitorBirthdate: string | null;
  relationship: Relationship | null;
  idDocumentType: IdDocumentType | null;
}

/** What a draft may still lack, by code, with its French name (permits:missing.<code> in the catalogs). */
export const MISSING_PIECES = {
  DETAINEE: 'la personne détenue',
  DOCUMENTS_LIST: 'la confirmation de la liste des documents',
  VISITOR: 'l’identité du visiteur',
  RELATIONSHIP: 'le lien avec la personne détenue',
  PHOTO: 'la photo d’identité',
  ID_DOCUMENT: 'la pièce d’identité',
  PROOF_OF_ADDRESS: 'le justificatif de domicile',
  PARENTAL_CONSENT: 'l’autorisation des titulaires de l’autorité parentale',
} as const;
export type MissingPiece = keyof typeof MISSING_PIECES;

/**
 * What is still missing before the request can be sent (empty when complete). For a minor visitor,
 * the written consent of the parental-authority holders (circulaire of 20 February 2012); the livret
 * de famille or a birth certificate identify a minor only.
 */
export function missingPieces(r: SubmissionCheck, documents: readonly DocumentKind[], minor: boolean): MissingPiece[] {
  const has = (k: DocumentKind) => documents.includes(k);
  const missing: MissingPiece[] = [];
  if (!r.detaineeId) missing.push('DETAINEE');
  if (!r.documentsUnderstood) missing.push('DOCUMENTS_LIST');
  if (r.forSelf === null || !r.visitorGivenName || !r.visitorFamilyName || !r.visitorBirthdate) missing.push('VISITOR');
  if (!r.relationship) missing.push('RELATIONSHIP');
  if (!has('PHOTO')) missing.push('PHOTO');
  if (!r.idDocumentType || !has('ID_DOCUMENT') || !idTypeAllowed(r.idDocumentType, minor)) missing.push('ID_DOCUMENT');
  if (!has('PROOF_OF_ADDRESS')) missing.push('PROOF_OF_ADDRESS');
  if (minor && !has('PARENTAL_CONSENT')) missing.push('PARENTAL_CONSENT');
  return missing;
}

/** What is still missing before the request can be sent, in plain French (empty when complete). */
export function missingForSubmission(r: SubmissionCheck, documents: readonly DocumentKind[], minor: boolean): string[] {
  return missingPieces(r, documents, minor).map((p) => MISSING_PIECES[p]);
}
