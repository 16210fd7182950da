import {
  canCancel,
  checkVisitors,
  checkWindow,
  DEFAULT_SETTINGS,
  occurrence,
  SlotTemplate,
  templateClosedOn,
  weekOf,
  weeklyEntitlement,
} from './visit.rules';

const s = DEFAULT_SETTINGS;
const template: SlotTemplate = {
  id: 't1',
  roomId: 'r1',
  dayOfWeek: 3,
  startTime: '14:00:00',
  endTime: '15:00:00',
  capacity: 10,
  validFrom: '2026-01-01',
  validTo: null,
};

describe('slot calendar', () => {
  it('places a template on its local day, in Paris time, winter and summer', () => {
    expect(occurrence(template, '2026-12-02', 'Europe/Paris')).toEqual({
      startsAt: new Date('2026-12-02T13:00:00Z'),
      endsAt: new Date('2026-12-02T14:00:00Z'),
    });
    expect(occurrence(template, '2026-07-01', 'Europe/Paris').startsAt).toEqual(new Date('2026-07-01T12:00:00Z'));
  });

  it('closes a template on other days, outside its validity, on holidays (unless open), and on closures', () => {
    expect(templateClosedOn(template, '2026-12-02', [], s, 'METROPOLE')).toBeNull();
    expect(templateClosedOn(template, '2026-12-03', [], s, 'METROPOLE')?.code).toBe('WRONG_DAY');
    expect(templateClosedOn({ ...template, validTo: '2026-11-30' }, '2026-12-02', [], s, 'METROPOLE')?.code).toBe('NOT_VALID');
    const christmasWednesday = { ...template, dayOfWeek: 5 }; // 2026-12-25 is a Friday
    expect(templateClosedOn(christmasWednesday, '2026-12-25', [], s, 'METROPOLE')).toEqual({
      code: 'HOLIDAY',
      message: 'Les parloirs sont fermés ce jour férié (Noël).',
    });
    // Christmas Eve is an ordinary day, whatever the server's time zone.
    expect(templateClosedOn({ ...template, dayOfWeek: 4 }, '2026-12-24', [], s, 'METROPOLE')).toBeNull();
    // Good Friday closes the visiting rooms of Alsace-Moselle only.
    expect(templateClosedOn(christmasWednesday, '2026-04-03', [], s, 'METROPOLE')).toBeNull();
    expect(templateClosedOn(christmasWednesday, '2026-04-03', [], s, 'ALSACE_MOSELLE')?.message).toBe(
      'Les parloirs sont fermés ce jour férié (Vendredi saint).',
    );
    expect(templateClosedOn(christmasWednesday, '2026-12-25', [], { ...s, openOnHolidays: true }, 'METROPOLE')).toBeNull();
    expect(
      templateClosedOn(
        template,
        '2026-12-02',
        [{ day: '2026-12-02', roomId: null, templateId: null, reason: 'exercice incendie' }],
        s,
        'METROPOLE',
      ),
    ).toEqual({ code: 'CLOSED', message: 'Parloir fermé ce jour-là : exercice incendie' });
    expect(
      templateClosedOn(
        template,
        '2026-12-02',
        [{ day: '2026-12-02', roomId: 'other', templateId: null, reason: 'travaux' }],
        s,
        'METROPOLE',
      ),
    ).toBeNull();
    expect(
      templateClosedOn(
        template,
        '2026-12-02',
        [{ day: '2026-12-02', roomId: null, templateId: 't1', reason: 'effectif réduit' }],
        s,
        'METROPOLE',
      )?.code,
    ).toBe('CLOSED');
  });
});

describe('booking rules', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it('books between the minimum notice and the horizon', () => {
    expect(checkWindow(new Date('2026-12-01T20:00:00Z'), now, s)?.code).toBe('TOO_SOON');
    expect(checkWindow(new Date('2026-12-02T10:00:00Z'), now, s)).toBeNull();
    expect(checkWindow(new Date('2026-12-29T10:00:00Z'), now, s)).toBeNull();
    expect(checkWindow(new Date('2026-12-29T10:01:00Z'), now, s)?.code).toBe('TOO_FAR');
    expect(checkWindow(new Date('2026-11-30T10:00:00Z'), now, s)?.code).toBe('PAST');
  });

  it('lets a family cancel until the deadline', () => {
    expect(canCancel(new Date('2026-12-02T10:00:00Z'), now, s)).toBe(true);
    expect(canCancel(new Date('2026-12-02T09:59:00Z'), now, s)).toBe(false);
  });

  it('counts the weekly entitlement over the local week (Monday to Sunday, Paris)', () => {
    expect(weekOf(new Date('2026-12-06T22:30:00Z'), 'Europe/Paris')).toEqual({
      from: new Date('2026-11-29T23:00:00Z'),
      to: new Date('2026-12-06T23:00:00Z'),
    });
    expect(weekOf(new Date('2026-12-06T23:30:00Z'), 'Europe/Paris').from).toEqual(new Date('2026-12-06T23:00:00Z'));
    expect(weeklyEntitlement('PREVENU', s)).toBe(3);
    expect(weeklyEntitlement('CONDAMNE', s)).toBe(1);
    expect(weeklyEntitlement('MIXTE', s)).toBe(3);
  });

  it('limits visitors and requires an adult with a minor', () => {
    expect(checkVisitors([], '2026-12-02', s)?.code).toBe('NO_VISITOR');
    expect(checkVisitors(['2015-01-01'], '2026-12-02', s)?.code).toBe('MINOR_ALONE');
    expect(checkVisitors(['2015-01-01', '1980-01-01'], '2026-12-02', s)).toBeNull();
    expect(checkVisitors(['1980-01-01', '1981-01-01', '1982-01-01', '1983-01-01'], '2026-12-02', s)?.code).toBe('TOO_MANY_ADULTS');
    expect(checkVisitors(['2015-01-01', '2016-01-01', '2017-01-01', '2018-01-01', '1980-01-01'], '2026-12-02', s)?.code).toBe(
      'TOO_MANY_CHILDREN',
    );
    expect(checkVisitors(['2008-12-02'], '2026-12-02', s)).toBeNull(); // 18 on the day of the visit
  });
});
