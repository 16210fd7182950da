import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Regions dialled with a leading 0 from anywhere in France (metropolitan France and the overseas departments). */
const DIALLED_NATIONALLY = new Set(['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF']);

/** A phone number as typed (French by default), in E.164 when libphonenumber-js finds it valid; null otherwise. */
export function phoneToE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), 'FR');
  return parsed && parsed.isValid() ? parsed.number : null;
}

/**
 * A stored E.164 number as a French reader dials it: "03 20 00 00 00", "0262 12 34 56" overseas,
 * "+32 2 123 45 67" abroad. An unparsable value is shown as stored.
 */
export function phoneForDisplay(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country && DIALLED_NATIONALLY.has(parsed.country) ? parsed.formatNational() : parsed.formatInternational();
}
