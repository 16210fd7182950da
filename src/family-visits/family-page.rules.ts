import { tr } from '../common/translate';
import { whenIn, zoneNoteIn } from './family-texts';
import type { FamilyVisitRequestStatus } from './family-visit-request.entity';
import { MODE_LABELS } from './instruction.rules';

/**
 * What a family reads on the page of its UVF / PF request (« Mes demandes UVF / parloir familial »),
 * pure: the status badges, its convocations to the SPIP's interviews, its booked stay. Times are said
 * on the establishment's clock (Paris, or local time overseas).
 */

/** The DSFR badge of a request's status: green granted, red refused or rejected, blue under way, purple at the magistrate's. */
export const REQUEST_STATUS_BADGES: Record<FamilyVisitRequestStatus, string> = {
  RECEIVED: 'fr-badge--info',
  GRANTED: 'fr-badge--success',
  REFUSED: 'fr-badge--error',
  IMPLICITLY_REJECTED: 'fr-badge--error',
  REFERRED: 'fr-badge--new',
  WITHDRAWN: '',
};

/** An interview of the family's request, with its convocation when it has one (an appointment of this family). */
export interface InterviewOfFamily {
  id: string;
  at: Date;
  mode: string;
  status: 'SCHEDULED' | 'DONE' | 'CANCELLED';
  appointmentId: string | null;
  appointmentStatus: 'BOOKED' | 'CANCELLED' | null;
  place: string | null;
  address: string | null;
}

export interface InterviewCard {
  id: string;
  at: Date;
  when: string;
  zoneNote: string;
  modeLabel: string;
  /** Where: the convocation's place and address, or what the mode says. */
  where: string;
  /** Whether `where` is the establishment's own French words (a place, an address). */
  whereFrench: boolean;
  statusLabel: string;
  /** Prévu and still to come. */
  upcoming: boolean;
  /** The convocation to cancel on « Mes rendez-vous », when it can still be cancelled. */
  cancelUrl: string | null;
  convocation: boolean;
}

/**
 * An interview as the family sees it: when (the establishment's clock), how, where, its status; a
 * scheduled interview whose time has come is "Passé" until the counsellor reports it. Never the
 * counsellor's notes nor assessments.
 */
export function interviewCard(i: InterviewOfFamily, establishmentName: string, timeZone: string, now: Date): InterviewCard {
  const upcoming = i.status === 'SCHEDULED' && i.at.getTime() > now.getTime();
  const statusLabel = tr(
    `familyVisits:interview.status.${i.status === 'DONE' ? 'done' : i.status === 'CANCELLED' ? 'cancelled' : upcoming ? 'upcoming' : 'past'}`,
  );
  // The place and the establishment are the establishment's French words: `whereFrench` says the page marks them so.
  let where: string;
  let whereFrench = true;
  if (i.place) where = i.address ? `${i.place}, ${i.address}` : i.place;
  else if (i.mode === 'IN_PERSON') where = `SPIP, ${establishmentName}`;
  else {
    where = tr(i.mode === 'PHONE' ? 'familyVisits:interview.phone' : 'familyVisits:interview.visio');
    whereFrench = false;
  }
  const cancellable = upcoming && i.appointmentId !== null && i.appointmentStatus === 'BOOKED';
  return {
    id: i.id,
    at: i.at,
    when: whenIn(i.at, timeZone),
    zoneNote: zoneNoteIn(timeZone),
    modeLabel: MODE_LABELS[i.mode] ? tr(`familyVisits:interview.modes.${i.mode}`) : i.mode,
    where,
    whereFrench,
    statusLabel,
    upcoming,
    cancelUrl: cancellable ? `/mes-rendez-vous/${i.appointmentId}/annuler` : null,
    convocation: i.appointmentId !== null,
  };
}

/** The interviews in the order the family reads them: those to come first (soonest first), then the others (latest first). */
export function sortInterviews<T extends { upcoming: boolean; at: Date }>(cards: T[]): T[] {
  return [...cards].sort((a, b) => {
    if (a.upcoming !== b.upcoming) return a.upcoming ? -1 : 1;
    return a.upcoming ? a.at.getTime() - b.at.getTime() : b.at.getTime() - a.at.getTime();
  });
}

/** A family sees the stay of a case only when one of its own requests in the case is granted. */
export function stayVisible(statuses: FamilyVisitRequestStatus[]): boolean {
  return statuses.includes('GRANTED');
}

const dayTime = new Map<string, Intl.DateTimeFormat>();

/** "24 novembre 2026 à 14 h 30" on the establishment's clock (the history's times). */
export function dayTimeLabel(d: Date, timeZone: string): string {
  let f = dayTime.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('fr-FR', { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    dayTime.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year} à ${parts.hour} h ${parts.minute}`;
}
