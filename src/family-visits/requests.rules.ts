import type { FamilyVisitKind } from './family-unit.entity';
import type { ConsentCapacity } from './family-visit-document.entity';
import type { FamilyVisitChannel, FamilyVisitRequestStatus } from './family-visit-request.entity';
import { sameName } from '../common/names';
import { tr } from '../common/translate';
import { clockIn } from './family-texts';
import { departmentContact, recourseParagraphs, type Department } from '../permits/letters';
import { decisionDeadline } from './instruction.rules';
import type { FamilyVisitCaseStatus } from './family-visit-case.entity';

/**
 * The rules of a UVF / PF request (issue 11, note DAP 2014 on UVF and family parlours), pure.
 *
 * Durations: a UVF lasts 6 to 72 hours by steps of 6 hours. A family parlour (PF) lasts at most 6 hours,
 * one slot or two cumulated: slots differ between establishments, so the wished duration is kept in
 * whole hours, 1 to 6, and the establishment's slots are matched when the stay is booked.
 */
export const UVF_MIN_HOURS = 6;
export const UVF_MAX_HOURS = 72;
export const UVF_STEP_HOURS = 6;
export const PF_MIN_HOURS = 1;
export const PF_MAX_HOURS = 6;

/** Majority: 18 years, set by law (civil code, art. 414), not a setting. */
export const MAJORITY_AGE = 18;

/** UVF: a child leaves the unit before its end only in daytime, between these times (HH:MM, inclusive). */
export const CHILD_EXIT_EARLIEST = '08:00';
export const CHILD_EXIT_LATEST = '20:00';

export const KIND_LABELS: Record<FamilyVisitKind, string> = {
  UVF: 'Unité de vie familiale (UVF)',
  PF: 'Parloir familial',
};

/** The visit as a sentence names it: « votre demande de visite en unité de vie familiale (UVF) ». */
export const VISIT_PHRASES: Record<FamilyVisitKind, string> = {
  UVF: 'visite en unité de vie familiale (UVF)',
  PF: 'visite en parloir familial',
};

export const CHANNEL_LABELS: Record<FamilyVisitChannel, string> = {
  ONLINE: 'En ligne',
  LETTER: 'Courrier',
  EMAIL: 'Courriel',
  IN_PERSON: 'Au guichet',
};

export const REQUEST_STATUS_LABELS: Record<FamilyVisitRequestStatus, string> = {
  RECEIVED: 'Reçue, en cours d’instruction',
  GRANTED: 'Accordée',
  REFUSED: 'Refusée',
  IMPLICITLY_REJECTED: 'Rejetée faute de réponse dans les deux mois',
  REFERRED: 'Transmise au magistrat',
  WITHDRAWN: 'Retirée',
};

export const CONSENT_CAPACITY_LABELS: Record<ConsentCapacity, string> = {
  BOTH_PARENTS: 'Les deux parents',
  SOLE_HOLDER: 'Le seul titulaire de l’autorité parentale',
  DELEGATE: 'Le délégataire de l’autorité parentale',
  GUARDIAN: 'Le tuteur',
};

/** The durations one may wish for this kind, in hours. */
export function durationChoices(kind: FamilyVisitKind): number[] {
  if (kind === 'PF') return Array.from({ length: PF_MAX_HOURS - PF_MIN_HOURS + 1 }, (_, i) => PF_MIN_HOURS + i);
  return Array.from({ length: (UVF_MAX_HOURS - UVF_MIN_HOURS) / UVF_STEP_HOURS + 1 }, (_, i) => UVF_MIN_HOURS + i * UVF_STEP_HOURS);
}

/** Why this duration is not possible for this kind, or null. */
export function durationRefusal(kind: FamilyVisitKind, hours: number): string | null {
  if (!Number.isInteger(hours)) return tr('familyVisits:errors.wholeHours');
  if (kind === 'PF') {
    return hours >= PF_MIN_HOURS && hours <= PF_MAX_HOURS ? null : tr('familyVisits:errors.pfDuration', { max: PF_MAX_HOURS });
  }
  if (hours < UVF_MIN_HOURS || hours > UVF_MAX_HOURS || hours % UVF_STEP_HOURS !== 0) {
    return tr('familyVisits:errors.uvfDuration', { min: UVF_MIN_HOURS, max: UVF_MAX_HOURS, step: UVF_STEP_HOURS });
  }
  return null;
}

/** Why this wished period (AAAA-MM-JJ) is not possible on `today` (the establishment's day), or null. */
export function periodRefusal(from: string, to: string, today: string): string | null {
  if (from < today) return tr('familyVisits:errors.periodPast');
  if (to < from) return tr('familyVisits:errors.periodOrder');
  return null;
}

