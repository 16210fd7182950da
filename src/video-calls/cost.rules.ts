import type { VideoCallPlan, VideoCallSettings } from './video-call-settings';

/**
 * Pure cost rules of video calls, in integer euro cents (service note n° 267-2020: « sur le principe d'un
 * appel téléphonique au même tarif de communication. Un blocage sur le compte téléphonique sera nécessaire »).
 *
 * - At booking, the longest call is blocked on the detainee's phone account: minutes × centsPerMinute +
 *   connectionCents of their plan, where minutes = `maxMinutes`, or the longer duration the head of
 *   establishment allowed for this call (charter: « Une durée supérieure peut être autorisée dans des
 *   conditions définies localement par le chef d'établissement »): the caller passes it, and it is blocked in full.
 * - After the call, the real duration is charged, rounded up to the whole minute, plus the connection fee if
 *   the call took place (0 seconds = no call, nothing charged); never more than what was blocked: a call
 *   running past the minutes blocked costs the detainee nothing more (the device should end it; P2V does not
 *   charge what it did not block). The rest of the blocked amount is released; a cancellation releases all.
 */

export function planOf(settings: VideoCallSettings, planCode: string): VideoCallPlan {
  const plan = settings.plans.find((p) => p.code === planCode);
  if (!plan) throw new Error(`Unknown video-call plan: ${planCode}`);
  return plan;
}

function checkMinutes(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`A call's minutes must be a positive integer: ${minutes}`);
}

/** What is blocked at booking: the longest call (maxMinutes, or the head's longer duration) at the plan's price, connection included. */
export function blockedCents(settings: VideoCallSettings, planCode: string, minutes: number = settings.maxMinutes): number {
  checkMinutes(minutes);
  const plan = planOf(settings, planCode);
  return minutes * plan.centsPerMinute + plan.connectionCents;
}

/** Minutes charged for a call of that many seconds: every minute begun is due. */
export function billedMinutes(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`A call's duration must be whole seconds, not negative: ${seconds}`);
  return Math.ceil(seconds / 60);
}

/**
 * What a call of `seconds` costs once held: the minutes begun at the plan's price, plus the connection fee if
 * it took place, capped at what was blocked for `minutes` (maxMinutes unless the head allowed longer).
 */
export function chargedCents(
  settings: VideoCallSettings,
  planCode: string,
  seconds: number,
  minutes: number = settings.maxMinutes,
): number {
  const billed = billedMinutes(seconds);
  if (billed === 0) return 0;
  const plan = planOf(settings, planCode);
  return Math.min(billed * plan.centsPerMinute + plan.connectionCents, blockedCents(settings, planCode, minutes));
}

/** What goes back to the account after the call: the blocked amount less what is charged. */
export function releasedCents(blocked: number, charged: number): number {
  if (charged > blocked) throw new Error(`Charged ${charged} is more than blocked ${blocked}`);
  return blocked - charged;
}

const euroFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** "9,14 €" (French format, non-breaking spaces as Intl writes them). */
export function euros(cents: number): string {
  if (!Number.isInteger(cents)) throw new Error(`Money is in whole cents: ${cents}`);
  return euroFormat.format(cents / 100);
}

export interface CreditProblem {
  code: 'NO_CREDIT';
  message: string;
}

/** Whether the phone account can take the blocking; the French reason if not. */
export function creditProblem(balanceCents: number, blocked: number): CreditProblem | null {
  if (balanceCents >= blocked) return null;
  return { code: 'NO_CREDIT', message: `Crédit insuffisant : ${euros(blocked)} nécessaires, ${euros(balanceCents)} sur le compte.` };
}
