import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { CustodyStatus } from '../detainees/detainee.entity';
import type { FamilyVisitKind } from './family-unit.entity';
import type { StayStatus } from './family-visit-stay.entity';
import { tr } from '../common/translate';

/** Rules of the UVF / PF units and of the stays in them (note DAP 2014, DOMAIN.md "UVF and PF"). */

export const KIND_LABELS: Record<FamilyVisitKind, string> = { UVF: 'Unité de vie familiale (UVF)', PF: 'Parloir familial (PF)' };

export const STAY_STATUS_LABELS: Record<StayStatus, string> = {
  BOOKED: 'Prévu',
  IN_PROGRESS: 'En cours',
  ENDED: 'Terminé',
  ENDED_EARLY: 'Terminé avant l’heure',
  CANCELLED: 'Annulé',
};

export type StayEventKind =
  'ENTRY_INVENTORY' | 'EXIT_INVENTORY' | 'BELONGINGS' | 'PRESENCE_CHECK' | 'ROUND' | 'INCIDENT' | 'INTERVENTION' | 'EARLY_END';

/** What an agent records during a stay (EARLY_END is recorded by the early end itself). */
export const STAY_EVENT_LABELS: Record<Exclude<StayEventKind, 'EARLY_END'>, string> = {
  ENTRY_INVENTORY: 'État des lieux d’entrée (avec la personne détenue)',
  EXIT_INVENTORY: 'État des lieux de sortie (avec la personne détenue)',
  BELONGINGS: 'Inventaire des effets des visiteurs et casiers',
  PRESENCE_CHECK: 'Contrôle de présence',
  ROUND: 'Ronde',
  INCIDENT: 'Compte-rendu d’incident',
  INTERVENTION: 'Compte-rendu d’intervention',
};

/** Capacity of a unit: the establishment's rules, 1 to 20 visitors. */
export function capacityProblem(capacity: number): string | null {
  return Number.isInteger(capacity) && capacity >= 1 && capacity <= 20 ? null : 'La capacité est un nombre de visiteurs de 1 à 20.';
}

/** At least one unit of the establishment is accessible to persons with reduced mobility. */
export function accessibilityWarning(units: { active: boolean; accessible: boolean }[]): string | null {
  const active = units.filter((u) => u.active);
  if (active.length === 0 || active.some((u) => u.accessible)) return null;
  return 'Aucun logement actif n’est accessible aux personnes à mobilité réduite : au moins un doit l’être.';
}

/** Duration of a visit: UVF 6 to 72 hours, PF at most 6 hours. */
export function durationProblem(kind: FamilyVisitKind, hours: number): string | null {
  if (kind === 'UVF' && (hours < 6 || hours > 72)) return 'Une visite en UVF dure de 6 à 72 heures.';
  if (kind === 'PF' && (hours < 1 || hours > 6)) return 'Une visite en parloir familial dure au plus 6 heures.';
  return null;
}

/** Families living at least this far come first for a PF (note DAP 2014). */
export const FAR_KM = 200;

export interface WaitingCase {
  caseId: string;
  kind: FamilyVisitKind;
  /** The detainee cannot get leave (permission de sortir). */
  noLeavePossible: boolean;
  distanceKm: number | null;
  /** End of the detainee's last stay in a unit, or null if never. */
  lastStayAt: Date | null;
  /** When the visit was authorised (ties). */
  authorisedAt: Date;
}

/** Why a case is ahead, in words for the planning page. */
export function priorityReasons(c: WaitingCase): string[] {
  const reasons: string[] = [];
  if (c.noLeavePossible) reasons.push('sans permission de sortir');
  if (c.kind === 'PF' && (c.distanceKm ?? 0) >= FAR_KM) reasons.push(`famille éloignée (${c.distanceKm} km)`);
  return reasons;
}

/**
 * The waiting list when demand exceeds capacity: detainees who cannot get leave first, then, for PF,
 * families living far away; then the longest time since the detainee's last stay (never first); then
 * the oldest authorisation.
 */
