import { csvBody, csvField } from './csv';
import { addMonths, monthsBetween } from './months';

describe('CSV fields', () => {
  it('quotes separators and quotes', () => {
    expect([csvField('a;b'), csvField('dit "oui"'), csvField(12), csvField(-3)]).toEqual(['"a;b"', '"dit ""oui"""', '12', '-3']);
  });

  it('keeps a spreadsheet from running a text as a formula', () => {
    expect([csvField('=HYPERLINK("x")'), csvField('+33612'), csvField('-1'), csvField('@SUM(A1)'), csvField('Łódź')]).toEqual([
      '"\'=HYPERLINK(""x"")"',
      "'+33612",
      "'-1",
      "'@SUM(A1)",
      'Łódź',
    ]);
  });

  it('writes a UTF-8 file Excel reads: byte-order mark, CRLF', () => {
    expect(
      csvBody([
        ['a', 1],
        ['b', 2],
      ]),
    ).toBe('\uFEFFa;1\r\nb;2\r\n');
  });
});

describe('months', () => {
  it('counts months across years', () => {
    expect(monthsBetween('2025-11-30', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect([addMonths('2026-01', -1), addMonths('2026-11', 2), addMonths('2026-03', -35)]).toEqual(['2025-12', '2027-01', '2023-04']);
  });
});
