import { chargedCents, releasedCents } from './cost.rules';
import { NOTE_2020_DEFAULTS } from './video-call-settings';

/**
 * Recording a call after it took place: its real duration typed as minutes:seconds, charged at the prices
 * kept on the booking (the settings may have changed since), capped at what was blocked.
 */

/** « 12:34 » → 754 seconds; null unless minutes:seconds with 0–59 seconds, at most 240 minutes, more than 0. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,3}):([0-5]\d)$/.exec(text.trim());
  if (!m) return null;
  const seconds = Number(m[1]) * 60 + Number(m[2]);
  return seconds > 0 && seconds <= 240 * 60 ? seconds : null;
}

/** 754 → « 12:34 ». */
export function durationLabel(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export interface BookedPrices {
  planCode: string;
  centsPerMinute: number;
  connectionCents: number;
  blockedCents: number;
}

/** What a held call of `seconds` costs at the booking's prices (cost.rules `chargedCents`), and what is released. */
export function bookingCharge(b: BookedPrices, seconds: number): { chargedCents: number; releasedCents: number } {
  const plan = { code: b.planCode, centsPerMinute: b.centsPerMinute, connectionCents: b.connectionCents };
  // The minutes blocked at booking (maxMinutes, or the longer duration allowed) are read back from the amount.
  const minutes = b.centsPerMinute > 0 ? (b.blockedCents - b.connectionCents) / b.centsPerMinute : 1;
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`Blocked amount ${b.blockedCents} does not match the booking's prices`);
  const charged = chargedCents({ ...NOTE_2020_DEFAULTS, plans: [plan] }, plan.code, seconds, minutes);
  return { chargedCents: charged, releasedCents: releasedCents(b.blockedCents, charged) };
}
