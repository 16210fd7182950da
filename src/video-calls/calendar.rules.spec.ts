import { publicHoliday } from '../common/public-holidays';
import { bookableUntil, dayProblem, placeSlot, quotaProblem, slotProblem, slotsOfDay, weekGrid } from './calendar.rules';
import { NOTE_2020_DEFAULTS, type VideoCallSettings } from './video-call-settings';

const s = NOTE_2020_DEFAULTS;
const PARIS = 'Europe/Paris';
const CAYENNE = 'America/Cayenne';
const METROPOLE = 'METROPOLE' as const;
const at = (iso: string) => new Date(iso);
const slot = (day: string, start: string, timeZone = PARIS) => {
  const grid = s.slots.find((x) => x.start === start)!;
  return placeSlot(day, grid, timeZone);
};
const codeOf = (day: string, start: string, now: string, settings: VideoCallSettings = s, timeZone = PARIS) =>
  slotProblem(slot(day, start, timeZone), at(now), settings, timeZone, METROPOLE)?.code ?? null;

describe('video-call slots of a day', () => {
  it('places the note’s six slots on the establishment’s clock, each with its UTC start and end', () => {
    const slots = slotsOfDay('2026-06-10', s, PARIS, METROPOLE); // a Wednesday, summer time (UTC+2)
    expect(slots.map((x) => `${x.start}-${x.end}`)).toEqual([
      '08:30-09:15',
      '09:30-10:15',
      '10:30-11:15',
      '13:45-14:30',
      '14:45-15:30',
      '15:45-16:30',
    ]);
    expect(slots[0]).toEqual({
      day: '2026-06-10',
      start: '08:30',
      end: '09:15',
      startsAt: at('2026-06-10T06:30:00Z'),
      endsAt: at('2026-06-10T07:15:00Z'),
    });
    expect(slotsOfDay('2026-12-09', s, PARIS, METROPOLE)[3].startsAt).toEqual(at('2026-12-09T12:45:00Z')); // winter time (UTC+1)
  });

  it('has no slot on a Sunday, a public holiday or a weekday the establishment does not open', () => {
    expect(slotsOfDay('2026-06-07', s, PARIS, METROPOLE)).toEqual([]); // Sunday
    expect(slotsOfDay('2026-07-14', s, PARIS, METROPOLE)).toEqual([]); // Fête nationale, a Tuesday
    expect(slotsOfDay('2026-06-13', { ...s, weekdays: [1, 2, 3, 4, 5] }, PARIS, METROPOLE)).toEqual([]); // Saturday not open
    expect(slotsOfDay('2026-06-13', s, PARIS, METROPOLE)).toHaveLength(6);
  });
});

