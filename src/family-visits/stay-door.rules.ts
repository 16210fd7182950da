import { formatInTimeZone } from 'date-fns-tz';
import type { CustodyStatus } from '../detainees/detainee.entity';
import { type PermitLimits, type PermitState, permitState } from '../permits/permit-validity';
import type { FamilyVisitKind } from './family-unit.entity';
import type { StayStatus } from './family-visit-stay.entity';
import { RELATIONSHIP_LABELS } from './instruction.rules';
import { ageOn, isMinorOn } from './requests.rules';
import { authorisationProblem } from './units.rules';

/**
 * Who may enter a UVF / PF stay, and what is to review before it (note DAP 2014: « L'accès à l'UVF est
 * soumis à l'octroi préalable d'un permis de visite »; the identity of the visitors is checked at the
 * entrance; a minor comes only with the accompanying adult; for a UVF, the child's exit time, in the
 * daytime, and who then looks after the child). Computed when shown, from the case's GRANTED visitors'
 * requests, their permits as they are now, and the detainee's custody status.
 */

/** A GRANTED visitor of the stay's case, with the permit as it is now. */
export interface StayVisitorRow {
  caseId: string;
  requestId: string;
  /** « Prénom NOM ». */
  name: string;
  /** AAAA-MM-JJ */
  birthdate: string;
  relationship: string;
  photoDocumentId: string | null;
  /** The accompanying adult of a minor, « Prénom NOM », or null. */
  companionName: string | null;
  /** HH:MM, a UVF minor's exit time, or null. */
  childExitTime: string | null;
  childCarer: string | null;
  permit: PermitLimits;
}

/** A visitor as the agent at the door reads them. */
export interface DoorVisitor {
  requestId: string;
  name: string;
  relationship: string;
  photoDocumentId: string | null;
  /** « Mineur (7 ans) », or null for an adult. */
  minor: string | null;
  /** A minor's accompanying adult; « non indiqué » when none is recorded. */
  companion: string | null;
  /** A UVF minor's exit: the time (« 14 h 30 ») and who then looks after the child. */
  childExit: { time: string; carer: string } | null;
  /** The permit when it does not allow the stay: « Permis suspendu », « Permis retiré », « Permis expiré »…; null when valid. */
  permitProblem: string | null;
}

const hhmm = (t: string) => t.replace(':', ' h ');
const frDate = (d: string) => d.split('-').reverse().join('/');

/** The stay's first and last days on the establishment's clock (a stay ending at midnight ends the day before). */
export function stayDays(s: { startsAt: Date; endsAt: Date }, timeZone: string): { first: string; last: string } {
  return {
    first: formatInTimeZone(s.startsAt, timeZone, 'yyyy-MM-dd'),
    last: formatInTimeZone(new Date(s.endsAt.getTime() - 1), timeZone, 'yyyy-MM-dd'),
  };
}

/**
 * The permit's state over the stay, as the permits compute it (permitState): its state on the first
 * day, or, when valid then, on the last day (a permit ending during the stay does not cover it).
 */
export function permitStateOverStay(p: PermitLimits, days: { first: string; last: string }): PermitState {
  const first = permitState(p, days.first);
  return first === 'ACTIVE' ? permitState(p, days.last) : first;
}

/** « Permis suspendu », as the agents read it beside the visitor; null for a valid permit. */
export const PERMIT_PROBLEM_LABELS: Record<Exclude<PermitState, 'ACTIVE'>, string> = {
  SUSPENDED: 'Permis suspendu',
  WITHDRAWN: 'Permis retiré',
  ON_HOLD: 'Permis en attente de la réponse du magistrat',
  EXPIRED: 'Permis expiré',
  NOT_YET_VALID: 'Permis pas encore valide',
};

/** The visitors at the door, in the order given (adults and children by birth date). */
export function doorVisitors(
  kind: FamilyVisitKind,
  rows: readonly StayVisitorRow[],
  stay: { startsAt: Date; endsAt: Date },
  timeZone: string,
): DoorVisitor[] {
  const days = stayDays(stay, timeZone);
  return rows.map((r) => {
    const minor = isMinorOn(r.birthdate, days.first);
    const state = permitStateOverStay(r.permit, days);
    const age = ageOn(r.birthdate, days.first);
    return {
      requestId: r.requestId,
      name: r.name,
      relationship: RELATIONSHIP_LABELS[r.relationship] ?? r.relationship,
      photoDocumentId: r.photoDocumentId,
      minor: minor ? `Mineur (${age === 0 ? 'moins d’un an' : `${age} an${age > 1 ? 's' : ''}`})` : null,
      companion: minor ? (r.companionName ?? 'non indiqué') : null,
      childExit:
        kind === 'UVF' && minor && r.childExitTime ? { time: hhmm(r.childExitTime), carer: r.childCarer?.trim() || 'non indiqué' } : null,
      permitProblem: state === 'ACTIVE' ? null : PERMIT_PROBLEM_LABELS[state],
    };
  });
}

/** What is done to a stay when its visitors, its detainee or its authorisation are checked: booked, moved or started. */
export type StayChange = 'BOOK' | 'MOVE' | 'START';

/** « la visite ne peut pas être réservée / déplacée », « la visite ne peut pas commencer ». */
function cannot(change: StayChange): string {
  return change === 'START'
    ? 'la visite ne peut pas commencer'
    : `la visite ne peut pas être ${change === 'BOOK' ? 'réservée' : 'déplacée'}`;
}

