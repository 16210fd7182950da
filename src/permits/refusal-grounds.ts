import type { RefusalGround } from './permit-request.entity';
import type { Relationship } from './permit.rules';

/**
 * The legal grounds of a permit refusal (loi pénitentiaire du 24 novembre 2009, art. 35, and former
 * art. R. 57-8-10 du code de procédure pénale, both now in the code pénitentiaire). For a member of
 * the detainee's family, only good order, security and crime prevention; for anyone else also the
 * rehabilitation of the detainee. The victim of the offence (a family member included) and a person
 * the detainee is judicially forbidden to contact may be refused whatever the relationship.
 * Disciplinary history alone is never a ground.
 */
export const REFUSAL_GROUNDS: Record<RefusalGround, { label: string; source: string }> = {
  GOOD_ORDER: { label: 'Maintien du bon ordre', source: 'loi pénitentiaire, art. 35 (code pénitentiaire)' },
  SECURITY: { label: 'Sécurité de l’établissement ou des personnes', source: 'loi pénitentiaire, art. 35 (code pénitentiaire)' },
  CRIME_PREVENTION: { label: 'Prévention des infractions', source: 'loi pénitentiaire, art. 35 (code pénitentiaire)' },
  REHABILITATION: {
    label: 'Les visites font obstacle à la réinsertion de la personne détenue (visiteur hors famille seulement)',
    source: 'loi pénitentiaire, art. 35 (code pénitentiaire)',
  },
  VICTIM: {
    label: 'Le visiteur est la victime de l’infraction (membre de la famille compris)',
    source: 'ancien art. R. 57-8-10 du code de procédure pénale (code pénitentiaire)',
  },
  NO_CONTACT_ORDER: {
    label: 'Interdiction judiciaire d’entrer en relation avec le visiteur, en vigueur',
    source: 'ancien art. R. 57-8-10 du code de procédure pénale (code pénitentiaire)',
  },
};

export const REFUSAL_GROUND_CODES = Object.keys(REFUSAL_GROUNDS) as RefusalGround[];

/** The relationships that make the visitor a member of the detainee's family (broad sense). */
const FAMILY: readonly Relationship[] = ['ASCENDANT', 'DESCENDANT', 'SIBLING', 'SPOUSE', 'PACS_PARTNER', 'COHABITANT', 'FAMILY_PROJECT'];

export function isFamilyMember(relationship: Relationship): boolean {
  return FAMILY.includes(relationship);
}

/** The grounds on which a visitor with this relationship may be refused. */
export function groundsFor(relationship: Relationship): RefusalGround[] {
  return REFUSAL_GROUND_CODES.filter((g) => g !== 'REHABILITATION' || !isFamilyMember(relationship));
}

/** Why this ground cannot be used for this visitor (French), or null when it can. */
export function groundRefusal(ground: RefusalGround | null | undefined, relationship: Relationship): string | null {
  if (!ground) return 'Choisissez le motif légal du refus.';
  if (!groundsFor(relationship).includes(ground))
    return (
      'Un membre de la famille ne peut être refusé que pour le bon ordre, la sécurité, la prévention des infractions, s’il est ' +
      'la victime ou sous une interdiction d’entrer en relation : pas pour la réinsertion.'
    );
  return null;
}

/** The ground as the letter prints it. */
export function groundText(ground: RefusalGround): string {
  const g = REFUSAL_GROUNDS[ground];
  return `${g.label} (${g.source}).`;
}