export function rankWaitingList<T extends WaitingCase>(cases: readonly T[]): T[] {
  const far = (c: WaitingCase) => c.kind === 'PF' && (c.distanceKm ?? 0) >= FAR_KM;
  return [...cases].sort(
    (a, b) =>
      Number(b.noLeavePossible) - Number(a.noLeavePossible) ||
      Number(far(b)) - Number(far(a)) ||
      (a.lastStayAt?.getTime() ?? -Infinity) - (b.lastStayAt?.getTime() ?? -Infinity) ||
      a.authorisedAt.getTime() - b.authorisedAt.getTime(),
  );
}

/** Staff warn the occupants about 15 minutes before the end: a stay in progress ending within 15 minutes. */
export const END_WARNING_MINUTES = 15;
export function endsSoon(stay: { status: StayStatus; endsAt: Date }, now: Date): boolean {
  return stay.status === 'IN_PROGRESS' && within(stay.endsAt, now);
}

/** The same warning before the break of a PF in two slots: the first slot ends within 15 minutes, the visitors go out. */
export function breakSoon(stay: { status: StayStatus; breakFrom: Date | null }, now: Date): boolean {
  return stay.status === 'IN_PROGRESS' && stay.breakFrom !== null && within(stay.breakFrom, now);
}

/** A stay in progress whose visitors are out for the break. */
export function onBreak(stay: { status: StayStatus; breakFrom: Date | null; breakTo: Date | null }, now: Date): boolean {
  return (
    stay.status === 'IN_PROGRESS' &&
    stay.breakFrom !== null &&
    stay.breakTo !== null &&
    stay.breakFrom.getTime() <= now.getTime() &&
    now.getTime() < stay.breakTo.getTime()
  );
}

function within(end: Date, now: Date): boolean {
  const left = end.getTime() - now.getTime();
  return left >= 0 && left <= END_WARNING_MINUTES * 60_000;
}

/** Whether a stay may go to `next`: any exit is final (no restart after an end, early or not). */
export function transitionProblem(status: StayStatus, next: 'IN_PROGRESS' | 'ENDED' | 'ENDED_EARLY'): string | null {
  if (next === 'IN_PROGRESS') return status === 'BOOKED' ? null : 'Cette visite ne peut plus commencer : toute sortie est définitive.';
  if (status === 'IN_PROGRESS') return null;
  return 'Cette visite n’est pas en cours.';
}

/** What may still be recorded once a stay is over: the exit inventory, the lockers, a report. */
export function eventProblem(status: StayStatus, kind: StayEventKind): string | null {
  if (status === 'CANCELLED') return 'Cette visite est annulée.';
  if (status === 'ENDED' || status === 'ENDED_EARLY')
    return ['EXIT_INVENTORY', 'BELONGINGS', 'INCIDENT', 'INTERVENTION'].includes(kind) ? null : 'Cette visite est terminée.';
  return null;
}

/**
 * Whether the case's authorisation covers a stay ending at `endsAt`, or why not: the detainee's own
 * request must be granted (a visitor's authorisation alone is no visit; for a prévenu the magistrate
 * answers each request, and the detainee's may still be awaited or refused), and a magistrate's
 * temporary authorisation (its end date, AAAA-MM-JJ) must still run on the stay's last day, on the
 * establishment's clock.
 */
export function authorisationProblem(
  c: { detaineeGranted: boolean; authorisedUntil: string | null },
  endsAt: Date,
  timeZone: string,
): { code: 'NOT_AUTHORISED' | 'UNTIL'; message: string } | null {
  if (!c.detaineeGranted)
    return {
      code: 'NOT_AUTHORISED',
      message: 'La demande de la personne détenue n’est pas accordée : la visite ne peut pas être réservée.',
    };
  // A stay ending at midnight ends on the day before.
  const lastDay = formatInTimeZone(new Date(endsAt.getTime() - 1), timeZone, 'yyyy-MM-dd');
  if (c.authorisedUntil && lastDay > c.authorisedUntil)
    return {
      code: 'UNTIL',
      message: `L’autorisation du magistrat prend fin le ${c.authorisedUntil.split('-').reverse().join('/')} : la visite doit être terminée ce jour-là au plus tard.`,
    };
  return null;
}

