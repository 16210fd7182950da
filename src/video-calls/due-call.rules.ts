import { type AccessDecision, accessProblem, type Contact, contactProblem } from './booking.rules';

/**
 * Pure rules of a booked call once its slot has started: where it stands on the officer's day list (code
 * sent or not, outcome to record), whether the officer may still send its code, and why the code must not
 * be sent at all (the call is then cancelled instead).
 *
 * Decisions:
 * - a call is « à clôturer » when it is still BOOKED once its slot has ended (end excluded from the slot: at
 *   the end instant exactly it is to close): its outcome (held with its duration, or not honoured) was never
 *   recorded, so the cost of the longest call stays blocked on the detainee's phone account;
 * - « code non envoyé »: BOOKED, slot started, no code issued (the job was down or failed); the officer may
 *   send it only while the slot has not ended — a code is valid until the slot's end at the latest, so after
 *   it the code would serve nothing;
 * - the code is never sent, and the call is cancelled, when at the instant of sending: the contact is no
 *   longer authorised (deactivated, or a minor without the recorded consent), its number is under a sanction
 *   of the establishment in force (no end, or an end after that instant), or the detainee's latest access
 *   decision is not active (refused, withdrawn, or suspended until after that instant). The same rules as at
 *   booking (contactProblem, accessProblem), checked again at that instant.
 */

export interface StartedCall {
  status: string;
  startsAt: Date;
  endsAt: Date;
  codeSent: boolean;
}

export interface CallProgress {
  started: boolean;
  ended: boolean;
  /** Booked, slot ended, outcome not recorded. */
  toClose: boolean;
  /** Booked, slot started, no code issued. */
  codeMissing: boolean;
  /** Code missing and the slot not ended: the officer may still send it. */
  codeStillUseful: boolean;
}

export function callProgress(c: StartedCall, now: Date): CallProgress {
  const started = now.getTime() >= c.startsAt.getTime();
  const ended = now.getTime() >= c.endsAt.getTime();
  const booked = c.status === 'BOOKED';
  const codeMissing = booked && started && !c.codeSent;
  return { started, ended, toClose: booked && ended, codeMissing, codeStillUseful: codeMissing && !ended };
}

export interface SendNowProblem {
  code: 'NOT_BOOKED' | 'NOT_STARTED' | 'ENDED';
  message: string;
}

/**
 * Why the officer may not send the call's code now, or null (a code already sent is not a problem: sending
 * again sends nothing).
 */
export function sendNowProblem(c: StartedCall, now: Date): SendNowProblem | null {
  if (c.status !== 'BOOKED')
    return { code: 'NOT_BOOKED', message: 'Cet appel n’est plus réservé : il a été annulé, ou son bilan est enregistré.' };
  const p = callProgress(c, now);
  if (!p.started) return { code: 'NOT_STARTED', message: 'Le créneau n’a pas commencé : le code est envoyé automatiquement à son début.' };
  if (p.ended) return { code: 'ENDED', message: 'Le créneau est terminé : un code ne servirait plus. Enregistrez le bilan de l’appel.' };
  return null;
}

const STOP_LABELS: Record<string, string> = {
  CONTACT_INACTIVE: 'Contact retiré de la liste des contacts autorisés',
  CONTACT_NO_CONSENT: 'Contact mineur sans consentement enregistré des titulaires de l’autorité parentale',
  SANCTIONED_NUMBER: 'Numéro du contact sous sanction',
  ACCESS_REFUSED: 'Accès à la visiophonie refusé à la personne détenue',
  ACCESS_WITHDRAWN: 'Accès à la visiophonie retiré à la personne détenue',
  ACCESS_SUSPENDED: 'Accès à la visiophonie de la personne détenue suspendu',
};

/**
 * Why the call's code must not be sent at `now` (the contact first, then the detainee's access): the rule's
 * code and the reason written on the call, cancelled instead; null when the code may be sent.
 */
export function codeStop(
  contact: Contact,
  access: AccessDecision | null,
  now: Date,
  timeZone: string,
): { code: string; reason: string } | null {
  const problem = contactProblem(contact, now) ?? accessProblem(access, now, timeZone);
  if (!problem) return null;
  const label = STOP_LABELS[problem.code] ?? problem.message.replace(/\.$/, '');
  return { code: problem.code, reason: `${label} (constaté à l’envoi du code, qui n’est pas parti)` };
}
