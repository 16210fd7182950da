/** A name reduced for comparison: accents, case, hyphens and spaces aside ("Lefèvre-Durand" = "LEFEVRE DURAND"). */
export function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]+/g, ' ')
    .trim()
    .toUpperCase();
}

/** Letters that carry a stroke or are ligatures: no decomposition takes them back to a base letter. */
const FOLDED: Record<string, string> = { ł: 'l', đ: 'd', ð: 'd', ø: 'o', ħ: 'h', ı: 'i', ŧ: 't', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };

/**
 * A name reduced for comparison in any script: case, accents and other marks (Vietnamese tones, Arabic
 * short vowels and hamza carriers, Polish ł), hyphens, punctuation and word order aside
 * ("NGUYỄN Thị Ánh" = "nguyen thi anh"; "Łukasz Nowak" = "NOWAK Lukasz"; "أحمد" = "احمد").
 * Letters of other scripts are kept as they are, unlike `normalizeName` (Latin letters only).
 */
export function comparableName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[łđðøħıŧßæœþ]/g, (c) => FOLDED[c])
    .replace(/\u0640/g, '') // Arabic tatweel (a stretch, not a letter)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .sort()
    .join(' ');
}

/** The same person's name, as `comparableName` compares them; an empty name matches nothing. */
export function sameName(a: string, b: string): boolean {
  const x = comparableName(a);
  return x.length > 0 && x === comparableName(b);
}
