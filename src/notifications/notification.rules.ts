import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { durationMs, type Channel, type ReminderOffset } from '../config/reminder-offsets';

/**
 * Pure rules of the notifications module: phone numbers, SMS length, retry back-off, reminder
 * planning. Unit-tested in notification.rules.spec.ts.
 */

/** A French mobile or landline, or any international number, normalised to E.164; null if invalid. */
export function normalizePhone(input: string, defaultCountry: 'FR' = 'FR'): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed && parsed.isValid() ? parsed.number : null;
}

export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 ? email : null;
}

// GSM 03.38 basic character set, and the extension table (each extension character takes two septets).
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

export interface SmsLength {
  encoding: 'GSM-7' | 'UCS-2';
  units: number;
  segments: number;
}

/** How many SMS segments a text takes (GSM-7: 160, then 153 per part; UCS-2: 70, then 67). */
export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM7_BASIC.includes(ch)) septets += 1;
    else if (GSM7_EXTENSION.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = [...text].reduce((n, ch) => n + (ch.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** The most parts an SMS may take in GSM-7 (French, English: 306 characters). */
export const MAX_SMS_SEGMENTS = 2;
/**
 * The most parts in UCS-2 (Arabic, and Spanish or French with a letter outside GSM-7 such as « í »):
 * 3 parts, 201 characters, since a UCS-2 part holds less than half of a GSM-7 one.
 */
export const MAX_UCS2_SMS_SEGMENTS = 3;

export function maxSmsSegments(encoding: SmsLength['encoding']): number {
  return encoding === 'GSM-7' ? MAX_SMS_SEGMENTS : MAX_UCS2_SMS_SEGMENTS;
}

/** Delay before retry number `attempt` (1 = first retry): 30 s, 1 min, 2 min… capped at 1 h. */
export function retryDelayMs(attempt: number, baseMs = 30_000, capMs = 3_600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export interface PlannedReminder {
  channel: Channel;
  sendAt: Date;
  offset: string;
}

/**
 * When to remind of an appointment: each offset before its start, for the channels the person can
 * receive. A reminder whose time has already passed is not planned (the confirmation covers it).
 */
export function planReminders(
  startsAt: Date,
  now: Date,
  offsets: ReminderOffset[],
  reachable: { email: boolean; sms: boolean },
): PlannedReminder[] {
  if (startsAt.getTime() <= now.getTime()) return [];
  return offsets
    .filter((o) => (o.channel === 'EMAIL' ? reachable.email : reachable.sms))
    .map((o) => ({ channel: o.channel, offset: o.before, sendAt: new Date(startsAt.getTime() - durationMs(o.before)) }))
    .filter((r) => r.sendAt.getTime() > now.getTime())
    .sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime());
}
