import type { FamilyVisitKind } from './family-unit.entity';
import type { FamilyVisitRefusalGround, FamilyVisitRequestStatus } from './family-visit-request.entity';
import { decisionDeadline, motivationRefusal } from './instruction.rules';
import { durationRefusal } from './requests.rules';
import type { CustodyStatus } from '../detainees/detainee.entity';
import { permitState, type PermitLimits, type PermitState } from '../permits/permit-validity';

/**
 * The decision on each UVF / PF request (issue 11, note DAP of 4 December 2014, part A.5), pure:
 * who decides (the head of establishment for a condamné; the magistrate in charge for a prévenu, on
 * the head's transmission with an opinion proposing a duration), what a grant sets (UVF 6 to 72 hours
 * by 6-hour steps; PF at most 6 hours, one slot or two cumulated), what a refusal must say (the facts,
 * a ground the note accepts, never the disciplinary record alone), and when silence becomes an
 * implicit rejection (2 months after receipt, condamnés only).
 */

/** The statuses that end a request: nothing is decided on it any more. */
export const FINAL_STATUSES: readonly FamilyVisitRequestStatus[] = ['GRANTED', 'REFUSED', 'IMPLICITLY_REJECTED', 'WITHDRAWN'];

/** A prévenu (or a detainee both prévenu and condamné) needs the magistrate's agreement: the head does not decide. */
export function needsMagistrate(legalStatus: string): boolean {
  return legalStatus !== 'CONDAMNE';
}

export const REFUSAL_GROUND_LABELS: Record<FamilyVisitRefusalGround, string> = {
  SECURITY: 'La sécurité de l’établissement ou des personnes',
  GOOD_ORDER: 'Le maintien du bon ordre dans l’établissement',
  CRIME_PREVENTION: 'La prévention des infractions',
  ARCHITECTURE: 'Les contraintes architecturales ou la capacité des locaux',
  CHILD_INTEREST: 'L’intérêt de l’enfant',
};

export const MIN_FACTS_LENGTH = 20;
export const MIN_MOTIVATION_LENGTH = 20;

export interface GrantInput {
  kind: FamilyVisitKind;
  hours: number;
  /** PF: one slot, or two slots cumulated (lunch break outside the establishment); null for a UVF. */
  slots: 1 | 2 | null;
}

/** Why this grant is not possible, or null. */
export function grantProblem(g: GrantInput): string | null {
  const duration = durationRefusal(g.kind, g.hours);
  if (duration) return duration;
  if (g.kind === 'UVF') return g.slots === null ? null : 'Une visite en UVF se déroule d’un seul tenant.';
  if (g.slots !== 1 && g.slots !== 2) return 'Indiquez si le parloir familial a lieu en un créneau ou en deux créneaux cumulés.';
  if (g.slots === 2 && g.hours < 2) return 'Deux créneaux cumulés durent au moins 2 heures.';
  return null;
}

/**
 * A visitor's request is granted for the visit the detainee asked for: the detainee's own request is
 * granted first, and sets the visit's duration, which each visitor's grant repeats (one visit, one
 * duration).
 */
export function grantOrderProblem(
  applicant: 'DETAINEE' | 'VISITOR',
  detainee: { status: FamilyVisitRequestStatus; grantedHours: number | null } | undefined,
  hours: number,
): string | null {
  if (applicant === 'DETAINEE') return null;
  if (!detainee || detainee.status !== 'GRANTED')
    return 'Décidez d’abord la demande de la personne détenue : un visiteur n’est autorisé que pour une visite qu’elle a demandée et obtenue.';
  if (detainee.grantedHours !== hours)
    return `La visite a été accordée à la personne détenue pour ${detainee.grantedHours} heures : la même durée vaut pour chaque visiteur.`;
  return null;
}

/**
 * One visit, one duration: once a request of the case is granted (by the head, or by the magistrate
 * for a prévenu, who may set a duration other than the one proposed), every other grant of the case
 * repeats its duration. Null when no other request is granted yet, or the duration is the same.
 */
export function sameVisitProblem(
  requests: readonly { id: string; status: FamilyVisitRequestStatus; grantedHours: number | null }[],
  requestId: string,
  hours: number,
): string | null {
  const granted = requests.find((x) => x.id !== requestId && x.status === 'GRANTED' && x.grantedHours !== null);
  if (!granted || granted.grantedHours === hours) return null;
  return `La visite de ce dossier est déjà accordée pour ${granted.grantedHours} heures : la même durée vaut pour chaque demande.`;
}

/** What a grant needs to know of the applicant's instruction. */
export interface ApplicantFacts {
  id: string;
  status: FamilyVisitRequestStatus;
  /** The applicant is a minor on the first wished day. */
  minor: boolean;
  /** A minor: the request of the adult who accompanies them. */
  accompaniedBy: string | null;
  /** A minor: the written consent of the parental-authority holders is on file. */
  parentalConsent: boolean;
  doneInterviews: number;
  rulesAcknowledged: boolean;
}

