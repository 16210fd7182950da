import { addMonths } from 'date-fns';
import type { PermitRequestStatus } from './permit-request.entity';

/** The event text recorded when a family asks for the reasons of an implicit rejection. */
export const REASONS_ASKED =
  'La famille demande la communication des motifs du rejet implicite (article L232-4 du code des relations entre le public et l’administration). ' +
  'L’établissement doit les communiquer dans le mois.';

/**
 * Whether the family may ask for the reasons of an implicit rejection (CRPA L232-4): within the
 * recourse delay of 2 months after it, once.
 */
export function reasonsRequest(
  r: { status: PermitRequestStatus; decidedAt: Date | null },
  now: Date,
  alreadyAsked: boolean,
): { possible: boolean; until: Date | null; asked: boolean } {
  if (r.status !== 'IMPLICITLY_REJECTED' || !r.decidedAt) return { possible: false, until: null, asked: false };
  const until = addMonths(new Date(r.decidedAt), 2);
  return { possible: !alreadyAsked && now.getTime() <= until.getTime(), until, asked: alreadyAsked };
}
