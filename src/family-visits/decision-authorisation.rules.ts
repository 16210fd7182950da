import { formatInTimeZone } from 'date-fns-tz';
import { samePerson } from '../permits/person-match';
import type { FamilyVisitKind } from './family-unit.entity';
import type { MagistrateAnswer } from './decision.rules';
import { EARLY_END_CAUSES } from './units.form';

/**
 * The magistrate's authorisation of a prévenu's access to UVF / PF (note DAP of 4 December 2014,
 * A.5.a: « le magistrat donne une autorisation permanente ou temporaire d'accès aux UVF »; B.1 for PF),
 * pure: which earlier answer of the magistrate applies to a new request (same detainee, same kind, same
 * applicant — for a visitor the same person), whether it still runs on the establishment's day, and
 * the magistrate's follow-up after an incident (« décision de maintien ou d'annulation de
 * l'autorisation »): a withdrawn authorisation is never reused and ends the day before its withdrawal.
 */

export type AuthorisationFollowup = 'MAINTAINED' | 'WITHDRAWN';

export const FOLLOWUP_LABELS: Record<AuthorisationFollowup, string> = {
  MAINTAINED: 'Maintien de l’autorisation',
  WITHDRAWN: 'Annulation de l’autorisation',
};

/** Who a request is from: the detainee, or a visitor (the permit and the person it names). */
export interface Applicant {
  applicant: 'DETAINEE' | 'VISITOR';
  visitor: { permitId: string; givenName: string; familyName: string; birthdate: string | null } | null;
}

/** An answer of the magistrate on an earlier request of the same detainee. */
export interface MagistrateDecision extends Applicant {
  requestId: string;
  kind: FamilyVisitKind;
  answer: MagistrateAnswer;
  /** A temporary authorisation's last day (AAAA-MM-JJ); after a withdrawal, the day before it. */
  until: string | null;
  /** When the answer was recorded: the latest answer is the magistrate's word. */
  decidedAt: Date;
  followup: AuthorisationFollowup | null;
  followupOn: string | null;
}

/** The same applicant: both the detainee, or the same visitor (same permit, or same names and birth date, in any script). */
export function sameApplicant(a: Applicant, b: Applicant): boolean {
  if (a.applicant !== b.applicant) return false;
  if (a.applicant === 'DETAINEE') return true;
  if (!a.visitor || !b.visitor) return false;
  return a.visitor.permitId === b.visitor.permitId || samePerson(a.visitor, b.visitor);
}

/**
 * Whether an answer is an authorisation still running on `today` (the establishment's day,
 * AAAA-MM-JJ): permanent, or temporary ending today or later; never once withdrawn.
 */
export function authorisationInForce(d: Pick<MagistrateDecision, 'answer' | 'until' | 'followup'>, today: string): boolean {
  if (d.followup === 'WITHDRAWN') return false;
  if (d.answer === 'PERMANENT') return true;
  return d.answer === 'TEMPORARY' && d.until !== null && d.until >= today;
}

/**
 * The magistrate's authorisation a new request may be decided within, or null (the case goes to the
 * magistrate): among the magistrate's answers on earlier requests of the same kind and the same
 * applicant, the latest one decides — reused when it is an authorisation still in force; a later
 * refusal, an expired temporary authorisation or a withdrawn one is no authorisation.
 */
export function applicableAuthorisation<T extends MagistrateDecision>(
  request: Applicant & { kind: FamilyVisitKind },
  earlier: readonly T[],
  today: string,
): T | null {
  let latest: T | null = null;
  for (const d of earlier)
    if (d.kind === request.kind && sameApplicant(d, request) && (!latest || d.decidedAt.getTime() > latest.decidedAt.getTime())) latest = d;
  return latest && authorisationInForce(latest, today) ? latest : null;
}

/** The day (AAAA-MM-JJ) an instant falls on in the establishment's time zone: what « today » means for an authorisation's end. */
export function establishmentDay(at: Date, timeZone: string): string {
  return formatInTimeZone(at, timeZone, 'yyyy-MM-dd');
}

/** The day before `day` (AAAA-MM-JJ): the last day of an authorisation withdrawn on `day`. */
export function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const fr = (day: string) => day.split('-').reverse().join('/');

/**
 * Why the magistrate's follow-up cannot be recorded as entered, or null: an outcome, the date of his
 * decision, neither in the future nor before the authorisation itself; nothing after a withdrawal.
 */
export function followupProblem(
  f: { outcome: AuthorisationFollowup | null; on: string | null },
  a: { decidedOn: string; followup: AuthorisationFollowup | null; followupOn: string | null },
  today: string,
): { field: 'outcome' | 'on'; message: string } | null {
  if (a.followup === 'WITHDRAWN')
    return {
      field: 'outcome',
      message: `Cette autorisation a été annulée par le magistrat le ${fr(a.followupOn ?? '')} : rien ne peut plus y être ajouté.`,
    };
  if (!f.outcome) return { field: 'outcome', message: 'Choisissez la décision du magistrat : maintien ou annulation de l’autorisation.' };
  if (!f.on) return { field: 'on', message: 'Indiquez la date de la décision du magistrat.' };
  if (f.on > today) return { field: 'on', message: 'La décision du magistrat ne peut pas être datée d’un jour à venir.' };
  if (f.on < a.decidedOn)
    return { field: 'on', message: `La décision du magistrat ne peut pas précéder l’autorisation elle-même (${fr(a.decidedOn)}).` };
  return null;
}

/** Whether an early end was for security (the stay's reason starts with the cause chosen on the early-end form). */
export function securityEarlyEnd(reason: string | null | undefined): boolean {
  return typeof reason === 'string' && reason.startsWith(EARLY_END_CAUSES.SECURITY);
}

/** The report's text of an early end for security: the reason as the agent wrote it, without the cause's label. */
export function earlyEndNotes(reason: string): string {
  return securityEarlyEnd(reason)
    ? reason
        .slice(EARLY_END_CAUSES.SECURITY.length)
        .replace(/^\s*:\s*/, '')
        .trim() || reason
    : reason;
}
