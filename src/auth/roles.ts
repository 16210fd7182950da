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

// ---- The national and interregional views (src/oversight): who sees which establishments' figures ----

/** The interregional directions of the prison services (DISP) and the overseas mission (MOM). */
export const DIRECTIONS = {
  BORDEAUX: 'DISP de Bordeaux',
  DIJON: 'DISP de Dijon',
  LILLE: 'DISP de Lille',
  LYON: 'DISP de Lyon',
  MARSEILLE: 'DISP de Marseille',
  PARIS: 'DISP de Paris',
  RENNES: 'DISP de Rennes',
  STRASBOURG: 'DISP de Strasbourg',
  TOULOUSE: 'DISP de Toulouse',
  OUTRE_MER: 'Mission des services pénitentiaires de l’outre-mer',
} as const;
export type Direction = keyof typeof DIRECTIONS;

export function isDirection(v: unknown): v is Direction {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(DIRECTIONS, v);
}

/** What an oversight assignment opens: every establishment, or those of one direction. */
export type OversightGrant = { scope: 'NATIONAL' } | { scope: 'INTERREGIONAL'; direction: Direction };

/** The stored form of a grant (`NATIONAL`, `INTERREGIONAL:PARIS`), as the principal's query returns it. */
export function parseGrant(raw: string): OversightGrant | null {
  if (raw === 'NATIONAL') return { scope: 'NATIONAL' };
  const m = /^INTERREGIONAL:(\w+)$/.exec(raw);
  return m && isDirection(m[1]) ? { scope: 'INTERREGIONAL', direction: m[1] } : null;
}

/** The directions these grants open; `null` for all of France. */
export function visibleDirections(grants: OversightGrant[]): Direction[] | null {
  if (grants.some((g) => g.scope === 'NATIONAL')) return null;
  return [...new Set(grants.flatMap((g) => (g.scope === 'INTERREGIONAL' ? [g.direction] : [])))].sort();
}

/** The title of the view for these grants. */
export function scopeLabel(directions: Direction[] | null): string {
  if (directions === null) return 'France entière';
  return directions.map((d) => DIRECTIONS[d]).join(', ');
}
