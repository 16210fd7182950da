import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { zonedCacheSize, zonedFormat, zonedInstant } from './zoned-time';

describe('zoned time, remembered', () => {
  const cases: [string, string][] = [
    ['2026-03-29 01:30', 'Europe/Paris'], // before the spring change
    ['2026-03-29 03:30', 'Europe/Paris'], // after it
    ['2026-10-25 02:30', 'Europe/Paris'], // the hour that happens twice in autumn
    ['2026-12-05 10:00', 'Europe/Paris'],
    ['2026-12-05 10:00', 'America/Cayenne'],
    ['2026-12-05 10:00', 'Indian/Reunion'],
  ];

  it.each(cases)('gives the same instant as date-fns-tz for %s in %s, the first time and the next', (local, zone) => {
    const expected = fromZonedTime(local, zone).getTime();
    expect(zonedInstant(local, zone).getTime()).toBe(expected);
    expect(zonedInstant(local, zone).getTime()).toBe(expected);
  });

  it('writes an instant as date-fns-tz does, on each zone clock', () => {
    for (const [local, zone] of cases) {
      const instant = fromZonedTime(local, zone);
      for (const pattern of ['yyyy-MM-dd', 'HH:mm', 'i']) {
        expect(zonedFormat(instant, zone, pattern)).toBe(formatInTimeZone(instant, zone, pattern));
        expect(zonedFormat(instant, zone, pattern)).toBe(formatInTimeZone(instant, zone, pattern));
      }
    }
  });

  it('returns a new Date each time: a caller changing it changes nothing kept', () => {
    const first = zonedInstant('2026-12-05 10:00', 'Europe/Paris');
    first.setTime(0);
    expect(zonedInstant('2026-12-05 10:00', 'Europe/Paris').getTime()).toBe(fromZonedTime('2026-12-05 10:00', 'Europe/Paris').getTime());
  });

  it('keeps a bounded number of answers', () => {
    for (let i = 0; i < 120_000; i++) zonedFormat(new Date(i * 60_000), 'Europe/Paris', 'HH:mm');
    expect(zonedCacheSize()).toBeLessThanOrEqual(100_000);
  });
});
