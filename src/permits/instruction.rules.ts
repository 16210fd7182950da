import type { DocumentReview } from './permit-document.entity';
import type { PermitRequestStatus } from './permit-request.entity';

/** Why a request cannot be marked ready for decision: a stable code and the French message shown to the greffe. */
export interface NotReady {
  code: 'NOT_SUBMITTED' | 'DOCUMENTS_TO_EXAMINE';
  message: string;
}

/**
 * Whether the permits officer may mark a request ready for the decision: only a sent (SUBMITTED) request, and only once
 * every current document is examined (accepted, or to be replaced), none still "à examiner". Null when it may.
 */
export function notReadyForDecision(status: PermitRequestStatus, reviews: readonly DocumentReview[]): NotReady | null {
  if (status !== 'SUBMITTED') return { code: 'NOT_SUBMITTED', message: 'Seule une demande déposée et complète peut être marquée prête.' };
  const pending = reviews.filter((r) => r === 'PENDING').length;
  if (pending === 0) return null;
  const which = pending === 1 ? 'Un document est encore à examiner' : `${pending} documents sont encore à examiner`;
  return {
    code: 'DOCUMENTS_TO_EXAMINE',
    message: `${which} : acceptez chaque document ou demandez son remplacement avant de marquer la demande prête pour décision.`,
  };
}