describe('notice before a video call', () => {
  it('48 hours ahead across a week-end: a Wednesday slot is bookable until Monday at the same time, a Thursday one until Tuesday', () => {
    expect(bookableUntil(slot('2026-06-10', '13:45'), s, PARIS)).toEqual(at('2026-06-08T11:45:00Z'));
    expect(codeOf('2026-06-10', '13:45', '2026-06-06T15:00:00Z')).toBeNull(); // booked on the Saturday before
    expect(codeOf('2026-06-10', '13:45', '2026-06-08T11:45:00Z')).toBeNull(); // exactly 48 h before
    expect(codeOf('2026-06-10', '13:45', '2026-06-08T11:45:01Z')).toBe('NOTICE');
    expect(codeOf('2026-06-11', '08:30', '2026-06-09T06:30:00Z')).toBeNull();
    expect(codeOf('2026-06-11', '08:30', '2026-06-09T06:31:00Z')).toBe('NOTICE');
  });

  it('says until when the slot was bookable, in French on the establishment’s clock', () => {
    expect(slotProblem(slot('2026-06-10', '13:45'), at('2026-06-09T08:00:00Z'), s, PARIS, METROPOLE)).toEqual({
      code: 'NOTICE',
      message:
        'Trop tard : ce créneau était réservable jusqu’au lundi 8 juin 2026 à 13 h 45 (les créneaux se réservent 48 heures à l’avance).',
    });
  });

  it('a Monday or Tuesday slot is bookable until the preceding Saturday 23:59 local, not on the Sunday', () => {
    // Monday 8 June 2026 08:30: 48 h would end on Saturday 08:30; the note allows the whole Saturday.
    expect(bookableUntil(slot('2026-06-08', '08:30'), s, PARIS)).toEqual(at('2026-06-06T21:59:59.999Z'));
    expect(codeOf('2026-06-08', '08:30', '2026-06-06T21:59:00Z')).toBeNull(); // Saturday 23:59 Paris
    expect(codeOf('2026-06-08', '08:30', '2026-06-06T22:00:00Z')).toBe('NOTICE'); // Sunday 00:00 Paris
    // Tuesday 9 June 2026 15:45: 48 h would end on Sunday 15:45; the officer is not there on Sunday.
    expect(codeOf('2026-06-09', '15:45', '2026-06-06T21:59:59Z')).toBeNull();
    expect(codeOf('2026-06-09', '15:45', '2026-06-07T09:00:00Z')).toBe('NOTICE');
    expect(slotProblem(slot('2026-06-09', '15:45'), at('2026-06-07T09:00:00Z'), s, PARIS, METROPOLE)?.message).toBe(
      'Trop tard : ce créneau était réservable jusqu’au samedi 6 juin 2026 à 23 h 59 (les créneaux du lundi et du mardi se réservent jusqu’au samedi précédent).',
    );
  });

  it('the Saturday slot itself keeps the 48 hours: bookable until Thursday, not on Friday nor on the Saturday', () => {
    expect(bookableUntil(slot('2026-06-13', '10:30'), s, PARIS)).toEqual(at('2026-06-11T08:30:00Z'));
    expect(codeOf('2026-06-13', '10:30', '2026-06-11T08:30:00Z')).toBeNull();
    expect(codeOf('2026-06-13', '10:30', '2026-06-12T08:00:00Z')).toBe('NOTICE');
    expect(codeOf('2026-06-13', '10:30', '2026-06-13T06:00:00Z')).toBe('NOTICE'); // Saturday 08:00 Paris
  });

  it('without the Monday/Tuesday rule, a Monday slot is bookable until 48 hours before only', () => {
    const strict = { ...s, mondayTuesdayUntilSaturday: false };
    expect(bookableUntil(slot('2026-06-08', '08:30'), strict, PARIS)).toEqual(at('2026-06-06T06:30:00Z'));
    expect(codeOf('2026-06-08', '08:30', '2026-06-06T06:30:00Z', strict)).toBeNull();
    expect(codeOf('2026-06-08', '08:30', '2026-06-06T12:00:00Z', strict)).toBe('NOTICE');
  });

  it('a started slot is past', () => {
    expect(codeOf('2026-06-10', '08:30', '2026-06-10T06:30:00Z')).toBe('PAST');
    expect(slotProblem(slot('2026-06-07', '08:30'), at('2026-06-20T08:00:00Z'), s, PARIS, METROPOLE)).toEqual({
      code: 'PAST',
      message: 'Ce créneau est passé.',
    });
  });

  it('refuses a time that is not a slot of the establishment’s grid', () => {
    expect(slotProblem({ day: '2026-06-10', start: '12:00', end: '12:45' }, at('2026-06-01T08:00:00Z'), s, PARIS, METROPOLE)?.code).toBe(
      'NOT_A_SLOT',
    );
  });
});

