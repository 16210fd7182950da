import { bookingCharge, durationLabel, parseDuration } from './held.rules';

describe('recording a video call held', () => {
  it('reads the duration as minutes:seconds, refusing anything else or nothing', () => {
    expect(parseDuration('12:34')).toBe(754);
    expect(parseDuration(' 0:05 ')).toBe(5);
    expect(parseDuration('30:00')).toBe(1800);
    for (const bad of ['', '12', '12:60', '12:5', '-1:00', '0:00', '1:2:3', 'douze', '241:00']) expect(parseDuration(bad)).toBeNull();
    expect(durationLabel(754)).toBe('12:34');
    expect(durationLabel(5)).toBe('0:05');
  });

  it('charges every minute begun at the booking’s prices, capped at what was blocked, and releases the rest', () => {
    const none = { planCode: 'NONE', centsPerMinute: 30, connectionCents: 14, blockedCents: 914 };
    expect(bookingCharge(none, 754)).toEqual({ chargedCents: 13 * 30 + 14, releasedCents: 914 - 404 });
    expect(bookingCharge(none, 60)).toEqual({ chargedCents: 44, releasedCents: 870 });
    expect(bookingCharge(none, 31 * 60)).toEqual({ chargedCents: 914, releasedCents: 0 });
    const plan = { planCode: '20', centsPerMinute: 26, connectionCents: 0, blockedCents: 26 * 45 };
    expect(bookingCharge(plan, 40 * 60 + 1)).toEqual({ chargedCents: 41 * 26, releasedCents: 4 * 26 });
    expect(() => bookingCharge({ ...none, blockedCents: 915 }, 60)).toThrow(/does not match/);
  });
});
