import type { Options } from 'express-rate-limit';
import { PostgresRateLimitStore, purgeDue, rowKey, windowEndOf, windowStartOf } from './rate-limit-store';

const MINUTE = 60_000;
const T = Date.parse('2026-11-23T10:15:42.500Z');

describe('the rate limit windows', () => {
  it('aligns fixed windows on the epoch, so every instance puts a request in the same window', () => {
    expect(windowStartOf(T, MINUTE).toISOString()).toBe('2026-11-23T10:15:00.000Z');
    expect(windowEndOf(T, MINUTE).toISOString()).toBe('2026-11-23T10:16:00.000Z');
    expect(windowStartOf(Date.parse('2026-11-23T10:15:59.999Z'), MINUTE)).toEqual(windowStartOf(T, MINUTE));
    expect(windowStartOf(Date.parse('2026-11-23T10:16:00.000Z'), MINUTE).toISOString()).toBe('2026-11-23T10:16:00.000Z');
  });

  it('keys a count by limiter, limit and client', () => {
    expect(rowKey('signin', 30, '203.0.113.7')).toBe('signin:30:203.0.113.7');
    expect(rowKey('signin', 30, '203.0.113.7')).not.toBe(rowKey('ecrou', 30, '203.0.113.7'));
  });

  it('purges past windows at most once per window', () => {
    expect(purgeDue(undefined, T, MINUTE)).toBe(true);
    expect(purgeDue(T, T + MINUTE - 1, MINUTE)).toBe(false);
    expect(purgeDue(T, T + MINUTE, MINUTE)).toBe(true);
  });
});

describe('PostgresRateLimitStore', () => {
  function storeAt(now: () => number, hits = 1) {
    const calls: { sql: string; params: unknown[] }[] = [];
    const db = {
      query(sql: string, params: unknown[] = []) {
        calls.push({ sql: sql.replace(/\s+/g, ' ').trim(), params });
        return Promise.resolve(sql.includes('RETURNING') ? [{ hits }] : []);
      },
    };
    const store = new PostgresRateLimitStore(db, 'signin', now);
    store.init({ windowMs: MINUTE, limit: 3 } as Options);
    return { store, calls };
  }

  it('counts in one atomic statement and answers when the window ends', async () => {
    const { store, calls } = storeAt(() => T, 4);
    expect(await store.increment('203.0.113.7')).toEqual({ totalHits: 4, resetTime: new Date('2026-11-23T10:16:00.000Z') });
    expect(calls[0].sql).toMatch(
      /^INSERT INTO rate_limit_hits .* ON CONFLICT \(key, window_start\) DO UPDATE SET hits = r\.hits \+ 1 RETURNING hits$/,
    );
    expect(calls[0].params).toEqual(['signin:3:203.0.113.7', new Date('2026-11-23T10:15:00.000Z')]);
  });

  it('purges this limiter’s past windows after the first increment, then once per window', async () => {
    let now = T;
    const { store, calls } = storeAt(() => now);
    await store.increment('a');
    await store.increment('a');
    now += MINUTE;
    await store.increment('a');
    const purges = calls.filter((c) => c.sql.startsWith('DELETE'));
    expect(purges.map((p) => p.params)).toEqual([
      ['signin:%', new Date('2026-11-23T10:15:00.000Z')],
      ['signin:%', new Date('2026-11-23T10:16:00.000Z')],
    ]);
  });
});
