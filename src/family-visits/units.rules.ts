import { fromZonedTime } from 'date-fns-tz';
import type { FamilyVisitKind } from './family-unit.entity';
import type { StayStatus } from './family-visit-stay.entity';

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
  const left = stay.endsAt.getTime() - now.getTime();
  return stay.status === 'IN_PROGRESS' && left >= 0 && left <= END_WARNING_MINUTES * 60_000;
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

/** A local date (AAAA-MM-JJ) and time (HH:MM) on the establishment's clock, as an instant. */
export function localInstant(day: string, time: string, timeZone: string): Date {
  return fromZonedTime(`${day} ${time}`, timeZone);
}

/** Parses HH:MM (00:00–23:59). */
export function parseTime(raw: string): string | null {
  const m = /^(\d{1,2})[:h](\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  return h < 24 && mi < 60 ? `${String(h).padStart(2, '0')}:${m[2]}` : null;
}
