import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { VideoCallAccessStatus } from './video-call-access.entity';

/**
 * The rules of a detainee's video-call record (note de service n° 267-2020): contacts' numbers,
 * credits in euros, access decisions and their grounds, sanctions on numbers. Pure functions.
 */

/** A phone number typed by an agent, in E.164 (« 06 12 34 56 78 » is « +33612345678 »); null when it is not a valid number. */
export function phoneE164(text: string): string | null {
  const n = parsePhoneNumberFromString(text.trim(), 'FR');
  return n?.isValid() ? n.number : null;
}

/** A number stored in E.164 as people read it: « 06 12 34 56 78 » for a French one, « +48 512 345 678 » for a foreign one. */
export function phoneDisplay(e164: string): string {
  const n = parsePhoneNumberFromString(e164);
  if (!n) return e164;
  return n.country === 'FR' ? n.formatNational() : n.formatInternational();
}

/**
 * The digits to look for in the stored numbers (E.164 without its +) for a search typed by an agent:
 * a whole valid number is found as such (« 06 12 34 56 78 » is « 33612345678 »), a part by its
 * digits, the French trunk 0 dropped (« 06 12 » finds « +33612… »); '' for no search; null when the
 * search has no digit at all (nothing matches).
 */
export function phoneSearchDigits(text: string): string | null {
  const t = text.trim();
  if (t === '') return '';
  const whole = phoneE164(t);
  if (whole) return whole.slice(1);
  const digits = t.replace(/\D/g, '');
  if (digits === '') return null;
  return digits.length > 1 && /^0[1-9]/.test(digits) && !t.startsWith('+') ? digits.slice(1) : digits;
}

/** Euro cents of a credit typed « 25 », « 25,50 » or « 25.5 »: more than 0 and at most 1 000 €; null otherwise. */
export function creditCents(text: string): number | null {
  const m = /^(\d{1,4})(?:[,.](\d{1,2}))?$/.exec(text.trim().replace(/\s|€/g, ''));
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents > 0 && cents <= 100_000 ? cents : null;
}

/** The money of a phone account: what may be spent is the balance less what is blocked for booked calls. */
export function availableCents(account: { balanceCents: number; blockedCents: number }): number {
  return account.balanceCents - account.blockedCents;
}

/** The grounds the note allows for refusing, suspending or withdrawing access. */
export const ACCESS_GROUNDS = {
  GOOD_ORDER: 'Maintien du bon ordre',
  SECURITY: 'Sécurité',
  CRIME_PREVENTION: 'Prévention des infractions',
  CHARTER: 'Non-respect de la charte d’utilisation',
} as const;
export type AccessGround = keyof typeof ACCESS_GROUNDS;

export type AccessDecision = 'REFUSE' | 'SUSPEND' | 'WITHDRAW' | 'RESTORE';

export const DECISION_STATUS: Record<AccessDecision, VideoCallAccessStatus> = {
  REFUSE: 'REFUSED',
  SUSPEND: 'SUSPENDED',
  WITHDRAW: 'WITHDRAWN',
  RESTORE: 'ACTIVE',
};

/** The access in force: none decided is active; a suspension past its end is over (active again). */
export function accessInForce(
  latest: { status: VideoCallAccessStatus; suspendedUntil: Date | null } | null,
  now: Date,
): VideoCallAccessStatus {
  if (!latest) return 'ACTIVE';
  if (latest.status === 'SUSPENDED' && latest.suspendedUntil && latest.suspendedUntil <= now) return 'ACTIVE';
  return latest.status;
}

/**
 * Why a decision may not be taken now (null: it may). Restoring is for an access that is not active;
 * refusing, suspending and withdrawing need a ground, and a suspension an end day after today.
 */
export function decisionProblem(
  decision: AccessDecision,
  current: VideoCallAccessStatus,
  o: { ground: AccessGround | null; untilDay: string | null; today: string },
): { field: string; message: string } | null {
  if (decision === 'RESTORE') {
    return current === 'ACTIVE' ? { field: 'decision', message: 'L’accès est déjà ouvert : il n’y a rien à rétablir.' } : null;
  }
  if (!o.ground) return { field: 'ground', message: 'Choisissez le motif de la décision' };
  if (decision === 'SUSPEND' && (!o.untilDay || o.untilDay < o.today))
    return { field: 'until', message: 'La suspension court jusqu’à un jour à venir : indiquez la date de fin (aujourd’hui ou plus tard)' };
  return null;
}

/** The end (exclusive) of a local day, inclusive for people: « until 30 November » ends at 1 December 00:00 on the establishment's clock. */
export function endOfLocalDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return fromZonedTime(`${next.toISOString().slice(0, 10)}T00:00:00`, timeZone);
}

/** A sanction is in force while its end (if any) is still to come and it has not been lifted. */
export function sanctionInForce(s: { until: Date | null; liftedAt: Date | null }, now: Date): boolean {
  return (s.until === null || s.until > now) && (s.liftedAt === null || s.liftedAt > now);
}

/** Why a sanction may not be lifted now (null: it may): only a sanction in force is lifted, once. */
export function liftProblem(s: { until: Date | null; liftedAt: Date | null }, now: Date): string | null {
  if (s.liftedAt !== null) return 'Cette sanction est déjà levée : il n’y a rien à lever.';
  if (!sanctionInForce(s, now)) return 'Cette sanction a pris fin : il n’y a rien à lever.';
  return null;
}

/** The motivation stored for a decision: the ground's label, then the agent's words. */
export function motivationText(ground: AccessGround | null, details: string): string {
  const label = ground ? ACCESS_GROUNDS[ground] : '';
  return [label, details.trim()].filter((x) => x !== '').join(' — ');
}

/** The last day (YYYY-MM-DD, local) of a period ending (exclusive) at `until`: the day shown « jusqu’au … inclus ». */
export function lastDay(until: Date, timeZone: string): string {
  return formatInTimeZone(new Date(until.getTime() - 1), timeZone, 'yyyy-MM-dd');
}