/** Why this date of receipt is not possible, or null: never after today. */
export function receiptRefusal(receivedOn: string, today: string): string | null {
  return receivedOn > today ? 'La date de réception ne peut pas être dans le futur.' : null;
}

/** Full years of someone born on `birthdate` on `day` (both AAAA-MM-JJ). */
export function ageOn(birthdate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthdate.slice(0, 4));
  return day.slice(5) < birthdate.slice(5) ? years - 1 : years;
}

export function isMinorOn(birthdate: string, day: string): boolean {
  return ageOn(birthdate, day) < MAJORITY_AGE;
}

/** A visitor of a request: their permit (key), birth date, and who accompanies them (another visitor's key). */
export interface VisitorOfRequest {
  key: string;
  name: string;
  birthdate: string;
  /** Whether they hold a visit permit for the detainee (visitors always do here; kept explicit for PF). */
  holdsPermit: boolean;
  accompaniedBy: string | null;
}

/**
 * Why these visitors may not visit together, or null. A minor (under 18 on the wished start) comes
 * only with an accompanying adult of the same case; for a family parlour that adult holds a permit.
 * The rule of the ordinary parlour letting a minor over 16 visit alone does NOT apply to UVF and PF.
 * `others` are the adults already in the case (their own requests), who may accompany a minor too.
 */
export function visitorsRefusal(
  kind: FamilyVisitKind,
  visitors: VisitorOfRequest[],
  start: string,
  others: VisitorOfRequest[] = [],
): string | null {
  if (visitors.length === 0) return tr('familyVisits:errors.noVisitor');
  const all = new Map([...others, ...visitors].map((v) => [v.key, v]));
  for (const v of visitors) {
    if (!v.holdsPermit) return tr('familyVisits:errors.noPermit', { name: v.name });
    if (!isMinorOn(v.birthdate, start)) continue;
    const adult = v.accompaniedBy ? all.get(v.accompaniedBy) : undefined;
    if (!adult || adult.key === v.key || isMinorOn(adult.birthdate, start)) {
      return tr('familyVisits:errors.minorCompanion', { name: v.name });
    }
    if (kind === 'PF' && !adult.holdsPermit) {
      return tr('familyVisits:errors.pfCompanionPermit', { name: v.name });
    }
  }
  return null;
}

/** UVF, a minor: why this exit time (HH:MM) is not possible, or null (none given is fine). */
export function childExitRefusal(kind: FamilyVisitKind, time: string | null): string | null {
  if (time === null) return null;
  if (kind !== 'UVF') return tr('familyVisits:errors.exitUvfOnly');
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return tr('familyVisits:errors.exitFormat');
  if (time < CHILD_EXIT_EARLIEST || time > CHILD_EXIT_LATEST) {
    return tr('familyVisits:errors.exitDaytime', { from: clockIn(CHILD_EXIT_EARLIEST), to: clockIn(CHILD_EXIT_LATEST) });
  }
  return null;
}

/**
 * A minor's parental consent names the adult who will accompany the child (note DAP 2014: « cet accord
 * doit préciser le nom et prénom de l'adulte qui accompagnera »): why the adult it names is not the
 * accompanying adult of the minor's request, or null. Names compare with case, accents, marks,
 * hyphens and word order aside, in any script (`sameName`).
 */
export function consentCompanionRefusal(named: string, minor: string, companion: string | null): string | null {
  if (companion === null) return tr('familyVisits:errors.consentNoCompanion', { minor });
  if (sameName(named, companion)) return null;
  return tr('familyVisits:errors.consentOtherCompanion', { named: named.trim(), minor, companion });
}

/** Two periods (AAAA-MM-JJ, inclusive) share at least one day. */
export function periodsOverlap(a: { from: string; to: string }, b: { from: string; to: string }): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/**
 * Why a visitor's request entered by the staff cannot join this case for its own wished period, or
 * null: requests of one detainee and kind whose wished periods overlap make one case (as the detainee's
 * and the online paths join them); a request for another period opens its own case.
 */
export function joinPeriodRefusal(own: { from: string; to: string }, c: { from: string; to: string }): string | null {
  return periodsOverlap(own, c) ? null : 'La période souhaitée ne recoupe pas celle du dossier : ouvrez un nouveau dossier.';
}

/** The reference of a case: UV- and 8 characters one can read over the phone. */
export function caseReference(code: string): string {
  return `UV-${code}`;
}

const DAY_LABEL = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** A calendar day (AAAA-MM-JJ) as a letter says it: « 5 mars 2027 ». */
export function dayLabel(day: string): string {
  return DAY_LABEL.format(new Date(`${day}T00:00:00Z`));
}

