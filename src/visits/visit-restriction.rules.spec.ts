import { DETAINEE_UNAVAILABLE_REASON, periodRefusal, restrictionRefusal, visitsToCancel } from './visit-restriction.rules';

const TZ = 'Europe/Paris';
const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-23T08:00:00Z'); // Monday 23 November 2026, 09:00 in Paris

describe('periods when a detainee cannot receive visits (R341-3)', () => {
  it('refuses a period starting in the past, ending before it starts, or longer than 60 days', () => {
    expect(periodRefusal('2026-11-22', '2026-11-24', '2026-11-23')?.field).toBe('from');
    expect(periodRefusal('2026-11-24', '2026-11-23', '2026-11-23')?.field).toBe('to');
    expect(periodRefusal('2026-11-23', '2027-01-21', '2026-11-23')).toBeNull();
    expect(periodRefusal('2026-11-23', '2027-01-22', '2026-11-23')?.message).toContain('60 jours');
  });

  it('a prevented detainee loses every visit booked in the period and still to come', () => {
    const visits = [
      { id: 'earlier-today', startsAt: at('2026-11-23T07:00:00Z'), status: 'BOOKED' as const },
      { id: 'today', startsAt: at('2026-11-23T13:00:00Z'), status: 'BOOKED' as const },
      { id: 'held', startsAt: at('2026-11-23T08:30:00Z'), status: 'IN_PROGRESS' as const },
      { id: 'tomorrow', startsAt: at('2026-11-24T13:00:00Z'), status: 'BOOKED' as const },
      { id: 'after', startsAt: at('2026-11-25T13:00:00Z'), status: 'BOOKED' as const },
    ];
    const period = { from: at('2026-11-22T23:00:00Z'), to: at('2026-11-24T23:00:00Z') };
    expect(visitsToCancel('PREVENTED', visits, period, NOW, TZ)).toEqual(['today', 'tomorrow']);
  });

  it('in the disciplinary cell the first visit of each week is kept, counting one held earlier that week', () => {
    const visits = [
      { id: 'held-monday', startsAt: at('2026-11-23T07:30:00Z'), status: 'DONE' as const },
      { id: 'missed', startsAt: at('2026-11-23T06:00:00Z'), status: 'NO_SHOW' as const },
      { id: 'wednesday', startsAt: at('2026-11-25T13:00:00Z'), status: 'BOOKED' as const },
      { id: 'next-tuesday', startsAt: at('2026-12-01T13:00:00Z'), status: 'BOOKED' as const },
      { id: 'next-friday', startsAt: at('2026-12-04T13:00:00Z'), status: 'BOOKED' as const },
    ];
    const period = { from: at('2026-11-23T23:00:00Z'), to: at('2026-12-10T23:00:00Z') };
    expect(visitsToCancel('DISCIPLINARY', visits, period, NOW, TZ)).toEqual(['wednesday', 'next-friday']);
  });

  it('refuses a booking in a prevented period, or in the disciplinary cell once the week is used, telling families only the neutral reason', () => {
    const prevented = [{ kind: 'PREVENTED' as const, from: at('2026-11-24T23:00:00Z'), to: at('2026-11-25T23:00:00Z') }];
    expect(restrictionRefusal(prevented, at('2026-11-25T13:00:00Z'), [], false)).toEqual({
      code: 'DETAINEE_PREVENTED',
      message: `${DETAINEE_UNAVAILABLE_REASON} Choisissez un autre jour.`,
    });
    expect(restrictionRefusal(prevented, at('2026-11-26T13:00:00Z'), [], false)).toBeNull();
    const cell = [{ kind: 'DISCIPLINARY' as const, from: at('2026-11-22T23:00:00Z'), to: at('2026-12-06T23:00:00Z') }];
    expect(restrictionRefusal(cell, at('2026-11-25T13:00:00Z'), ['NO_SHOW'], false)).toBeNull();
    expect(restrictionRefusal(cell, at('2026-11-25T13:00:00Z'), ['DONE'], false)).toEqual({
      code: 'DISCIPLINARY_WEEK_USED',
      message: `${DETAINEE_UNAVAILABLE_REASON} Choisissez un autre jour.`,
    });
    expect(restrictionRefusal(cell, at('2026-11-25T13:00:00Z'), ['BOOKED'], true)?.message).toContain('cellule disciplinaire');
  });
});
