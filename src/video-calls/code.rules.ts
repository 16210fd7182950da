import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The 6-digit code the contact receives by SMS at the slot's start (service note n° 267-2020: « un code à
 * 6 chiffres … Il disposera de 5 min pour se connecter »; the families' flyer: « dans un délai de moins de
 * 5 minutes »).
 *
 * - drawn by crypto.randomInt (never Math.random), zero-padded: 000000 to 999999 equally likely;
 * - stored only as HMAC-SHA256(code) with a secret from the environment, compared in constant time;
 * - valid for 5 minutes from max(slot's start, when it is issued), capped at the slot's end, the end excluded:
 *   at that instant exactly it has expired (« moins de 5 minutes »);
 * - single use; after 5 wrong attempts it is locked: the 6th attempt is refused even with the right code.
 */

export const CODE_DIGITS = 6;
export const CODE_VALIDITY_MINUTES = 5;
export const MAX_WRONG_ATTEMPTS = 5;

export type CodeCheckResult = 'ACCEPTED' | 'WRONG' | 'EXPIRED' | 'USED' | 'LOCKED';

export interface StoredCode {
  storedHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  failedAttempts: number;
}

/** A new code: six digits from the cryptographic generator, leading zeros kept. */
export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** The code as stored: HMAC-SHA256 with the secret, hex. */
export function hashCode(code: string, secret: string): string {
  if (!secret) throw new Error('The video-call code secret is missing');
  return createHmac('sha256', secret).update(code).digest('hex');
}

/**
 * When a code stops being valid (the first instant it is refused): 5 minutes from when it is issued, and
 * never before the slot's start + 5 min (a code issued at the start, or early, gets its full 5 minutes even
 * if the job runs late: max(start, issuedAt) + 5 min), but never after the slot's end.
 */
export function codeExpiresAt(slotStartsAt: Date, slotEndsAt: Date, issuedAt: Date): Date {
  const from = Math.max(slotStartsAt.getTime(), issuedAt.getTime());
  return new Date(Math.min(from + CODE_VALIDITY_MINUTES * 60_000, slotEndsAt.getTime()));
}

/**
 * Checks a typed code (spaces ignored) against the stored one: USED, then LOCKED (5 wrong attempts already),
 * then EXPIRED, then ACCEPTED or WRONG. The caller records the use on ACCEPTED and one more failed attempt on
 * WRONG, in the same transaction as a lock on the code's row.
 */
export function codeCheck(stored: StoredCode, typed: string, now: Date, secret: string): CodeCheckResult {
  if (stored.usedAt) return 'USED';
  if (stored.failedAttempts >= MAX_WRONG_ATTEMPTS) return 'LOCKED';
  if (now.getTime() >= stored.expiresAt.getTime()) return 'EXPIRED';
  const code = typed.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) return 'WRONG';
  const expected = Buffer.from(stored.storedHash, 'hex');
  const actual = Buffer.from(hashCode(code, secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? 'ACCEPTED' : 'WRONG';
}

/** What the contact is told, in French. */
export const CODE_MESSAGES: Record<CodeCheckResult, string> = {
  ACCEPTED: 'Code accepté : l’appel peut commencer.',
  WRONG: 'Ce code n’est pas le bon. Vérifiez le SMS reçu et saisissez les 6 chiffres.',
  EXPIRED: 'Ce code n’est plus valable : il fallait se connecter dans les 5 minutes suivant l’envoi du SMS.',
  USED: 'Ce code a déjà servi : il n’est valable qu’une fois.',
  LOCKED: 'Trop d’essais erronés : ce code est bloqué.',
};
