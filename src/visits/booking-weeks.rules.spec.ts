import {
  addDays,
  askedWeek,
  type BookingWeek,
  bookingWeeks,
  firstBookableWeek,
  inWeek,
  mondayOf,
  slotDay,
  weekLabel,
  weekNavigation,
} from './booking-weeks.rules';
import { DEFAULT_SETTINGS } from './visit.rules';

const PARIS = 'Europe/Paris';
const s = DEFAULT_SETTINGS; // 24 hours' notice, 28 days ahead

describe('the weeks of the booking window', () => {
  it('counts days on the calendar, across months, years and the change of time', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2027-03-28', 1)).toBe('2027-03-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });

  it('says a week as French readers do, the month and year written once when the week does not cross them', () => {
    expect(weekLabel('2026-11-23')).toBe('du lundi 23 au dimanche 29 novembre');
    expect(weekLabel('2026-11-30')).toBe('du lundi 30 novembre au dimanche 6 décembre');
    expect(weekLabel('2026-12-28')).toBe('du lundi 28 décembre 2026 au dimanche 3 janvier 2027');
  });

  it('runs from the week of the first bookable instant to the week of the last, Monday to Sunday', () => {
    // Tuesday 24 November 2026, 10:00 in Paris: bookable from Wednesday 25 to Tuesday 22 December.
    const weeks = bookingWeeks(new Date('2026-11-24T09:00:00Z'), s, PARIS);
    expect(weeks.map((w) => w.monday)).toEqual(['2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21']);
    expect(weeks[0]).toEqual({ monday: '2026-11-23', sunday: '2026-11-29', label: 'du lundi 23 au dimanche 29 novembre' });
  });

  it('starts with the next week when the notice reaches past Sunday', () => {
    // Saturday 28 November, 08:00: 48 hours' notice reach Monday 30.
    const weeks = bookingWeeks(new Date('2026-11-28T07:00:00Z'), { minNoticeHours: 48, horizonDays: 14 }, PARIS);
    expect(weeks.map((w) => w.monday)).toEqual(['2026-11-30', '2026-12-07']);
  });

  it('cuts weeks on the establishment’s clock, not the server’s', () => {
    // Sunday 29 November, 22:30 UTC: already Monday 30 in Nouméa (UTC+11), still Sunday in Paris (23:30).
    const now = new Date('2026-11-29T22:30:00Z');
    const noNotice = { minNoticeHours: 0, horizonDays: 7 };
    expect(bookingWeeks(now, noNotice, 'Pacific/Noumea').map((w) => w.monday)).toEqual(['2026-11-30', '2026-12-07']);
    expect(bookingWeeks(now, noNotice, PARIS).map((w) => w.monday)).toEqual(['2026-11-23', '2026-11-30']);
    // Monday 30, 02:00 UTC: still Sunday 29 in Cayenne (UTC−3).
    expect(bookingWeeks(new Date('2026-11-30T02:00:00Z'), { minNoticeHours: 0, horizonDays: 0 }, 'America/Cayenne')).toEqual([
      { monday: '2026-11-23', sunday: '2026-11-29', label: 'du lundi 23 au dimanche 29 novembre' },
    ]);
  });

  it('crosses the new year', () => {
    const weeks = bookingWeeks(new Date('2026-12-20T09:00:00Z'), s, PARIS);
    expect(weeks.map((w) => w.monday)).toEqual(['2026-12-21', '2026-12-28', '2027-01-04', '2027-01-11']);
  });

  it('knows which week a day is in', () => {
    const [w] = bookingWeeks(new Date('2026-11-24T09:00:00Z'), s, PARIS);
    expect(inWeek('2026-11-23', w)).toBe(true);
    expect(inWeek('2026-11-29', w)).toBe(true);
    expect(inWeek('2026-11-30', w)).toBe(false);
    expect(inWeek('2026-11-22', w)).toBe(false);
  });
});