/**
 * Why a stay may not be booked, moved or started for these visitors (plain French, naming the visitor),
 * or null: each GRANTED visitor's permit must allow the whole stay (not suspended, withdrawn, on hold for
 * the magistrate, expired or not yet valid, as the permits compute it).
 */
export function permitsRefusal(rows: readonly StayVisitorRow[], days: { first: string; last: string }, change: StayChange): string | null {
  for (const r of rows) {
    const state = permitStateOverStay(r.permit, days);
    if (state === 'ACTIVE') continue;
    const what: Record<Exclude<PermitState, 'ACTIVE'>, string> = {
      SUSPENDED: 'est suspendu',
      WITHDRAWN: 'est retiré',
      ON_HOLD: 'est en attente de la réponse du magistrat',
      EXPIRED:
        r.permit.validTo && r.permit.validTo < days.last
          ? `n’est valable que jusqu’au ${frDate(r.permit.validTo)}`
          : 'ne permet plus de visite (toutes ses visites sont faites ou réservées)',
      NOT_YET_VALID: `n’est valable qu’à partir du ${frDate(r.permit.validFrom)}`,
    };
    return `Le permis de visite de ${r.name} ${what[state]} : ${cannot(change)}. L’accès à l’UVF ou au parloir familial demande un permis de visite valable.`;
  }
  return null;
}

/** A detainee who has left the establishment: no stay may be booked, moved or started for him. */
export function custodyRefusal(custody: CustodyStatus, change: StayChange): string | null {
  if (custody === 'PRESENT') return null;
  const left = custody === 'LIBERE' ? 'a été libérée' : 'a été transférée dans un autre établissement';
  return `La personne détenue ${left} : ${cannot(change)}.`;
}

/** What a stay's case holds of the magistrate's authorisation (for a prévenu; a condamné's has neither date). */
export interface StayAuthorisation {
  endsAt: Date;
  /** The earliest last day of the granted requests' authorisations (AAAA-MM-JJ; the day before a withdrawal), if any. */
  authorisedUntil: string | null;
  /** The earliest withdrawal (AAAA-MM-JJ) of an authorisation a granted request of the case rests on, if any. */
  authorisationWithdrawnOn: string | null;
}

/**
 * Whether the magistrate's authorisation no longer covers the stay's last day (establishment's clock,
 * as at booking: `authorisationProblem`): WITHDRAWN when he withdrew an authorisation the case rests on
 * (its last day is then the day before the withdrawal), EXPIRED when a temporary one ended earlier;
 * null when it covers the stay.
 */
export function authorisationLapse(s: StayAuthorisation, timeZone: string): { kind: 'WITHDRAWN' | 'EXPIRED'; on: string } | null {
  if (!authorisationProblem({ detaineeGranted: true, authorisedUntil: s.authorisedUntil }, s.endsAt, timeZone)) return null;
  return s.authorisationWithdrawnOn ? { kind: 'WITHDRAWN', on: s.authorisationWithdrawnOn } : { kind: 'EXPIRED', on: s.authorisedUntil! };
}

/**
 * Why a stay booked may not start now, or null: the detainee released or transferred, the magistrate's
 * authorisation withdrawn or ended before the stay's last day, a visitor's permit no longer valid for it
 * (note DAP 2014, A.5.a: a prévenu's visit takes place only with the magistrate's agreement).
 */
export function startRefusal(
  s: StayAuthorisation & { startsAt: Date; custodyStatus: CustodyStatus },
  visitors: readonly StayVisitorRow[],
  timeZone: string,
): string | null {
  const gone = custodyRefusal(s.custodyStatus, 'START');
  if (gone) return gone;
  const lapse = authorisationLapse(s, timeZone);
  if (lapse?.kind === 'WITHDRAWN')
    return `Le magistrat a annulé le ${frDate(lapse.on)} son autorisation : la visite ne peut pas commencer. Annulez-la.`;
  if (lapse)
    return `L’autorisation du magistrat a pris fin le ${frDate(lapse.on)}, avant la fin de la visite : la visite ne peut pas commencer. Annulez-la.`;
  return permitsRefusal(visitors, stayDays(s, timeZone), 'START');
}

/**
 * What to review before a stay to come (BOOKED), as ordinary visits are flagged « à revoir »: the
 * detainee released or transferred since, the magistrate's authorisation withdrawn or ended before the
 * stay's last day, a visitor's permit no longer valid for it; empty otherwise.
 */
export function reviewReasons(
  s: StayAuthorisation & { status: StayStatus; custodyStatus: CustodyStatus },
  visitors: readonly Pick<DoorVisitor, 'name' | 'permitProblem'>[],
  timeZone: string,
): string[] {
  if (s.status !== 'BOOKED') return [];
  const reasons: string[] = [];
  if (s.custodyStatus === 'LIBERE') reasons.push('personne détenue libérée');
  if (s.custodyStatus === 'TRANSFERE') reasons.push('personne détenue transférée');
  const lapse = authorisationLapse(s, timeZone);
  if (lapse?.kind === 'WITHDRAWN') reasons.push(`autorisation du magistrat annulée le ${frDate(lapse.on)}`);
  if (lapse?.kind === 'EXPIRED') reasons.push(`autorisation du magistrat expirée (fin le ${frDate(lapse.on)})`);
  for (const v of visitors) if (v.permitProblem) reasons.push(`${v.permitProblem.toLowerCase()} (${v.name})`);
  return reasons;
}
