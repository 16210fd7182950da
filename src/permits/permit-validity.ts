import { randomInt } from 'node:crypto';
import type { PermitStatus, RoomCondition } from './permit.entity';

/**
 * A permit's validity and conditions (R341-1): permanent or limited (end date, number of visits), with
 * conditions of place (a room with a separation device, an accessible room) and time (days, hours).
 * Pure functions: booking, moving, the waiting list, the door check and the pages all ask these.
 */

/** What a family and an agent see: the stored status, or EXPIRED / NOT_YET_VALID when an active permit is out of its limits. */
export type PermitState = PermitStatus | 'EXPIRED' | 'NOT_YET_VALID';

export const PERMIT_STATE_LABELS: Record<PermitState, string> = {
  ACTIVE: 'Valide',
  ON_HOLD: 'En attente de la réponse du magistrat',
  SUSPENDED: 'Suspendu',
  WITHDRAWN: 'Retiré',
  EXPIRED: 'Expiré',
  NOT_YET_VALID: 'Pas encore valide',
};

export interface PermitLimits {
  status: PermitStatus;
  /** AAAA-MM-JJ */
  validFrom: string;
  validTo: string | null;
  maxVisits: number | null;
  /** Visits already booked or made with it (cancelled ones and those missed by the administration aside). */
  visitsUsed: number;
}

/** The permit's state on `day` (AAAA-MM-JJ, the establishment's calendar day). */
export function permitState(p: PermitLimits, day: string): PermitState {
  if (p.status !== 'ACTIVE') return p.status;
  if (day < p.validFrom) return 'NOT_YET_VALID';
  if (p.validTo && day > p.validTo) return 'EXPIRED';
  if (p.maxVisits !== null && p.visitsUsed >= p.maxVisits) return 'EXPIRED';
  return 'ACTIVE';
}

export interface PermitConditions {
  roomCondition: RoomCondition | null;
  /** ISO days, 1 = Monday. */
  allowedDays: number[] | null;
  /** HH:MM or HH:MM:SS */
  allowedFrom: string | null;
  allowedTo: string | null;
  conditionsNote: string | null;
}

export const ROOM_CONDITION_LABELS: Record<RoomCondition, string> = {
  SEPARATION: 'Parloir avec dispositif de séparation',
  ACCESSIBLE: 'Parloir accessible (mobilité réduite)',
};

const DAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const hhmm = (t: string) => t.slice(0, 5).replace(':', ' h ');

/** The conditions in plain French, one line each (empty: none). */
export function conditionsText(c: PermitConditions): string[] {
  const lines: string[] = [];
  if (c.roomCondition) lines.push(ROOM_CONDITION_LABELS[c.roomCondition]);
  if (c.allowedDays?.length)
    lines.push(
      `Jours : ${[...c.allowedDays]
        .sort()
        .map((d) => DAY_NAMES[d - 1])
        .join(', ')}`,
    );
  if (c.allowedFrom && c.allowedTo) lines.push(`Heures : de ${hhmm(c.allowedFrom)} à ${hhmm(c.allowedTo)}`);
  if (c.conditionsNote) lines.push(c.conditionsNote);
  return lines;
}

/** The limits in plain French: « Permanent », « Jusqu’au 31/12/2026 », « 3 visites (1 utilisée) ». */
export function limitsText(p: Pick<PermitLimits, 'validTo' | 'maxVisits' | 'visitsUsed'>): string {
  const parts: string[] = [];
  if (p.validTo) parts.push(`jusqu’au ${p.validTo.split('-').reverse().join('/')}`);
  if (p.maxVisits !== null)
    parts.push(`${p.maxVisits} visite${p.maxVisits > 1 ? 's' : ''} (${p.visitsUsed} utilisée${p.visitsUsed > 1 ? 's' : ''})`);
  return parts.length ? `Limité : ${parts.join(', ')}` : 'Permanent';
}

/** What a permit's page shows of its validity: the state on `day`, the limits and the conditions, in plain French. */
export function termsView(
  p: PermitLimits & PermitConditions,
  day: string,
): { state: PermitState; stateLabel: string; limits: string; conditions: string[] } {
  const state = permitState(p, day);
  return { state, stateLabel: PERMIT_STATE_LABELS[state], limits: limitsText(p), conditions: conditionsText(p) };
}

