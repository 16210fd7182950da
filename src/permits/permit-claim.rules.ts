/**
 * Who may claim a recorded permit from « Mes permis »: the person it names, as FranceConnect
 * identifies them (names and birth date). Pure functions.
 */

/** Latin letters that carry their accent in the letter itself (no combining mark after NFD). */
const LATIN_FOLDS: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Þ: 'TH',
  þ: 'th',
};

/**
 * A name reduced for comparison, in any script: Unicode-normalised, case-folded, Latin accents
 * removed (« Łukasiewicz » = « LUKASIEWICZ », « Nguyễn » = « nguyen »), every run of characters that
 * is not a letter or a digit (spaces, hyphens, apostrophes) one space. Letters of other scripts
 * (Arabic, Cyrillic, Greek…) are kept as they are, never dropped: « محمد » stays « محمد ».
 */
export function claimName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .replace(/[ŁłØøĐđÐðĦħıßÆæŒœÞþ]/g, (c) => LATIN_FOLDS[c] ?? c)
    .normalize('NFC')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ')
    .trim();
}

/** The same name, once reduced (an empty name never matches). */
export function sameName(a: string, b: string): boolean {
  const x = claimName(a);
  return x !== '' && x === claimName(b);
}

export interface PersonIdentity {
  givenName: string;
  familyName: string;
  /** AAAA-MM-JJ; null when FranceConnect did not give it (never matches). */
  birthdate: string | null;
}

/**
 * Whether the FranceConnect identity of the account is the permit's visitor: same family name, same
 * birth date, and the permit's given name is the account's given names or the first of them
 * (FranceConnect gives every given name, a paper permit often only the first).
 */
export function identityMatches(visitor: PersonIdentity, account: PersonIdentity): boolean {
  if (!visitor.birthdate || !account.birthdate || visitor.birthdate !== account.birthdate) return false;
  if (!sameName(visitor.familyName, account.familyName)) return false;
  const given = claimName(account.givenName);
  const first = given.split(' ')[0];
  const typed = claimName(visitor.givenName);
  return typed !== '' && (typed === given || typed === first);
}

/** At most this many wrong codes or identities per account in 24 hours. */
export const MAX_CLAIM_FAILURES_PER_DAY = 5;