/**
 * One detainee in one place: the refusal of a stay meeting another of the detainee's stays (a UVF and
 * a PF, or two units), naming that stay (unit and times on the establishment's clock) when it is known
 * (the check before writing), in general words when the database refused it (a booking made meanwhile).
 */
export function detaineeTakenMessage(other: { unitName: string; startsAt: Date; endsAt: Date } | null, timeZone: string): string {
  const when = (d: Date) => formatInTimeZone(d, timeZone, "dd/MM/yyyy 'à' HH:mm");
  const which = other ? ` (${other.unitName}, du ${when(other.startsAt)} au ${when(other.endsAt)})` : '';
  return `Cette personne détenue a déjà une visite en UVF ou en parloir familial sur cette période${which} : elle ne peut pas être dans deux logements à la fois.`;
}

/**
 * The visiting rooms' opening on a day, on the establishment's clock: from the earliest slot's start to
 * the latest slot's end of its active rooms' weekly slots in force that day; 'CLOSED' when they have no
 * slot that weekday; null when the establishment models no slot at all that day.
 */
export type VisitingHours = { from: string; to: string } | 'CLOSED' | null;

/** Without any slot modelled, a family parlour keeps to the detention day: 07:00 to 20:00 (a P2V default, not in the note). */
export const PF_DAY_FROM = '07:00';
export const PF_DAY_TO = '20:00';

/**
 * A family parlour takes place « au cours de la journée de détention et en fonction des plages horaires
 * fixées par le règlement intérieur », « dans la mesure du possible […] lors de l'ouverture des parloirs
 * ordinaires » (note DAP 2014, PF B.1): its whole span (both slots and the break) within the visiting
 * rooms' opening that day, or, when the establishment models none, within 07:00–20:00; never over midnight.
 */
export function pfHoursProblem(t: StayTimes, hours: VisitingHours, timeZone: string, exceptional = false): string | null {
  const day = formatInTimeZone(t.from, timeZone, 'yyyy-MM-dd');
  // The head's exceptional permission lifts the usual hours, not the day: the parlour still ends by midnight.
  if (exceptional)
    return formatInTimeZone(new Date(t.to.getTime() - 1), timeZone, 'yyyy-MM-dd') === day
      ? null
      : 'Même à titre exceptionnel, un parloir familial a lieu dans la journée : il doit finir à minuit au plus tard.';
  const start = formatInTimeZone(t.from, timeZone, 'HH:mm');
  const end = formatInTimeZone(t.to, timeZone, 'yyyy-MM-dd') === day ? formatInTimeZone(t.to, timeZone, 'HH:mm') : '24:00';
  if (hours === 'CLOSED')
    return 'Les parloirs ne sont pas ouverts ce jour-là : un parloir familial a lieu pendant les heures d’ouverture des parloirs. Choisissez un autre jour.';
  const open = hours ?? { from: PF_DAY_FROM, to: PF_DAY_TO };
  if (start >= open.from && end <= open.to) return null;
  return hours
    ? `Un parloir familial a lieu pendant les heures d’ouverture des parloirs, de ${open.from} à ${open.to} ce jour-là : choisissez un horaire dans cette plage.`
    : `Un parloir familial a lieu au cours de la journée de détention, de ${open.from} à ${open.to} : choisissez un horaire dans cette plage.`;
}

/**
 * « Le chef d'établissement peut, à titre exceptionnel (circonstances familiales exceptionnelles par
 * exemple), autoriser ce type de visite en dehors des plages horaires habituelles » (note DAP 2014, PF
 * B.1): the box « Autorisation exceptionnelle du chef d'établissement » is ticked only by the head or an
 * agent holding a signature delegation in force that day; why not, or null.
 */
export function exceptionalHoursRefusal(asked: boolean, signatory: boolean): string | null {
  if (!asked || signatory) return null;
  return 'Seul le chef d’établissement, ou un agent titulaire d’une délégation de signature en cours, peut autoriser un parloir familial en dehors des heures habituelles : décochez « Autorisation exceptionnelle du chef d’établissement » ou demandez-lui de réserver.';
}

