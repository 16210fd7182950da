import { TouchThrottle } from './session-touch';

describe('TouchThrottle', () => {
  it('writes a session’s touch at most once per interval, each session on its own', () => {
    const t = new TouchThrottle(60_000);
    expect(t.due('a', 0)).toBe(true);
    expect(t.due('a', 59_999)).toBe(false);
    expect(t.due('b', 30_000)).toBe(true);
    expect(t.due('a', 60_000)).toBe(true);
    expect(t.due('a', 61_000)).toBe(false);
  });

  it('writes again after forget, and keeps at most maxEntries sessions in memory (the oldest forgotten)', () => {
    const t = new TouchThrottle(60_000, 2);
    t.due('a', 0);
    t.forget('a');
    expect(t.due('a', 1)).toBe(true);
    t.due('b', 2);
    t.due('c', 3);
    expect(t.due('a', 4)).toBe(true); // forgotten: the oldest of three
    expect(t.due('c', 5)).toBe(false);
  });
});
