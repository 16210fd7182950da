/** A calendar day written JJ/MM/AAAA or AAAA-MM-JJ, as AAAA-MM-JJ; null if it is not a real date. */
export function parseDate(raw: string): string | null {
  let y: number, m: number, d: number;
  let match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(raw);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** A calendar day typed in a form (spaces around allowed), from 1900 on; null otherwise. */
export function parseDay(raw: string): string | null {
  const day = parseDate(raw.trim());
  return day && day >= '1900-01-01' ? day : null;
}
