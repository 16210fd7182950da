/**
 * Whether a visitor is the person a no-contact order names. Unlike normalizeName (Latin letters
 * only), this keeps every script: case, accents and marks, hyphens, apostrophes and spaces aside,
 * and the Latin letters that do not decompose (Ł, Ø, ß, Đ, ı, Æ, Œ) folded to their base.
 */
const FOLD: Record<string, string> = { ł: 'l', ø: 'o', ß: 'ss', đ: 'd', ð: 'd', ı: 'i', æ: 'ae', œ: 'oe', þ: 'th', ħ: 'h' };

export function foldName(value: string): string {
  return value
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/[łøßđðıæœþħ]/g, (c) => FOLD[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface Person {
  givenName: string;
  familyName: string;
  /** AAAA-MM-JJ, or null when unknown. */
  birthdate: string | null;
}

/** Same names (folded, every script); same birth date when both are known. */
export function samePerson(a: Person, b: Person): boolean {
  const given = foldName(a.givenName);
  const family = foldName(a.familyName);
  if (!given || !family || given !== foldName(b.givenName) || family !== foldName(b.familyName)) return false;
  return !a.birthdate || !b.birthdate || a.birthdate === b.birthdate;
}