describe('days without video calls', () => {
  const now = '2025-12-01T08:00:00Z';

  it('never on Sundays, even if the settings list Sunday', () => {
    expect(slotProblem(slot('2026-06-07', '08:30'), at(now), s, PARIS, METROPOLE)).toEqual({
      code: 'SUNDAY',
      message: 'Pas de visiophonie le dimanche.',
    });
    expect(codeOf('2026-06-07', '08:30', now, { ...s, weekdays: [1, 2, 3, 4, 5, 6, 7] })).toBe('SUNDAY');
  });

  it('never on Easter Monday nor Whit Monday of 2026, 2027 and 2028', () => {
    for (const day of ['2026-04-06', '2027-03-29', '2028-04-17']) {
      expect(publicHoliday(day, METROPOLE)).toBe('Lundi de Pâques');
      expect(codeOf(day, '08:30', now)).toBe('HOLIDAY');
    }
    for (const day of ['2026-05-25', '2027-05-17', '2028-06-05']) {
      expect(publicHoliday(day, METROPOLE)).toBe('Lundi de Pentecôte');
      expect(codeOf(day, '13:45', now)).toBe('HOLIDAY');
    }
    // The days around them are ordinary days.
    expect(codeOf('2026-04-07', '08:30', now)).toBeNull();
    expect(codeOf('2027-03-30', '08:30', now)).toBeNull();
    expect(codeOf('2028-06-06', '08:30', now)).toBeNull();
  });

  it('never on 1 May, 14 July and 25 December, and says which holiday', () => {
    expect(slotProblem(slot('2026-05-01', '09:30'), at(now), s, PARIS, METROPOLE)).toEqual({
      code: 'HOLIDAY',
      message: 'Pas de visiophonie les jours fériés : vendredi 1 mai 2026 est férié (Fête du travail).',
    });
    expect(slotProblem(slot('2026-07-14', '09:30'), at(now), s, PARIS, METROPOLE)?.message).toContain('(Fête Nationale de la France)');
    expect(slotProblem(slot('2026-12-25', '09:30'), at(now), s, PARIS, METROPOLE)?.message).toContain('(Noël)');
    expect(codeOf('2026-12-24', '09:30', now)).toBeNull();
  });

  it('a public holiday falling on a Saturday closes that Saturday', () => {
    expect(codeOf('2026-08-15', '10:30', now)).toBe('HOLIDAY'); // Assomption, a Saturday
    expect(codeOf('2027-05-01', '10:30', now)).toBe('HOLIDAY'); // 1 May 2027, a Saturday
    expect(codeOf('2027-12-25', '10:30', now)).toBe('HOLIDAY'); // Noël 2027, a Saturday
    expect(codeOf('2026-08-22', '10:30', now)).toBeNull();
  });

  it('closes the weekdays the establishment does not open', () => {
    expect(dayProblem('2026-06-13', { ...s, weekdays: [1, 2, 3, 4, 5] }, METROPOLE)).toEqual({
      code: 'CLOSED',
      message: 'Pas de visiophonie le samedi dans cet établissement.',
    });
  });

  it('uses the metropolitan list unless the establishment is in Alsace-Moselle (Good Friday, 26 December)', () => {
    expect(dayProblem('2026-04-03', s, METROPOLE)).toBeNull();
    expect(dayProblem('2026-04-03', s, 'ALSACE_MOSELLE')?.message).toBe(
      'Pas de visiophonie les jours fériés : vendredi 3 avril 2026 est férié (Vendredi saint).',
    );
    expect(dayProblem('2026-12-26', s, METROPOLE)).toBeNull();
    expect(dayProblem('2026-12-26', s, 'ALSACE_MOSELLE')?.code).toBe('HOLIDAY');
  });
});

describe('quota of video calls', () => {
  it('one call every 4 weeks: a call 27 days after another is refused, 28 days after is allowed', () => {
    expect(quotaProblem('2026-06-29', ['2026-06-02'], s)).toEqual({
      code: 'QUOTA',
      otherCallDays: ['2026-06-02'],
      firstAllowedDay: '2026-06-30',
      message:
        'Quota atteint (un seul appel toutes les 4 semaines) : la personne détenue a déjà un appel le mardi 2 juin 2026. Premier jour possible : mardi 30 juin 2026.',
    });
    expect(quotaProblem('2026-06-30', ['2026-06-02'], s)).toBeNull();
  });

  it('a call booked later in the calendar counts too: 27 days before it is refused, 28 days before is allowed', () => {
    const problem = quotaProblem('2026-06-03', ['2026-06-30'], s);
    expect(problem?.otherCallDays).toEqual(['2026-06-30']);
    expect(problem?.firstAllowedDay).toBe('2026-07-28');
    expect(problem?.message).toContain('un appel le mardi 30 juin 2026');
    expect(quotaProblem('2026-06-02', ['2026-06-30'], s)).toBeNull();
  });

  it('counts the same day and calls on both sides, and a raised quota allows more calls in the window', () => {
    expect(quotaProblem('2026-06-10', ['2026-06-10'], s)?.code).toBe('QUOTA');
    expect(quotaProblem('2026-06-15', ['2026-05-01', '2026-07-30'], s)).toBeNull();
    const two = { ...s, quotaCalls: 2 };
    expect(quotaProblem('2026-06-15', ['2026-06-02'], two)).toBeNull();
    const third = quotaProblem('2026-06-15', ['2026-06-02', '2026-06-20'], two);
    expect(third?.otherCallDays).toEqual(['2026-06-02', '2026-06-20']);
    expect(third?.message).toContain('2 appels au plus par période de 4 semaines');
    expect(third?.message).toContain('des appels le mardi 2 juin 2026 et le samedi 20 juin 2026');
    expect(quotaProblem('2026-06-30', ['2026-06-02', '2026-06-20'], two)).toBeNull();
  });
});

