import { chargedMinutes, csvField, monthLabel, monthlyFigures, monthsBetween, parsePeriod } from './statistics.rules';

describe('video-call statistics rules', () => {
  it('takes the current month to today by default and refuses an invalid or reversed period', () => {
    expect(parsePeriod(undefined, '', '2026-11-23')).toEqual({ ok: true, from: '2026-11-01', to: '2026-11-23' });
    expect(parsePeriod('01/10/2026', '2026-10-31', '2026-11-23')).toEqual({ ok: true, from: '2026-10-01', to: '2026-10-31' });
    expect(parsePeriod('2026-02-30', '', '2026-11-23')).toMatchObject({ ok: false, field: 'du' });
    expect(parsePeriod('2026-11-02', '2026-11-01', '2026-11-23')).toMatchObject({ ok: false, field: 'au' });
    expect(parsePeriod('2020-01-01', '2026-11-01', '2026-11-23')).toMatchObject({ ok: false, field: 'au' });
  });

  it('lists the months of a period across a year end', () => {
    expect(monthsBetween('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthLabel('2027-01')).toBe('janvier 2027');
  });

  it('rounds a held call’s duration up to the minute', () => {
    expect([0, 1, 60, 61, 1799].map(chargedMinutes)).toEqual([0, 1, 1, 2, 30]);
  });

  it('fills the months without calls with zeros and sums the totals', () => {
    const oct = {
      month: '2026-10',
      booked: 3,
      held: 2,
      cancelled: 1,
      noShow: 0,
      minutes: 43,
      chargedCents: 1318,
      detaineesWithCall: 2,
      detaineesAtQuota: 2,
    };
    const r = monthlyFigures(['2026-09', '2026-10'], [oct], { detaineesWithCall: 2, detaineesAtQuota: 1 });
    expect(r.months[0]).toMatchObject({ month: '2026-09', booked: 0, chargedCents: 0 });
    expect(r.total).toMatchObject({ booked: 3, minutes: 43, chargedCents: 1318, detaineesWithCall: 2, detaineesAtQuota: 1 });
  });

  it('quotes a CSV field holding a semicolon or a quote', () => {
    expect([csvField('a;b'), csvField('dit "oui"'), csvField(12)]).toEqual(['"a;b"', '"dit ""oui"""', '12']);
  });
});