/**
 * Why this applicant cannot be authorised yet, or null: each applicant has been interviewed and has
 * signed the unit's rules (a request that reached the decision without it was never instructed); a
 * minor comes only with the written consent of the parental-authority holders, which also stands for
 * the minor's written commitment to the rules (as missingForCpu / committedToRules: a baby signs
 * nothing), and with the adult who accompanies them, whose own request is granted (note DAP 2014 A.4;
 * the 16+ exception does not apply).
 */
export function applicantProblem(r: ApplicantFacts, requests: readonly ApplicantFacts[]): string | null {
  if (r.doneInterviews === 0) return 'Cette personne n’a eu aucun entretien avec le SPIP : la visite ne peut pas être autorisée.';
  if (!r.minor)
    return r.rulesAcknowledged ? null : 'Cette personne n’a pas signé le règlement de l’unité : la visite ne peut pas être autorisée.';
  if (!r.parentalConsent)
    return 'L’autorisation écrite des titulaires de l’autorité parentale manque au dossier : la visite d’un mineur ne peut pas être autorisée.';
  const companion = requests.find((x) => x.id === r.accompaniedBy);
  if (!companion) return 'Un mineur vient avec un adulte qui l’accompagne : aucun accompagnant n’est désigné.';
  if (companion.status !== 'GRANTED')
    return 'Autorisez d’abord la visite de l’adulte qui accompagne ce mineur : un mineur ne vient jamais seul.';
  return null;
}

export interface RefusalInput {
  ground: FamilyVisitRefusalGround | null;
  facts: string;
  motivation: string;
  /** The request is a minor's: only then may the child's interest be the ground. */
  minor: boolean;
}

/** Why this refusal cannot be signed as written, or null: a ground, the facts, the motivation; never the disciplinary record alone. */
export function refusalProblem(r: RefusalInput): { field: 'ground' | 'facts' | 'motivation'; message: string } | null {
  if (!r.ground) return { field: 'ground', message: 'Choisissez le motif du refus.' };
  if (r.ground === 'CHILD_INTEREST' && !r.minor)
    return { field: 'ground', message: 'L’intérêt de l’enfant ne peut motiver que le refus de la visite d’un mineur.' };
  if (r.facts.trim().length < MIN_FACTS_LENGTH)
    return { field: 'facts', message: `Décrivez les faits qui fondent le refus (au moins ${MIN_FACTS_LENGTH} caractères).` };
  if (r.motivation.trim().length < MIN_MOTIVATION_LENGTH)
    return {
      field: 'motivation',
      message: `Expliquez en quoi ces faits justifient le refus (au moins ${MIN_MOTIVATION_LENGTH} caractères).`,
    };
  const disciplinaryOnly = motivationRefusal(`${r.facts} ${r.motivation}`);
  if (disciplinaryOnly) return { field: 'motivation', message: disciplinaryOnly };
  return null;
}

/**
 * Whether silence has become an implicit rejection on `today` (the establishment's day, AAAA-MM-JJ):
 * a condamné's request still to decide whose 2-month deadline has passed. A prévenu's request waits
 * for the magistrate: no implicit rejection by the establishment.
 */
export function implicitlyRejected(r: { status: FamilyVisitRequestStatus; receivedAt: Date }, legalStatus: string, today: string): boolean {
  if (r.status !== 'RECEIVED' || needsMagistrate(legalStatus)) return false;
  return decisionDeadline(r.receivedAt) < today;
}

export type MagistrateAnswer = 'PERMANENT' | 'TEMPORARY' | 'REFUSED';

export const MAGISTRATE_ANSWER_LABELS: Record<MagistrateAnswer, string> = {
  PERMANENT: 'Autorisation permanente',
  TEMPORARY: 'Autorisation temporaire',
  REFUSED: 'Refus',
};

/** Why this answer of the magistrate cannot be recorded as entered, or null. */
export function magistrateAnswerProblem(
  a: { answer: MagistrateAnswer; until: string | null; reasons: string },
  today: string,
): { field: 'answer' | 'until' | 'reasons'; message: string } | null {
  if (a.answer === 'TEMPORARY') {
    if (!a.until) return { field: 'until', message: 'Indiquez la date de fin de l’autorisation temporaire.' };
    if (a.until < today) return { field: 'until', message: 'L’autorisation temporaire se termine au plus tôt aujourd’hui.' };
  }
  if (a.answer !== 'TEMPORARY' && a.until) return { field: 'until', message: 'Seule une autorisation temporaire a une date de fin.' };
  if (a.answer === 'REFUSED' && a.reasons.trim().length < MIN_MOTIVATION_LENGTH)
    return { field: 'reasons', message: `Recopiez les motifs donnés par le magistrat (au moins ${MIN_MOTIVATION_LENGTH} caractères).` };
  return null;
}