describe('a DST change week and an overseas establishment', () => {
  it('keeps local times across the spring change (29 March 2026): Saturday 08:30 is 07:30 UTC, Monday 08:30 is 06:30 UTC', () => {
    expect(slot('2026-03-28', '08:30').startsAt).toEqual(at('2026-03-28T07:30:00Z'));
    expect(slot('2026-03-30', '08:30').startsAt).toEqual(at('2026-03-30T06:30:00Z'));
    // Monday/Tuesday rule: the Saturday ends at midnight, still winter time.
    expect(bookableUntil(slot('2026-03-31', '15:45'), s, PARIS)).toEqual(at('2026-03-28T22:59:59.999Z'));
    // Without it, 48 elapsed hours: Monday 08:30 summer time is bookable until Saturday 07:30 winter time.
    const strict = { ...s, mondayTuesdayUntilSaturday: false };
    expect(slotProblem(slot('2026-03-30', '08:30'), at('2026-03-28T12:00:00Z'), strict, PARIS, METROPOLE)?.message).toContain(
      'jusqu’au samedi 28 mars 2026 à 07 h 30',
    );
    // Autumn change (25 October 2026): the Saturday before still ends at midnight summer time.
    expect(bookableUntil(slot('2026-10-26', '08:30'), s, PARIS)).toEqual(at('2026-10-24T21:59:59.999Z'));
    expect(slot('2026-10-26', '08:30').startsAt).toEqual(at('2026-10-26T07:30:00Z'));
  });

  it('an establishment in Cayenne (UTC−3) has its slots and its Saturday midnight on its own clock', () => {
    expect(slot('2026-06-08', '08:30', CAYENNE).startsAt).toEqual(at('2026-06-08T11:30:00Z'));
    expect(bookableUntil(slot('2026-06-08', '08:30', CAYENNE), s, CAYENNE)).toEqual(at('2026-06-07T02:59:59.999Z'));
    // Sunday 05:00 in Paris is still Saturday 23:00 in Cayenne: bookable.
    expect(codeOf('2026-06-08', '08:30', '2026-06-07T02:00:00Z', s, CAYENNE)).toBeNull();
    expect(codeOf('2026-06-08', '08:30', '2026-06-07T03:00:00Z', s, CAYENNE)).toBe('NOTICE');
    expect(slotProblem(slot('2026-06-08', '08:30', CAYENNE), at('2026-06-07T03:00:00Z'), s, CAYENNE, METROPOLE)?.message).toContain(
      'jusqu’au samedi 6 juin 2026 à 23 h 59',
    );
    expect(codeOf('2026-07-14', '08:30', '2026-06-01T12:00:00Z', s, CAYENNE)).toBe('HOLIDAY');
  });
});

describe('the booking week grid', () => {
  it('lays out Monday to Saturday × the six slots, each cell with its UTC start and why it is not bookable', () => {
    // Easter week 2026, seen on Wednesday 1 April at noon Paris time.
    const grid = weekGrid('2026-04-09', at('2026-04-01T10:00:00Z'), s, PARIS, { zone: METROPOLE });
    expect(grid.monday).toBe('2026-04-06');
    expect(grid.days.map((d) => d.label)).toEqual([
      'lundi 6 avril 2026',
      'mardi 7 avril 2026',
      'mercredi 8 avril 2026',
      'jeudi 9 avril 2026',
      'vendredi 10 avril 2026',
      'samedi 11 avril 2026',
    ]);
    expect(grid.days[0].closed?.code).toBe('HOLIDAY');
    expect(grid.rows.map((r) => r.start)).toEqual(['08:30', '09:30', '10:30', '13:45', '14:45', '15:45']);
    expect(grid.rows[0].cells.map((c) => c.problem?.code ?? 'OK')).toEqual(['HOLIDAY', 'OK', 'OK', 'OK', 'OK', 'OK']);
    expect(grid.rows[0].cells[1].slot.startsAt).toEqual(at('2026-04-07T06:30:00Z'));
  });

  it('shows notice and quota reasons when the detainee’s other calls are given', () => {
    // Seen on Tuesday 7 April 2026 at 10:00 Paris: Wednesday and Thursday morning are within 48 h.
    const grid = weekGrid('2026-04-06', at('2026-04-07T08:00:00Z'), s, PARIS, { zone: METROPOLE, otherCallDays: ['2026-03-13'] });
    const morning = grid.rows[0].cells.map((c) => c.problem?.code ?? 'OK');
    // A past slot is past before anything else (Easter Monday included); 13 March + 28 days = 10 April:
    // the quota closes Thursday, opens Friday.
    expect(morning).toEqual(['PAST', 'PAST', 'NOTICE', 'NOTICE', 'OK', 'OK']);
    expect(grid.rows[5].cells.map((c) => c.problem?.code ?? 'OK')).toEqual(['PAST', 'NOTICE', 'NOTICE', 'QUOTA', 'OK', 'OK']);
  });
});
