/**
 * A CSV field (semicolon-separated, as French spreadsheets open it). Text that a spreadsheet would run
 * as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with a quote
 * (OWASP « CSV injection »); numbers are written as they are.
 */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file's body: a byte-order mark (Excel reads UTF-8 then), lines ended by CRLF. */
export function csvBody(lines: (string | number)[][]): string {
  return `\uFEFF${lines.map((l) => l.map(csvField).join(';')).join('\r\n')}\r\n`;
}