/** What the acknowledgement of a request says (CRPA L112-3, R112-5), as the e-mail's data. */
export interface RequestAcknowledgement {
  /** The day of receipt in the establishment's time zone, as a letter says it. */
  receivedOn: string;
  /** The same days, AAAA-MM-JJ: the family's messages write them in their language. */
  receivedDay: string;
  implicitRejectionDay: string | null;
  /** A prévenu's request: the magistrate in charge decides, no implicit rejection. */
  magistrate: boolean;
  /** The day silence becomes an implicit rejection (condamné), as a letter says it; null for a prévenu. */
  implicitRejectionDate: string | null;
  /** The department in charge: name, address, phone, e-mail. */
  department: string;
  /** The recourse routes against a rejection (express or implicit); null for a prévenu (the magistrate decides). */
  recourse: string[] | null;
}

/**
 * The acknowledgement of a UVF / PF request received on `receivedDay` (AAAA-MM-JJ, the
 * establishment's day): for a condamné, the day of the implicit rejection (2 months, as the job
 * counts it), the department and the recourse routes; for a prévenu (`magistrate`), the request goes to
 * the magistrate in charge: no implicit rejection, no administrative recourse announced.
 */
export function requestAcknowledgement(receivedDay: string, magistrate: boolean, department: Department): RequestAcknowledgement {
  return {
    receivedOn: dayLabel(receivedDay),
    receivedDay,
    magistrate,
    implicitRejectionDate: magistrate ? null : dayLabel(decisionDeadline(new Date(`${receivedDay}T00:00:00Z`))),
    implicitRejectionDay: magistrate ? null : decisionDeadline(new Date(`${receivedDay}T00:00:00Z`)),
    department: departmentContact(department),
    recourse: magistrate ? null : recourseParagraphs(department),
  };
}

/**
 * The statuses a request may be withdrawn from: not decided yet (under instruction, or at the
 * magistrate's). Every other status is final (decision.rules.ts FINAL_STATUSES).
 */
export const WITHDRAWABLE_STATUSES: readonly FamilyVisitRequestStatus[] = ['RECEIVED', 'REFERRED'];

/** Why this request cannot be withdrawn, or null: once decided (or already withdrawn), it stays as it is. */
export function withdrawalRefusal(status: FamilyVisitRequestStatus): string | null {
  if (WITHDRAWABLE_STATUSES.includes(status)) return null;
  if (status === 'WITHDRAWN') return tr('familyVisits:errors.alreadyWithdrawn');
  return tr('familyVisits:errors.alreadyDecided');
}

/** Why this date of withdrawal (AAAA-MM-JJ) is not possible, or null: between the request's receipt and today. */
export function withdrawalDayRefusal(day: string, receivedDay: string, today: string): string | null {
  if (day > today) return 'La date du retrait ne peut pas être dans le futur.';
  if (day < receivedDay) return 'La date du retrait ne peut pas précéder la réception de la demande.';
  return null;
}

/**
 * The case's status once one of its requests is withdrawn: when every request is decided or withdrawn,
 * DECIDED if a stay may still come (the detainee's request and a visitor's are granted, or a stay is
 * booked or under way), else CLOSED (nothing more will happen on it); otherwise unchanged.
 */
export function caseStatusAfterWithdrawal(
  current: FamilyVisitCaseStatus,
  requests: { applicant: 'DETAINEE' | 'VISITOR'; status: FamilyVisitRequestStatus }[],
  stayAhead: boolean,
): FamilyVisitCaseStatus {
  if (requests.length === 0 || requests.some((r) => WITHDRAWABLE_STATUSES.includes(r.status))) return current;
  const granted = (a: 'DETAINEE' | 'VISITOR') => requests.some((r) => r.applicant === a && r.status === 'GRANTED');
  return stayAhead || (granted('DETAINEE') && granted('VISITOR')) ? 'DECIDED' : 'CLOSED';
}

/** An open case a family's online request could join (same detainee and kind, overlapping period, under instruction). */
export interface JoinCandidate {
  id: string;
  hasDetaineeRequest: boolean;
  /** Requests of this family already in the case. */
  familyRequests: number;
  /** Visitors' requests of anyone else, not withdrawn. */
  otherVisitorRequests: number;
}

/**
 * The case a family's online request joins, among the candidates (oldest first), or null for a new
 * case: only a case of the same family group — one that holds this family's own request (a child added
 * after the adult; other visitors there were grouped by the staff), or the detainee's request with no
 * other family in it — never a case where only another family's visitors are (two families asking for
 * the same period are two visits until the staff say otherwise). Its own case first.
 */
export function onlineCaseToJoin(candidates: JoinCandidate[]): string | null {
  const joinable = candidates.filter((c) => c.familyRequests > 0 || (c.hasDetaineeRequest && c.otherVisitorRequests === 0));
  return (joinable.find((c) => c.familyRequests > 0) ?? joinable[0])?.id ?? null;
}
