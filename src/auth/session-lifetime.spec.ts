import { sessionOutlived } from './session-lifetime';

describe('sessionOutlived', () => {
  const signedIn = Date.parse('2026-03-02T08:00:00Z');

  it('keeps a session until its absolute lifetime, whatever the activity', () => {
    expect(sessionOutlived(signedIn, signedIn + 11 * 3_600_000 + 59 * 60_000, 12)).toBe(false);
    expect(sessionOutlived(signedIn, signedIn + 12 * 3_600_000, 12)).toBe(true);
    expect(sessionOutlived(signedIn, signedIn + 30 * 3_600_000, 12)).toBe(true);
  });

  it('ends a signed-in session that does not know when it began', () => {
    expect(sessionOutlived(undefined, signedIn, 12)).toBe(true);
    expect(sessionOutlived(Number.NaN, signedIn, 12)).toBe(true);
  });
});
