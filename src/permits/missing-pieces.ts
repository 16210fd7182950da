import { addMonths } from 'date-fns';
import type { DocumentKind } from './permit-document.entity';

/** The documents the establishment may ask for when a request is incomplete (CRPA L114-5). */
export const ASKABLE_DOCUMENTS: Record<Exclude<DocumentKind, 'OTHER'>, string> = {
  PHOTO: 'Photo d’identité (nouvelle)',
  ID_DOCUMENT: 'Pièce d’identité',
  PROOF_OF_ADDRESS: 'Justificatif de domicile',
  LIVRET_FAMILLE: 'Livret de famille',
  PACS_PROOF: 'Attestation de PACS',
  COHABITATION_PROOF: 'Preuve de vie commune (concubinage)',
  PARENTAL_CONSENT: 'Autorisation des titulaires de l’autorité parentale',
  DOMICILIATION: 'Attestation de domiciliation',
  BIRTH_CERTIFICATE: 'Acte de naissance',
};
export type AskableDocument = keyof typeof ASKABLE_DOCUMENTS;

/** The default date by which the missing pieces are expected: one month from today (AAAA-MM-JJ). */
export function defaultDocumentsDue(today: string): string {
  return addMonths(new Date(`${today}T12:00:00Z`), 1)
    .toISOString()
    .slice(0, 10);
}

export const RESTART_NOTICE =
  'Le délai de 2 mois dont dispose l’établissement pour décider repart de la réception des pièces manquantes ' +
  '(article L114-5 du code des relations entre le public et l’administration).';

/** The message an incomplete request carries: what is missing, by when, and that the delay restarts on receipt. */
export function missingPiecesMessage(kinds: readonly AskableDocument[], message: string, dueFr: string): string {
  const parts: string[] = [];
  if (kinds.length) parts.push(`Pièces manquantes : ${kinds.map((k) => ASKABLE_DOCUMENTS[k]).join(', ')}.`);
  if (message.trim()) parts.push(message.trim());
  parts.push(`À envoyer avant le ${dueFr}.`);
  parts.push(RESTART_NOTICE);
  return parts.join(' ');
}