/** Why the personnel intervenes in a stay (note DAP 2014, UVF D.2.c; PF D.3). */
export type InterventionCause = 'CALL' | 'INCIDENT';
export const INTERVENTION_CAUSES: Record<InterventionCause, string> = {
  CALL: 'À l’appel des occupants (interphone, appel à la porte)',
  INCIDENT: 'Sur incident ou suspicion d’incident : décidée par le chef d’établissement ou un agent ayant délégation',
};

/**
 * « L'intervention du personnel pénitentiaire à l'intérieur de l'UVF ne peut avoir lieu que sur décision
 * du chef d'établissement ou d'un personnel ayant reçu délégation » (on an incident or a suspicion; at
 * the occupants' call the personnel answers). Why the intervention cannot be recorded so, or null: the
 * decider (the agent named, or else the agent recording it) must be the head or hold a signature
 * delegation in force that day.
 */
export function interventionProblem(cause: InterventionCause, decider: { named: boolean; signatory: boolean }): string | null {
  if (cause === 'CALL' || decider.signatory) return null;
  if (decider.named)
    return 'La personne indiquée n’est ni chef d’établissement ni titulaire d’une délégation de signature en cours : choisissez qui a décidé l’intervention.';
  return 'Une intervention sur incident ou suspicion d’incident n’a lieu que sur décision du chef d’établissement ou d’un agent ayant délégation : indiquez qui l’a décidée (ou, si les occupants ont appelé, choisissez « À l’appel des occupants »).';
}

/** A local date (AAAA-MM-JJ) and time (HH:MM) on the establishment's clock, as an instant. */
export function localInstant(day: string, time: string, timeZone: string): Date {
  return fromZonedTime(`${day} ${time}`, timeZone);
}

/**
 * A stay's times: its whole span [from, to) and, for a family parlour in two cumulated slots, the break
 * [breakFrom, breakTo) between them, inside the span (the unit stays the family's over the break).
 */
export interface StayTimes {
  from: Date;
  to: Date;
  breakFrom: Date | null;
  breakTo: Date | null;
}

/** A PF in two cumulated slots (note DAP 2014, B.1 PF): each slot lasts at least 1 hour, the break 30 minutes to 3 hours. */
export const MIN_SLOT_MINUTES = 60;
export const MIN_BREAK_MINUTES = 30;
export const MAX_BREAK_MINUTES = 180;

/** What a booking or a move asks: the day and the start; for a PF in two slots, the first slot's length and the second's start. */
export interface StayRequest {
  day: string;
  time: string;
  /** The stay starts outside the wished period, as agreed with the family (« oui »). */
  outsideWish?: boolean;
  /** A PF outside the usual hours with the head's exceptional permission (« oui »): from the head or a delegate only. */
  exceptionalHours?: boolean;
  /** Minutes. */
  firstDuration?: number | null;
  secondTime?: string | null;
}

/** Why the times asked are not possible, and the field to show it on. */
export interface SlotsProblem {
  code: 'FIRST_SLOT' | 'SECOND_SLOT';
  message: string;
}

/** "3 h", "2 h 30": a length in hours and minutes, in words. */
export function durationLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/** Parses a slot's length: "3", "3 h", "3h30", "3 h 30", "3:30" (minutes < 60); in minutes, or null. */
export function parseDuration(raw: string): number | null {
  const m = /^(\d{1,2})\s*(?:(?:h|:)\s*(\d{2})?)?$/i.exec(raw.trim());
  if (!m) return null;
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  return minutes < 60 ? Number(m[1]) * 60 + minutes : null;
}

/**
 * The times of a stay for the case's granted hours. A UVF or a PF in one slot: one continuous block
 * from the start. A PF granted in two cumulated slots (note DAP 2014, B.1 PF: « deux plages peuvent
 * être cumulées pour une durée maximale de 6 heures […] une pause médiane pour déjeuner à l'extérieur
 * de l'établissement »): the first slot from the start for its length, the second from its start for
 * the rest of the granted hours; each slot at least 1 hour, the break 30 minutes to 3 hours, both
 * slots the same day on the establishment's clock. Lengths are real elapsed time (a DST change in the
 * night is counted as it is lived).
 */
