/** Pure rules of incidents at the visiting rooms: reasons of an interruption or a report (R341-12). */

export const INCIDENT_REASONS = {
  BEHAVIOUR: 'Comportement ou propos inappropriés',
  FORBIDDEN_ITEM: 'Remise ou tentative de remise d’un objet interdit',
  VIOLENCE: 'Violence ou menace',
  RULES: 'Non-respect du règlement du parloir',
  REQUEST: 'À la demande du visiteur ou de la personne détenue',
  HEALTH: 'Malaise ou raison de santé',
  OTHER: 'Autre motif (précisé dans le compte-rendu)',
} as const;
export type IncidentReason = keyof typeof INCIDENT_REASONS;

/** A report says what happened: 20 characters at least. */
export const MIN_REPORT_LENGTH = 20;

/** The grounds a suspension opened from a report starts with (the head completes them: they are sent to the holder). */
export function suspensionGrounds(o: { dayLabel: string; reference: string; reason: IncidentReason }): string {
  return `Incident au parloir le ${o.dayLabel} (visite réf. ${o.reference}) : ${INCIDENT_REASONS[o.reason].toLowerCase()}.`;
}
