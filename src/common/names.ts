/** A name reduced for comparison: accents, case, hyphens and spaces aside ("Lefèvre-Durand" = "LEFEVRE DURAND"). */
export function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]+/g, ' ')
    .trim()
    .toUpperCase();
}
