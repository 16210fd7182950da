import type { PermitTerms } from './permit.queries';

/**
 * Changing a permit's limits and conditions (R341-1): what restricts the holder is a decision against
 * them (signed by the head or a delegate, a letter with the recourse routes); what loosens them is not.
 */

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

/** What, in the new terms, restricts the permit compared with the old ones (empty: nothing; a loosening). */
export function restrictions(before: PermitTerms, after: PermitTerms): string[] {
  const out: string[] = [];
  if (after.maxVisits !== null && (before.maxVisits === null || after.maxVisits < before.maxVisits)) out.push('nombre de visites réduit');
  if (after.roomCondition !== null && after.roomCondition !== before.roomCondition) out.push('parloir imposé');
  const daysBefore = before.allowedDays ?? ALL_DAYS;
  const daysAfter = after.allowedDays ?? ALL_DAYS;
  if (daysBefore.some((d) => !daysAfter.includes(d))) out.push('jours de visite réduits');
  const from = (t: PermitTerms) => t.allowedFrom ?? '00:00';
  const to = (t: PermitTerms) => t.allowedTo ?? '24:00';
  if (from(after) > from(before) || to(after) < to(before)) out.push('heures de visite réduites');
  const note = (t: PermitTerms) => t.conditionsNote?.trim() || null;
  if (note(after) !== null && note(after) !== note(before)) out.push('nouvelle condition');
  return out;
}

/** Why `maxVisits` is refused for a permit that already served `visitsUsed` visits (null: accepted). */
export function maxVisitsRefusal(maxVisits: number | null, visitsUsed: number): string | null {
  if (maxVisits === null || maxVisits >= visitsUsed + 1) return null;
  return `Ce permis a déjà servi pour ${visitsUsed} visite${visitsUsed > 1 ? 's' : ''} : indiquez au moins ${visitsUsed + 1} visites (ou laissez vide : sans limite).`;
}