describe('the week a page is asked for', () => {
  const weeks = bookingWeeks(new Date('2026-11-24T09:00:00Z'), s, PARIS);

  it('is none when not asked', () => {
    expect(askedWeek(weeks, undefined, 28)).toEqual({ week: null, problem: null });
    expect(askedWeek(weeks, '', 28)).toEqual({ week: null, problem: null });
  });

  it('is the week of any of its days, written AAAA-MM-JJ or JJ/MM/AAAA', () => {
    expect(askedWeek(weeks, '2026-12-07', 28).week?.monday).toBe('2026-12-07');
    expect(askedWeek(weeks, '2026-12-10', 28).week?.monday).toBe('2026-12-07');
    expect(askedWeek(weeks, ' 13/12/2026 ', 28).week?.monday).toBe('2026-12-07');
    expect(askedWeek(weeks, '2026-11-25', 28)).toEqual({ week: weeks[0], problem: null });
  });

  it('says why a value that is not one day cannot be shown', () => {
    for (const value of ['demain', '2026-02-30', '2026-W50', '2026-12-07T00:00', ['2026-12-07', '2026-12-14'], { a: 1 }, 42]) {
      expect(askedWeek(weeks, value, 28)).toEqual({
        week: null,
        problem: 'La semaine demandée n’existe pas. Voici la première semaine où réserver.',
      });
    }
  });

  it('says why a week outside the window cannot be shown: past, or not open yet', () => {
    expect(askedWeek(weeks, '2026-11-20', 28)).toEqual({
      week: null,
      problem: 'La semaine du lundi 16 au dimanche 22 novembre est passée. Voici la première semaine où réserver.',
    });
    expect(askedWeek(weeks, '2026-12-28', 28)).toEqual({
      week: null,
      problem:
        'La semaine du lundi 28 décembre 2026 au dimanche 3 janvier 2027 n’est pas encore ouverte à la réservation : ' +
        'les visites se réservent au plus 28 jours à l’avance. Voici la première semaine où réserver.',
    });
    expect(askedWeek([], '2026-12-07', 28).problem).toContain('pas encore ouverte');
  });

  it('reads the day of a slot choice', () => {
    expect(slotDay('5f0c8a3e-0c5b-4c55-9d34-0e1b5f5b7a10|2026-12-09')).toBe('2026-12-09');
    expect(slotDay('x|2026-02-30')).toBeNull();
    expect(slotDay('2026-12-09')).toBeNull();
    expect(slotDay(undefined)).toBeNull();
    expect(slotDay(['a|2026-12-09'])).toBeNull();
  });
});

describe('the week shown by default', () => {
  const weeks = bookingWeeks(new Date('2026-11-24T09:00:00Z'), s, PARIS);
  const full = { code: 'FULL', message: 'Complet' };

  it('is the first week with a slot the request may take', () => {
    const slots = [
      { day: '2026-11-26', refusal: full },
      { day: '2026-12-01', refusal: full },
      { day: '2026-12-09', refusal: null },
      { day: '2026-12-15', refusal: null },
    ];
    expect(firstBookableWeek(weeks, slots)?.monday).toBe('2026-12-07');
  });

  it('counts a slot the visiting room may take over the weekly cap', () => {
    const slots = [{ day: '2026-12-01', refusal: { code: 'ENTITLEMENT_USED', message: '…' }, overCap: true }];
    expect(firstBookableWeek(weeks, slots)?.monday).toBe('2026-11-30');
  });

  it('is the first week of the window when no slot can be taken, none when the window has no week', () => {
    expect(firstBookableWeek(weeks, [{ day: '2026-12-09', refusal: full }])).toBe(weeks[0]);
    expect(firstBookableWeek(weeks, [])).toBe(weeks[0]);
    expect(firstBookableWeek([], [])).toBeNull();
  });
});

describe('the links between weeks', () => {
  const weeks = bookingWeeks(new Date('2026-11-24T09:00:00Z'), s, PARIS);
  const href = (monday: string) => `/visites/reserver?semaine=${monday}`;
  const at = (i: number): BookingWeek => weeks[i];

  it('has no previous week on the first, no next week on the last', () => {
    const first = weekNavigation(weeks, at(0), href);
    expect(first).toMatchObject({ position: 1, count: 5, previous: null });
    expect(first.next).toEqual({ href: '/visites/reserver?semaine=2026-11-30', label: 'du lundi 30 novembre au dimanche 6 décembre' });
    const last = weekNavigation(weeks, at(4), href);
    expect(last).toMatchObject({ position: 5, count: 5, next: null });
    expect(last.previous?.href).toBe('/visites/reserver?semaine=2026-12-14');
  });

  it('links both ways in between', () => {
    const nav = weekNavigation(weeks, at(2), href);
    expect([nav.previous?.href, nav.next?.href]).toEqual(['/visites/reserver?semaine=2026-11-30', '/visites/reserver?semaine=2026-12-14']);
    expect(nav.current).toBe(at(2));
  });
});
