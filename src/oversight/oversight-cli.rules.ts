import { DIRECTIONS, isDirection, type OversightGrant } from './oversight.rules';

/** What `npm run oversight` was asked. */
export type OversightCommand =
  { action: 'list' } | { action: 'grant' | 'revoke'; email: string; grant: OversightGrant; givenName?: string; familyName?: string };

export const OVERSIGHT_USAGE = `Usage:
  npm run oversight -- list
  npm run oversight -- grant --email=prenom.nom@justice.gouv.fr (--national | --direction=PARIS) [--given-name=Prénom --family-name=Nom]
  npm run oversight -- revoke --email=prenom.nom@justice.gouv.fr (--national | --direction=PARIS)
Directions: ${Object.keys(DIRECTIONS).join(', ')}.
An agent unknown to P2V is registered by grant, with --given-name and --family-name.`;

/** Reads the command line; an error message (in English, for the operator) when it is wrong. */
export function parseOversightArgs(argv: string[]): OversightCommand | { error: string } {
  const [action, ...rest] = argv;
  const opts = new Map<string, string | true>();
  for (const a of rest) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) return { error: `unexpected argument: ${a}` };
    if (opts.has(m[1])) return { error: `--${m[1]} given twice` };
    opts.set(m[1], m[2] ?? true);
  }
  const text = (k: string) => (typeof opts.get(k) === 'string' ? (opts.get(k) as string).trim() : undefined);
  if (action === 'list') return opts.size ? { error: 'list takes no option' } : { action };
  if (action !== 'grant' && action !== 'revoke') return { error: `unknown command: ${action ?? '(none)'}` };
  const allowed = new Set(['email', 'national', 'direction', ...(action === 'grant' ? ['given-name', 'family-name'] : [])]);
  const unknown = [...opts.keys()].find((k) => !allowed.has(k));
  if (unknown) return { error: `unknown option: --${unknown}` };
  const email = text('email')?.toLowerCase();
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) return { error: '--email=<address> is required' };
  const national = opts.get('national') === true;
  const direction = text('direction')?.toUpperCase();
  if (national === (direction !== undefined)) return { error: 'give either --national or --direction=<code>' };
  if (direction !== undefined && !isDirection(direction)) return { error: `unknown direction: ${direction}` };
  const grant: OversightGrant = national
    ? { scope: 'NATIONAL' }
    : { scope: 'INTERREGIONAL', direction: direction as keyof typeof DIRECTIONS };
  const givenName = text('given-name');
  const familyName = text('family-name');
  if ((givenName === undefined) !== (familyName === undefined) || givenName === '' || familyName === '')
    return { error: '--given-name and --family-name go together, not empty' };
  return { action, email, grant, givenName, familyName };
}
