import { tr } from '../common/translate';
import { formatInTimeZone } from 'date-fns-tz';
import type { VisitStatus } from './visit-day.rules';

/**
 * Pure rules of the periods when a detainee cannot receive the visits booked (R341-3): materially
 * prevented (2°: hospital, court extraction, transfer…), or in the disciplinary cell having had the
 * week's visit (3°: « a épuisé son droit à un parloir hebdomadaire »).
 */

export const RESTRICTION_KINDS = {
  PREVENTED: 'Personne détenue empêchée',
  DISCIPLINARY: 'Cellule disciplinaire (une visite par semaine)',
} as const;
export type RestrictionKind = keyof typeof RESTRICTION_KINDS;

export const PREVENTION_CAUSES = {
  HOSPITAL: 'Hospitalisation',
  COURT: 'Extraction judiciaire',
  TRANSFER: 'Transfert',
  OTHER: 'Autre empêchement matériel',
} as const;
export type PreventionCause = keyof typeof PREVENTION_CAUSES;

/** In the disciplinary cell, the detainee keeps one visit a week (R341-3 3°). */
export const DISCIPLINARY_WEEKLY_VISITS = 1;

/**
 * What the family reads, in the cancellation message and when booking is refused: never more of
 * the detainee's situation than this (no hospital, court or discipline named).
 */
export const DETAINEE_UNAVAILABLE_REASON = 'La personne détenue ne peut pas recevoir de visite ce jour-là.';

/** What the families of the visits a period cancels are told: nothing of the detainee's situation, in the e-mail or the SMS. */
export const DETAINEE_UNAVAILABLE_NOTICE = {
  reason: DETAINEE_UNAVAILABLE_REASON,
  smsReason: 'personne visitée indisponible',
  rebookPath: '/visites/reserver',
};

/** The longest period recorded at once (a longer absence is a transfer or a release, recorded by GENESIS). */
export const MAX_RESTRICTION_DAYS = 60;

/** A period as staff give it: local days, both included. Null when valid, or the message and field. */
export function periodRefusal(fromDay: string, toDay: string, today: string): { field: 'from' | 'to'; message: string } | null {
  if (fromDay < today) return { field: 'from', message: 'La période ne peut pas commencer avant aujourd’hui.' };
  if (toDay < fromDay) return { field: 'to', message: 'La fin de la période doit suivre son début.' };
  const days = (Date.parse(`${toDay}T12:00:00Z`) - Date.parse(`${fromDay}T12:00:00Z`)) / 86400_000 + 1;
  if (days > MAX_RESTRICTION_DAYS)
    return { field: 'to', message: `Une période ne dépasse pas ${MAX_RESTRICTION_DAYS} jours : enregistrez-en une nouvelle ensuite.` };
  return null;
}

/** A visit of the detainee as these rules see it. */
export interface RestrictedVisit {
  id: string;
  startsAt: Date;
  status: VisitStatus;
}

/** Visits that use the week: held, in progress, or still booked (not those the visitor missed or was refused). */
function usesWeek(status: VisitStatus): boolean {
  return status === 'BOOKED' || status === 'IN_PROGRESS' || status === 'DONE';
}

function isoWeek(instant: Date, timeZone: string): string {
  return formatInTimeZone(instant, timeZone, "RRRR-'W'II");
}

/**
 * The booked visits a period cancels. Prevented: every booked visit starting in the period (and
 * after `now`). Disciplinary cell: per week, the first visit that uses the week is kept (one visit a
 * week, R341-3 3°, counting those held earlier that week); the booked ones after it, in the period, go.
 */
export function visitsToCancel(
  kind: RestrictionKind,
  visits: RestrictedVisit[],
  period: { from: Date; to: Date },
  now: Date,
  timeZone: string,
): string[] {
  const inPeriod = (v: RestrictedVisit) =>
    v.status === 'BOOKED' && v.startsAt >= period.from && v.startsAt < period.to && v.startsAt.getTime() > now.getTime();
  if (kind === 'PREVENTED') return visits.filter(inPeriod).map((v) => v.id);
  const used = new Map<string, number>();
  const cancelled: string[] = [];
  for (const v of [...visits].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
    if (!usesWeek(v.status)) continue;
    const week = isoWeek(v.startsAt, timeZone);
    const n = used.get(week) ?? 0;
    if (n >= DISCIPLINARY_WEEKLY_VISITS && inPeriod(v)) {
      cancelled.push(v.id);
      continue;
    }
    used.set(week, n + 1);
  }
  return cancelled;
}

/** A period in force for a booking, as the booking rules see it. */
export interface RestrictionInForce {
  kind: RestrictionKind;
  from: Date;
  to: Date;
}

/**
 * Why a new visit at `startsAt` cannot be booked for the detainee, or null: a prevented period
 * covers it, or a disciplinary period covers it and the week's visit is used (`weekVisits`: the
 * other visits of that week that use it). Families read only DETAINEE_UNAVAILABLE_REASON.
 */
export function restrictionRefusal(
  restrictions: RestrictionInForce[],
  startsAt: Date,
  weekVisits: VisitStatus[],
  staff: boolean,
): { code: 'DETAINEE_PREVENTED' | 'DISCIPLINARY_WEEK_USED'; message: string } | null {
  const covering = restrictions.filter((r) => startsAt >= r.from && startsAt < r.to);
  if (covering.some((r) => r.kind === 'PREVENTED'))
    return {
      code: 'DETAINEE_PREVENTED',
      message: staff
        ? 'La personne détenue est empêchée à cette date : aucune visite n’est possible.'
        : tr('visits:refusals.DETAINEE_UNAVAILABLE'),
    };
  if (covering.some((r) => r.kind === 'DISCIPLINARY') && weekVisits.filter(usesWeek).length >= DISCIPLINARY_WEEKLY_VISITS)
    return {
      code: 'DISCIPLINARY_WEEK_USED',
      message: staff
        ? 'La personne détenue est en cellule disciplinaire et a déjà sa visite de la semaine (article R341-3 3°).'
        : tr('visits:refusals.DETAINEE_UNAVAILABLE'),
    };
  return null;
}