export function stayTimes(
  c: { grantedHours: number; grantedSlots: 1 | 2 },
  r: StayRequest,
  timeZone: string,
): { ok: true; times: StayTimes } | ({ ok: false } & SlotsProblem) {
  const from = localInstant(r.day, r.time, timeZone);
  const total = c.grantedHours * 60;
  if (c.grantedSlots !== 2) return { ok: true, times: { from, to: addMinutes(from, total), breakFrom: null, breakTo: null } };
  const fail = (code: SlotsProblem['code'], message: string) => ({ ok: false as const, code, message });
  if (r.firstDuration === null || r.firstDuration === undefined)
    return fail('FIRST_SLOT', 'Indiquez la durée du premier créneau, par exemple 3 h ou 2 h 30.');
  if (!r.secondTime) return fail('SECOND_SLOT', 'Indiquez l’heure de début du second créneau au format HH:MM.');
  const first = r.firstDuration;
  if (first < MIN_SLOT_MINUTES) return fail('FIRST_SLOT', 'Le premier créneau dure au moins 1 heure.');
  if (total - first < MIN_SLOT_MINUTES)
    return fail(
      'FIRST_SLOT',
      `Le second créneau dure au moins 1 heure : sur les ${durationLabel(total)} accordées, le premier créneau dure au plus ${durationLabel(total - MIN_SLOT_MINUTES)}.`,
    );
  const breakFrom = addMinutes(from, first);
  const sameDay = (end: Date) => formatInTimeZone(new Date(end.getTime() - 1), timeZone, 'yyyy-MM-dd') === r.day;
  const clock = (d: Date) => formatInTimeZone(d, timeZone, 'HH:mm');
  if (!sameDay(breakFrom))
    return fail('FIRST_SLOT', 'Les deux créneaux ont lieu le même jour : le premier créneau doit finir avant minuit.');
  const breakTo = localInstant(r.day, r.secondTime, timeZone);
  const pause = (breakTo.getTime() - breakFrom.getTime()) / 60_000;
  if (pause < MIN_BREAK_MINUTES)
    return fail(
      'SECOND_SLOT',
      `La pause entre les deux créneaux dure au moins 30 minutes : le premier créneau finit à ${clock(breakFrom)}, le second commence à ${clock(addMinutes(breakFrom, MIN_BREAK_MINUTES))} au plus tôt.`,
    );
  if (pause > MAX_BREAK_MINUTES)
    return fail(
      'SECOND_SLOT',
      `La pause entre les deux créneaux dure au plus 3 heures : le premier créneau finit à ${clock(breakFrom)}, le second commence à ${clock(addMinutes(breakFrom, MAX_BREAK_MINUTES))} au plus tard.`,
    );
  const to = addMinutes(breakTo, total - first);
  if (!sameDay(to))
    return fail(
      'SECOND_SLOT',
      `Les deux créneaux ont lieu le même jour : le second créneau, de ${durationLabel(total - first)}, finirait après minuit.`,
    );
  return { ok: true, times: { from, to, breakFrom, breakTo } };
}

function addMinutes(d: Date, minutes: number): Date {
  return new Date(d.getTime() + minutes * 60_000);
}

/** The break as the agents read it: « pause : visiteurs sortis de 12:00 à 13:30 » (establishment's clock). */
export function breakNote(s: { breakFrom: Date | null; breakTo: Date | null }, timeZone: string): string | null {
  if (!s.breakFrom || !s.breakTo) return null;
  const clock = (d: Date) => formatInTimeZone(d, timeZone, 'HH:mm');
  return `pause : visiteurs sortis de ${clock(s.breakFrom)} à ${clock(s.breakTo)}`;
}

/** "09 h 00": a time on the establishment's clock, as the family's dates say it (whenLabel). */
export function hourLabel(d: Date, timeZone: string): string {
  return formatInTimeZone(d, timeZone, "HH 'h' mm");
}

