/** Calendar months written AAAA-MM. Pure functions. */

/** The months (AAAA-MM) from the month of `from` to the month of `to` (days or months), in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > end) break;
    months.push(month);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}

/** The month `n` months after AAAA-MM (before when negative). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

// One formatter for the process: building an Intl.DateTimeFormat costs some 100 µs, formatting with it 1.
const MONTH_FR = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'long', year: 'numeric' });

/** « novembre 2026 » for AAAA-MM. */
export function monthLabel(month: string): string {
  return MONTH_FR.format(new Date(`${month}-15T12:00:00Z`));
}
