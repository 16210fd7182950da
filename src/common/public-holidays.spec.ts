import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type HolidayZone, holidayListLabel, publicHoliday, publicHolidays } from './public-holidays';
describe('public holidays per zone', () => {
  it('lists the eleven national days of 2026 for a metropolitan establishment', () => {
    expect([...publicHolidays(2026, 'METROPOLE').keys()]).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
    expect(publicHoliday('2026-04-06', 'METROPOLE')).toBe('Lundi de Pâques');
    expect(publicHoliday('2026-12-24', 'METROPOLE')).toBeNull();
    // Observances are not days off: Pentecost Sunday, Mothers' Day.
    expect(publicHoliday('2026-05-24', 'METROPOLE')).toBeNull();
    expect(publicHoliday('2026-05-31', 'METROPOLE')).toBeNull();
  });

  it('adds Good Friday and 26 December in Alsace-Moselle only', () => {
    for (const [goodFriday, year] of [
      ['2026-04-03', 2026],
      ['2027-03-26', 2027],
      ['2028-04-14', 2028],
    ] as const) {
      expect(publicHoliday(goodFriday, 'ALSACE_MOSELLE')).toBe('Vendredi saint');
      expect(publicHoliday(`${year}-12-26`, 'ALSACE_MOSELLE')).not.toBeNull();
      expect(publicHoliday(goodFriday, 'METROPOLE')).toBeNull();
      expect(publicHoliday(`${year}-12-26`, 'METROPOLE')).toBeNull();
      expect(publicHolidays(year, 'ALSACE_MOSELLE').size).toBe(publicHolidays(year, 'METROPOLE').size + 2);
    }
  });

  it('adds each overseas department’s day of the abolition of slavery, and Good Friday in Guadeloupe and Martinique', () => {
    const abolition: [HolidayZone, string][] = [
      ['GUADELOUPE', '2026-05-27'],
      ['MARTINIQUE', '2026-05-22'],
      ['GUYANE', '2026-06-10'],
      ['LA_REUNION', '2026-12-20'],
      ['MAYOTTE', '2026-04-27'],
    ];
    for (const [zone, day] of abolition) {
      expect(publicHoliday(day, zone)).toBe('Abolition de l’esclavage');
      expect(publicHoliday(day, 'METROPOLE')).toBeNull();
      // The other departments' days are ordinary days there.
      for (const [other, otherDay] of abolition) if (other !== zone) expect(publicHoliday(otherDay, zone)).toBeNull();
      // The national days hold there too.
      for (const national of publicHolidays(2026, 'METROPOLE').keys()) expect(publicHoliday(national, zone)).not.toBeNull();
    }
    expect(publicHoliday('2026-04-03', 'GUADELOUPE')).toBe('Vendredi saint');
    expect(publicHoliday('2026-04-03', 'MARTINIQUE')).toBe('Vendredi saint');
    expect(publicHoliday('2026-04-03', 'GUYANE')).toBeNull();
    expect(publicHoliday('2026-12-26', 'LA_REUNION')).toBeNull();
  });

  it('says which list applies, with the days it adds to the national one', () => {
    expect(holidayListLabel('METROPOLE', 2026)).toBe('liste nationale (métropole)');
    expect(holidayListLabel('ALSACE_MOSELLE', 2026)).toBe('liste d’Alsace-Moselle (Vendredi saint, 26 décembre)');
    expect(holidayListLabel('GUADELOUPE', 2026)).toBe('liste de la Guadeloupe (Vendredi saint, 27 mai)');
    expect(holidayListLabel('LA_REUNION', 2026)).toBe('liste de La Réunion (20 décembre)');
  });
});

describe('public holidays whatever the process’s time zone', () => {
  /**
   * Every zone's days and names of 2024 to 2030, computed by a fresh Node process whose time zone is `tz` (a
   * process reads TZ at start: Jest's own cannot be switched), with the process's offset on 1 January 2026.
   */
  async function computedUnder(tz: string): Promise<{ offset: number; days: string[] }> {
    const script = `
      const { HOLIDAY_ZONES, publicHolidays } = require(${JSON.stringify(join(__dirname, 'public-holidays.ts'))});
      const days = Object.keys(HOLIDAY_ZONES).flatMap((zone) =>
        [2024, 2025, 2026, 2027, 2028, 2029, 2030].flatMap((year) =>
          [...publicHolidays(year, zone)].map(([day, name]) => zone + ' ' + day + ' ' + name)));
      console.log(JSON.stringify({ offset: new Date('2026-01-01T00:00:00Z').getTimezoneOffset(), days }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    return JSON.parse(stdout) as { offset: number; days: string[] };
  }

  it('gives the same days under UTC, Europe/Paris, Pacific/Noumea and America/Cayenne', async () => {
    const [utc, paris, noumea, cayenne] = await Promise.all(
      ['UTC', 'Europe/Paris', 'Pacific/Noumea', 'America/Cayenne'].map(computedUnder),
    );
    expect(utc.offset).toBe(0);
    expect(utc.days).toContain('METROPOLE 2026-12-25 Noël');
    expect(utc.days).toContain('ALSACE_MOSELLE 2027-03-26 Vendredi saint');
    expect(utc.days).toContain('LA_REUNION 2030-12-20 Abolition de l’esclavage');
    for (const [under, offset] of [
      [paris, -60],
      [noumea, -660],
      [cayenne, 180],
    ] as const) {
      expect(under.offset).toBe(offset); // the child process did run in that time zone
      expect(under.days).toEqual(utc.days);
    }
  }, 20_000);
});