/**
 * When a stay takes place, short enough for an SMS, on the establishment's clock: « le 12/12 de 09h00
 * à 15h00 », with a break « le 12/12 de 09h00 à 12h00 puis de 13h30 à 16h30 », over several days « du
 * 12/12 à 14h00 au 13/12 à 14h00 ».
 */
export function stayWhenShort(t: StayTimes, timeZone: string): string {
  const day = (d: Date) => formatInTimeZone(d, timeZone, 'dd/MM');
  const clock = (d: Date) => formatInTimeZone(d, timeZone, "HH'h'mm");
  const lastDay = new Date(t.to.getTime() - 1);
  if (day(t.from) !== day(lastDay)) return `du ${day(t.from)} à ${clock(t.from)} au ${day(t.to)} à ${clock(t.to)}`;
  if (t.breakFrom && t.breakTo)
    return `le ${day(t.from)} de ${clock(t.from)} à ${clock(t.breakFrom)} puis de ${clock(t.breakTo)} à ${clock(t.to)}`;
  return `le ${day(t.from)} de ${clock(t.from)} à ${clock(t.to)}`;
}

/** Parses HH:MM (00:00–23:59). */
export function parseTime(raw: string): string | null {
  const m = /^(\d{1,2})[:h](\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  return h < 24 && mi < 60 ? `${String(h).padStart(2, '0')}:${m[2]}` : null;
}

/** Only a stay still to come (BOOKED) may be cancelled or moved: once begun, it only ends. */
export function changeProblem(status: StayStatus, change: 'CANCEL' | 'MOVE'): string | null {
  if (status === 'BOOKED') return null;
  if (status === 'CANCELLED') return 'Cette visite est déjà annulée.';
  return change === 'CANCEL'
    ? 'Seule une visite prévue, pas encore commencée, peut être annulée.'
    : 'Seule une visite prévue, pas encore commencée, peut être déplacée.';
}

/** Where the visit takes place, as said to the family (« votre visite en … »). */
export const VISIT_PLACE: Record<FamilyVisitKind, string> = { UVF: 'unité de vie familiale', PF: 'parloir familial' };

/** A change to a booked stay, as the family reads it; dates already on the establishment's clock. */
export type StayChangeNotice =
  | {
      change: 'MOVED';
      before: string;
      from: string;
      to: string;
      unit: string;
      zone: string;
      /** A PF in two slots: the break's start and end (« 12 h 00 »), the same day; null otherwise. */
      breakFrom: string | null;
      breakTo: string | null;
    }
  | {
      change: 'CANCELLED';
      before: string;
      unit: string;
      zone: string;
      reason: string;
      /** Whether a new stay may be booked for the case (rebookPossible): only then is another date promised. */
      rebook: boolean;
    };

/** What a cancelled stay's family reads when no new stay may be booked for the case. */
export const NO_NEW_DATE = 'Aucune nouvelle date ne pourra être proposée au titre de ce dossier.';

/**
 * Whether a new stay may still be booked for the case once its stay is cancelled, as the booking
 * checks it: the detainee still in the establishment, the detainee's request and a visitor's granted,
 * and the magistrate's authorisation, if any, running on `today` (AAAA-MM-JJ, establishment's day) at
 * least (a withdrawn one ended the day before its withdrawal).
 */
export function rebookPossible(
  c: { custodyStatus: CustodyStatus; detaineeGranted: boolean; grantedVisitors: number; authorisedUntil: string | null },
  today: string,
): boolean {
  return (
    c.custodyStatus === 'PRESENT' &&
    c.detaineeGranted &&
    c.grantedVisitors > 0 &&
    (c.authorisedUntil === null || c.authorisedUntil >= today)
  );
}

/** The line of the family's history (and of its e-mail) telling a moved or cancelled stay. */
export function stayChangeMessage(n: StayChangeNotice): string {
  if (n.change === 'MOVED')
    return (
      `Votre visite est déplacée : elle aura lieu du ${n.from} au ${n.to} (${n.zone}), en ${n.unit}` +
      (n.breakFrom && n.breakTo ? `, en deux créneaux avec une pause pour déjeuner à l’extérieur de ${n.breakFrom} à ${n.breakTo}` : '') +
      `. L’ancienne date (${n.before}) n’est plus valable.`
    );
  return `Votre visite du ${n.before} (${n.zone}) en ${n.unit} est annulée : ${n.reason.trim().replace(/\.+$/, '')}. ${n.rebook ? 'L’établissement vous proposera une autre date.' : NO_NEW_DATE}`;
}

/** The family's distance from the establishment, in whole kilometres (0 to 20 000: as far as France overseas). */
export const MAX_DISTANCE_KM = 20000;
export const DISTANCE_MESSAGE = 'La distance est un nombre entier de kilomètres, de 0 à 20 000.';
export function distanceProblem(km: number | null): string | null {
  if (km === null) return null;
  return Number.isInteger(km) && km >= 0 && km <= MAX_DISTANCE_KM ? null : DISTANCE_MESSAGE;
}

/** The unit's own rules (from the règlement intérieur): empty means none; at most 4 000 characters. */
export const HOUSE_RULES_MAX = 4000;
export const HOUSE_RULES_MESSAGE = 'Le règlement du logement fait au plus 4 000 caractères.';
export function houseRulesOf(raw: string | null | undefined): string | null {
  const text = (raw ?? '').replace(/\r\n?/g, '\n').trim();
  return text === '' ? null : text;
}
export function houseRulesProblem(text: string | null): string | null {
  return text !== null && text.length > HOUSE_RULES_MAX ? HOUSE_RULES_MESSAGE : null;
}

/** What the family reads before its stay, drawn from the note DAP 2014 (UVF: part C.3 and D.1; PF: the same for the parlours). */
export interface StayGuide {
  /** How the time is split, for a family parlour granted in two cumulated slots; null otherwise. */
  slots: string | null;
  bring: string[];
  forbidden: string[];
  course: string[];
}

/**
 * The guide of a stay, per kind and, for a family parlour, per number of slots granted (with the
 * break's times once the stay is booked in two slots). Leaving is
 * final (UVF: « toute sortie de l’UVF est définitive »), except, for a PF in two cumulated slots, the
 * lunch break outside the establishment (PF: « en dehors des coupures médianes, la sortie du
 * parloir est définitive »).
 */
export function stayGuide(
  kind: FamilyVisitKind,
  slots: 1 | 2 | null = null,
  breakTimes: { from: string; to: string } | null = null,
): StayGuide {
  const twoSlots = kind === 'PF' && slots === 2;
  const g = (key: string, values?: Record<string, unknown>) => tr(`familyVisits:guide.${key}`, values);
  return {
    slots: twoSlots ? g('twoSlots') : null,
    bring: [g('bring.id'), g('bring.baby'), g('bring.hygiene'), g('bring.medical'), g('bring.family')],
    forbidden: [g('forbidden.food'), g(kind === 'UVF' ? 'forbidden.mealsUvf' : 'forbidden.mealsPf'), g('forbidden.locker')],
    course: [
      g('course.early'),
      g('course.inventory'),
      g('course.refusal'),
      ...(twoSlots
        ? [breakTimes ? g('course.breakAt', { from: breakTimes.from, to: breakTimes.to }) : g('course.break'), g('course.endTwoSlots')]
        : [g('course.end')]),
      g('course.leaving'),
    ],
  };
}

/**
 * A stay starting outside the period the family wished (note DAP 2014: the request names its period)
 * is booked, or moved, only once the agent confirms the date was agreed with the family; null when
 * within it or confirmed, else the French refusal naming the period.
 */
export function wishedPeriodProblem(
  day: string,
  wish: { wishedFrom: string; wishedTo: string },
  confirmed: boolean,
  change: 'BOOK' | 'MOVE' = 'BOOK',
): string | null {
  if (confirmed || (day >= wish.wishedFrom && day <= wish.wishedTo)) return null;
  const fr = (d: string) => d.split('-').reverse().join('/');
  return `La famille a souhaité une visite du ${fr(wish.wishedFrom)} au ${fr(wish.wishedTo)} : cochez « Date convenue avec la famille » pour ${change === 'BOOK' ? 'réserver' : 'déplacer la visite'} en dehors de cette période.`;
}
