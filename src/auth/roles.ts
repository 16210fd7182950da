/** Who may use P2V. FAMILY is a signed-in FranceConnect user; the others are staff roles held per establishment. */
export const STAFF_ROLES = [
  'PERMITS_OFFICER',
  'PARLOIR_AGENT',
  'SPIP_COUNSELLOR',
  'HEAD_OF_ESTABLISHMENT',
  'ACTIVITIES_OFFICER',
  'ADMIN',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** For routes open to every staff role (still scoped to the establishment in the URL). */
export const ANY_STAFF_ROLE: StaffRole[] = [...STAFF_ROLES];
/**
 * OVERSIGHT: the DAP's national view (every establishment) or a direction's (DISP), held by an
 * oversight assignment rather than a role at an establishment (src/oversight).
 */
export type Role = 'FAMILY' | StaffRole | 'OVERSIGHT';

/**
 * Need-to-know: who reads the establishment's population list. The greffe, the head and the
 * administrator keep it; the visiting room answers families about a detainee (custody, transfer). The
 * SPIP counsellor and the activities officer reach the detainees of their own work through their
 * modules (UVF / PF cases, video calls). docs/security.md, « Who may read what ».
 */
export const DETAINEE_LIST_ROLES: StaffRole[] = ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'ADMIN', 'PARLOIR_AGENT'];

export const ROLE_LABELS: Record<Role, string> = {
  FAMILY: 'Proche',
  PERMITS_OFFICER: 'Agent du greffe (permis de visite)',
  PARLOIR_AGENT: 'Agent parloir',
  SPIP_COUNSELLOR: 'Conseiller pénitentiaire d’insertion et de probation',
  HEAD_OF_ESTABLISHMENT: 'Chef d’établissement',
  ACTIVITIES_OFFICER: 'Surveillant activités',
  ADMIN: 'Administrateur',
  OVERSIGHT: 'Pilotage national ou interrégional',
};

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}