/**
 * The duration a magistrate's authorisation is recorded for (checked afterwards as a grant's). A UVF:
 * the one the magistrate set (`posted`), by default the visit's once a request of the case is granted,
 * else the one the head proposed. A PF: « Le chef d'établissement est compétent pour fixer la durée de
 * la visite » (note DAP 2014, PF A.5.a): always the head's hours and slots, the magistrate authorising
 * the access only; another duration posted with his answer is refused, naming the head's competence.
 */
export function answerDuration(
  kind: FamilyVisitKind,
  posted: { hours: number | null; slots: 1 | 2 | null },
  head: { hours: number | null; slots: 1 | 2 | null },
  visitHours: number | null,
): { hours: number | null; slots: 1 | 2 | null } | { problem: string } {
  if (kind === 'UVF') return { hours: posted.hours ?? visitHours ?? head.hours, slots: null };
  const slots = head.slots ?? 1;
  if ((posted.hours !== null && posted.hours !== head.hours) || (posted.slots !== null && posted.slots !== slots))
    return {
      problem:
        'Pour un parloir familial, le chef d’établissement fixe la durée de la visite' +
        `${head.hours === null ? '' : ` (${durationText(head.hours, slots)}, indiquée au magistrat)`} : ` +
        'le magistrat n’autorise que l’accès, sa réponse ne change pas la durée.',
    };
  return { hours: head.hours, slots };
}

/** « 6 heures », « 2 heures en deux créneaux cumulés ». */
export function durationText(hours: number, slots: 1 | 2 | null): string {
  const h = `${hours} heure${hours > 1 ? 's' : ''}`;
  return slots === 2 ? `${h} en deux créneaux cumulés (pause du déjeuner à l’extérieur de l’établissement)` : h;
}

/** How a permit that no longer allows a visit is named on the decision page and in the refusal to grant. */
const PERMIT_NOT_VALID: Record<Exclude<PermitState, 'ACTIVE'>, string> = {
  SUSPENDED: 'est suspendu',
  WITHDRAWN: 'a été retiré',
  EXPIRED: 'a expiré',
  NOT_YET_VALID: 'n’est pas encore valide',
  ON_HOLD: 'attend la réponse du magistrat',
};

/**
 * Why a visitor cannot be authorised on `day` because of their visit permit, or null: « L'accès à
 * l'UVF est soumis à l'octroi préalable d'un permis de visite » (note DAP 2014). The permit checked
 * at filing may since have been suspended, withdrawn (a no-contact order) or have expired: its state
 * that day, as the permits compute it (permitState), must still be ACTIVE. The head may still refuse.
 */
export function permitGrantProblem(permit: PermitLimits | null, visitorName: string | null, day: string): string | null {
  const state = permitNotValid(permit, visitorName, day);
  return state && `${state} : la visite ne peut pas être autorisée. Vous pouvez refuser la demande.`;
}

/**
 * Why a visitor's request cannot be transmitted to the magistrate on `day` because of their visit
 * permit, or null: as a grant, the transmission needs the permit still ACTIVE that day (a suspended,
 * withdrawn or expired permit is not sent for an agreement that could not be used). The head does not
 * decide a prévenu's request: the request waits for the permit, or its withdrawal is recorded.
 */
export function permitReferralProblem(permit: PermitLimits | null, visitorName: string | null, day: string): string | null {
  const state = permitNotValid(permit, visitorName, day);
  return (
    state &&
    `${state} : sa demande ne peut pas être transmise au magistrat. Attendez que le permis permette de nouveau la visite, ou enregistrez le retrait de la demande.`
  );
}

/** « Le permis de visite de … est suspendu » when the permit does not allow a visit on `day`, else null (no permit: the detainee's request). */
function permitNotValid(permit: PermitLimits | null, visitorName: string | null, day: string): string | null {
  if (!permit) return null;
  const state = permitState(permit, day);
  if (state === 'ACTIVE') return null;
  return `Le permis de visite de ${visitorName ?? 'ce visiteur'} ${PERMIT_NOT_VALID[state]}`;
}

export const LEFT_LABELS: Record<Exclude<CustodyStatus, 'PRESENT'>, string> = {
  LIBERE: 'Personne détenue libérée',
  TRANSFERE: 'Personne détenue transférée',
};

/**
 * Why nothing can be authorised or transmitted for a detainee who has left the establishment, or null:
 * a visit in an UVF or a family parlour takes place in the establishment, so a released or transferred
 * person's requests are no longer granted (the head may still refuse them), and the job writes no
 * implicit-rejection letter for them.
 */
export function custodyProblem(custodyStatus: CustodyStatus): string | null {
  if (custodyStatus === 'PRESENT') return null;
  return `${LEFT_LABELS[custodyStatus]} : aucune visite ne peut plus avoir lieu dans l’établissement, la demande ne peut pas être autorisée ni transmise. Vous pouvez la refuser.`;
}