/** A visit as the conditions see it. */
export interface VisitPlace {
  /** AAAA-MM-JJ and HH:MM, in the establishment's time zone. */
  day: string;
  startTime: string;
  endTime: string;
  /** ISO day of `day`, 1 = Monday. */
  isoDay: number;
  roomKind: 'ORDINARY' | 'SEPARATION' | 'ACCESSIBLE';
}

/** Why the permit does not allow this visit (plain French), or null when it does. `subject` names the permit in the message. */
export function conditionsRefusal(
  c: PermitConditions,
  v: VisitPlace,
  subject = 'Un des permis',
): { code: 'PERMIT_CONDITIONS'; message: string } | null {
  const refuse = (message: string) => ({ code: 'PERMIT_CONDITIONS' as const, message });
  if (c.roomCondition && v.roomKind !== c.roomCondition)
    return refuse(`${subject} impose un parloir particulier : ${ROOM_CONDITION_LABELS[c.roomCondition].toLowerCase()}.`);
  if (c.allowedDays?.length && !c.allowedDays.includes(v.isoDay)) return refuse(`${subject} ne permet pas de visite ce jour-là.`);
  if (c.allowedFrom && c.allowedTo && (v.startTime < c.allowedFrom.slice(0, 5) || v.endTime > c.allowedTo.slice(0, 5)))
    return refuse(`${subject} ne permet de visite que de ${hhmm(c.allowedFrom)} à ${hhmm(c.allowedTo)}.`);
  return null;
}

/** A permit as a booking, a move, the waiting list and the door check it: its limits and its conditions. */
export interface PermitInUse extends PermitLimits, PermitConditions {}

export type PermitRefusalCode =
  'PERMIT_SUSPENDED' | 'PERMIT_ON_HOLD' | 'PERMIT_NOT_YET_VALID' | 'PERMIT_EXPIRED' | 'PERMIT_USED_UP' | 'PERMIT_CONDITIONS';

const frDate = (d: string) => d.split('-').reverse().join('/');

/**
 * Why the permit cannot be used for this visit (plain French), or null when it can: its status
 * (suspended, withdrawn, on hold for the magistrate), its limits on the visit's day (start, end,
 * number of visits: `visitsUsed` counts the others, the visit being checked aside), its conditions.
 */
export function permitRefusal(
  p: PermitInUse,
  v: VisitPlace,
  subject = 'Un des permis',
): { code: PermitRefusalCode; message: string } | null {
  const refuse = (code: PermitRefusalCode, message: string) => ({ code, message });
  if (p.status === 'SUSPENDED') return refuse('PERMIT_SUSPENDED', `${subject} est suspendu.`);
  if (p.status === 'WITHDRAWN') return refuse('PERMIT_SUSPENDED', `${subject} est retiré.`);
  if (p.status === 'ON_HOLD')
    return refuse('PERMIT_ON_HOLD', `${subject} est en attente de la réponse du magistrat : aucune visite n’est possible pour l’instant.`);
  if (v.day < p.validFrom) return refuse('PERMIT_NOT_YET_VALID', `${subject} n’est valable qu’à partir du ${frDate(p.validFrom)}.`);
  if (p.validTo && v.day > p.validTo)
    return refuse('PERMIT_EXPIRED', `${subject} est expiré : il n’était valable que jusqu’au ${frDate(p.validTo)}.`);
  if (p.maxVisits !== null && p.visitsUsed >= p.maxVisits)
    return refuse(
      'PERMIT_USED_UP',
      `${subject} ne permet que ${p.maxVisits} visite${p.maxVisits > 1 ? 's' : ''} : ${p.maxVisits > 1 ? 'elles sont toutes réservées ou faites' : 'elle est déjà réservée ou faite'}.`,
    );
  return conditionsRefusal(p, v, subject);
}

/** Claim codes: 12 characters without look-alikes (no I, O, 0, 1), shown in groups of four. */
const CLAIM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newClaimCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += CLAIM_ALPHABET[randomInt(CLAIM_ALPHABET.length)];
  return code;
}

/** The code as printed: ABCD-EFGH-JKLM. */
export function formatClaimCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}

/** A code as typed (spaces, dashes, lower case aside); null when it cannot be one. */
export function parseClaimCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-HJ-NP-Z2-9]{12}$/.test(code) ? code : null;
}
