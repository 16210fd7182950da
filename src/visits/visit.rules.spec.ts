import { inLanguage } from '../common/i18n';
import type { VisitStatus } from './visit-day.rules';
import {
  ageOn,
  canCancel,
  capsBelowFloors,
  checkVisitors,
  checkWindow,
  dayLabel,
  DEFAULT_SETTINGS,
  type DetaineeVisit,
  MAJORITY_AGE,
  nameMatches,
  occurrence,
  permitsRefusal,
  placesText,
  SlotTemplate,
  slotRefusal,
  type SlotRequest,
  slotsByDay,
  templateClosedOn,
  type VisitorPermit,
  visitPlace,
  weekOf,
  weeklyEntitlement,
  weekRefusal,
  WEEKLY_FLOORS,
  usesWeek,
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
      message: 'Les parloirs sont fermés ce jour férié (Noël). Choisissez un autre jour.',
    });
    // Christmas Eve is an ordinary day, whatever the server's time zone.
    expect(templateClosedOn({ ...template, dayOfWeek: 4 }, '2026-12-24', [], s, 'METROPOLE')).toBeNull();
    // Good Friday closes the visiting rooms of Alsace-Moselle only.
    expect(templateClosedOn(christmasWednesday, '2026-04-03', [], s, 'METROPOLE')).toBeNull();
    expect(templateClosedOn(christmasWednesday, '2026-04-03', [], s, 'ALSACE_MOSELLE')?.message).toBe(
      'Les parloirs sont fermés ce jour férié (Vendredi saint). Choisissez un autre jour.',
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
    ).toEqual({ code: 'CLOSED', message: 'Parloir fermé ce jour-là (exercice incendie). Choisissez un autre jour.' });
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
    const v = (birthdate: string, unaccompaniedConsent = false) => ({ birthdate, unaccompaniedConsent });
    const of = (...b: string[]) => b.map((x) => v(x));
    expect(checkVisitors([], '2026-12-02', s)?.code).toBe('NO_VISITOR');
    expect(checkVisitors(of('2015-01-01'), '2026-12-02', s)?.code).toBe('MINOR_ALONE');
    expect(checkVisitors(of('2015-01-01', '1980-01-01'), '2026-12-02', s)).toBeNull();
    expect(checkVisitors(of('1980-01-01', '1981-01-01', '1982-01-01', '1983-01-01'), '2026-12-02', s)?.code).toBe('TOO_MANY_ADULTS');
    expect(checkVisitors(of('2015-01-01', '2016-01-01', '2017-01-01', '2018-01-01', '1980-01-01'), '2026-12-02', s)?.code).toBe(
      'TOO_MANY_CHILDREN',
    );
    expect(checkVisitors(of('2008-12-02'), '2026-12-02', s)).toBeNull(); // 18 on the day of the visit
    expect(checkVisitors(of('1980-01-01', '1981-01-01', '1982-01-01', '1983-01-01'), '2026-12-02', s)?.message).toBe(
      '3 adultes au plus par visite. Choisissez moins d’adultes.',
    );
    expect(checkVisitors(of('2015-01-01', '2016-01-01', '1980-01-01'), '2026-12-02', { ...s, maxChildren: 1 })?.message).toBe(
      '1 enfant au plus par visite. Choisissez moins d’enfants.',
    );
  });

  it('lets a minor of 16 or 17 come alone only with the consent on the permit, never under 16, with ages counted on the visit day', () => {
    const day = '2026-12-02';
    const v = (birthdate: string, unaccompaniedConsent = false) => ({ birthdate, unaccompaniedConsent });
    // 16 on the visit's day, with the parental-authority holders' consent: alone is fine.
    expect(checkVisitors([v('2010-12-02', true)], day, s)).toBeNull();
    // The day before the 16th birthday: under 16, the consent does not help.
    expect(checkVisitors([v('2010-12-03', true)], day, s)).toEqual({
      code: 'MINOR_ALONE',
      message:
        'Un enfant de moins de 16 ans vient accompagné d’un adulte titulaire d’un permis de visite. Choisissez aussi un adulte qui vient avec lui.',
    });
    // 16 or 17 without the consent: refused, saying what is missing.
    expect(checkVisitors([v('2010-12-02')], day, s)?.code).toBe('MINOR_CONSENT');
    expect(checkVisitors([v('2009-12-03')], day, s)?.message).toBe(
      'Un mineur de 16 ou 17 ans vient sans adulte seulement avec l’autorisation écrite des titulaires de l’autorité parentale, ' +
        'enregistrée sur son permis par le greffe. Sinon, il vient accompagné d’un adulte titulaire d’un permis de visite.',
    );
    // 17 the day before the 18th birthday, 18 on it: an adult needs no consent.
    expect(checkVisitors([v('2008-12-03')], day, s)?.code).toBe('MINOR_CONSENT');
    expect(checkVisitors([v('2008-12-02')], day, s)).toBeNull();
    // Two 16-year-olds with consent may come together; one with consent cannot bring a younger child.
    expect(checkVisitors([v('2010-01-01', true), v('2009-06-01', true)], day, s)).toBeNull();
    expect(checkVisitors([v('2010-01-01', true), v('2014-01-01', true)], day, s)?.code).toBe('MINOR_ALONE');
    // With an adult holding a permit, any minor comes, consent or not.
    expect(checkVisitors([v('2014-01-01'), v('2010-01-01'), v('1980-01-01')], day, s)).toBeNull();
    // Born on 29 February: a year older on 29 February in a leap year, on 1 March otherwise.
    expect(ageOn('2008-02-29', '2024-02-28')).toBe(15);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
    expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
    expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
    expect(MAJORITY_AGE).toBe(18);
  });

  it('keeps the establishment’s weekly caps at or above the law’s floors', () => {
    expect(WEEKLY_FLOORS).toEqual({ PREVENU: 3, CONDAMNE: 1 });
    expect(DEFAULT_SETTINGS.weeklyPrevenu).toBe(3);
    expect(DEFAULT_SETTINGS.weeklyCondamne).toBe(1);
    expect(capsBelowFloors({ weeklyPrevenu: 3, weeklyCondamne: 1 })).toBeNull();
    expect(capsBelowFloors({ weeklyPrevenu: 5, weeklyCondamne: 2 })).toBeNull();
    expect(capsBelowFloors({ weeklyPrevenu: 2, weeklyCondamne: 1 })).toEqual({
      field: 'weeklyPrevenu',
      message: 'Le plafond ne peut pas être inférieur à 3 visites par semaine pour une personne prévenue (article L341-2).',
    });
    expect(capsBelowFloors({ weeklyPrevenu: 3, weeklyCondamne: 0 })?.field).toBe('weeklyCondamne');
  });
});

describe('what a slot says before it is chosen', () => {
  const PARIS = 'Europe/Paris';
  const wednesday = { startsAt: new Date('2026-12-09T13:00:00Z'), endsAt: new Date('2026-12-09T14:00:00Z') };
  const visit = (startsAt: string, familyAccountId: string | null = 'other', status: VisitStatus = 'BOOKED'): DetaineeVisit => ({
    startsAt: new Date(startsAt),
    endsAt: new Date(new Date(startsAt).getTime() + 3600_000),
    familyAccountId,
    status,
  });
  const adult: VisitorPermit = {
    status: 'ACTIVE',
    validFrom: '2026-01-01',
    validTo: null,
    maxVisits: null,
    visitsUsed: 0,
    roomCondition: null,
    allowedDays: null,
    allowedFrom: null,
    allowedTo: null,
    conditionsNote: null,
    birthdate: '1985-01-01',
    unaccompaniedConsent: false,
  };
  const request = (o: Partial<SlotRequest> = {}): SlotRequest => ({
    closed: null,
    permits: [adult],
    place: visitPlace({ startTime: '14:00', endTime: '15:00', roomKind: 'ORDINARY' }, '2026-12-09'),
    settings: s,
    ...wednesday,
    visits: [],
    entitlement: 1,
    timeZone: PARIS,
    viewer: { familyId: 'mine' },
    free: 3,
    ...o,
  });

  it('writes the places left with proper plurals', () => {
    expect(placesText(10)).toBe('10 places libres');
    expect(placesText(2)).toBe('2 places libres');
    expect(placesText(1)).toBe('1 place libre');
    expect(placesText(0)).toBe('Complet');
    expect(placesText(-1)).toBe('Complet');
  });

  it('says the week is used, naming the family’s own visit but never another family’s', () => {
    const mine = visit('2026-12-08T13:00:00Z', 'mine');
    expect(weekRefusal([mine], wednesday, 1, PARIS, { familyId: 'mine' })).toEqual({
      code: 'ENTITLEMENT_USED',
      message:
        'Vous avez déjà une visite cette semaine-là : mardi 8 décembre 2026 à 14 h 00. La personne détenue a droit à 1 visite par semaine. Choisissez un créneau d’une autre semaine.',
    });
    expect(weekRefusal([visit('2026-12-08T13:00:00Z')], wednesday, 1, PARIS, { familyId: 'mine' })).toEqual({
      code: 'ENTITLEMENT_USED',
      message: 'Le nombre de visites de la semaine pour cette personne détenue est atteint. Choisissez un créneau d’une autre semaine.',
    });
    expect(weekRefusal([visit('2026-12-08T13:00:00Z')], wednesday, 1, PARIS, 'STAFF')?.message).toBe(
      'Visite déjà réservée cette semaine-là : mardi 8 décembre 2026 à 14 h 00. La personne détenue a droit à 1 visite par semaine.',
    );
    // A prévenu's three visits a week; a visit of the week before or after does not count.
    const three = [visit('2026-12-07T09:00:00Z'), visit('2026-12-08T09:00:00Z', 'mine')];
    expect(weekRefusal(three, wednesday, 3, PARIS, { familyId: 'mine' })).toBeNull();
    expect(weekRefusal([...three, visit('2026-12-13T09:00:00Z')], wednesday, 3, PARIS, { familyId: 'mine' })?.message).toBe(
      'Vous avez déjà une visite cette semaine-là : mardi 8 décembre 2026 à 10 h 00. La personne détenue a droit à 3 visites par semaine. Choisissez un créneau d’une autre semaine.',
    );
    expect(weekRefusal([visit('2026-12-06T09:00:00Z'), visit('2026-12-14T09:00:00Z')], wednesday, 1, PARIS, 'STAFF')).toBeNull();
  });

  it('does not count a visit missed by the visitor or refused at the door in the week', () => {
    expect(usesWeek('BOOKED')).toBe(true);
    expect(usesWeek('DONE')).toBe(true);
    expect(usesWeek('IN_PROGRESS')).toBe(true);
    expect(usesWeek('NO_SHOW')).toBe(false);
    expect(usesWeek('REFUSED')).toBe(false);
    expect(usesWeek('CANCELLED')).toBe(false);
    expect(weekRefusal([visit('2026-12-07T13:00:00Z', 'mine', 'NO_SHOW')], wednesday, 1, PARIS, { familyId: 'mine' })).toBeNull();
    expect(weekRefusal([visit('2026-12-07T13:00:00Z', 'mine', 'REFUSED')], wednesday, 1, PARIS, 'STAFF')).toBeNull();
    expect(weekRefusal([visit('2026-12-07T13:00:00Z', 'mine', 'DONE')], wednesday, 1, PARIS, 'STAFF')?.code).toBe('ENTITLEMENT_USED');
  });

  it('says the detainee is busy at that time when the week still has room', () => {
    expect(weekRefusal([visit('2026-12-09T13:30:00Z')], wednesday, 3, PARIS, 'STAFF')).toEqual({
      code: 'DETAINEE_BUSY',
      message: 'La personne détenue a déjà une visite à ce moment-là. Choisissez un autre créneau.',
    });
    expect(weekRefusal([visit('2026-12-09T14:00:00Z')], wednesday, 3, PARIS, 'STAFF')).toBeNull();
  });

  it('says what to do about a suspended or withdrawn permit, in the reader’s words: the family’s language, the visiting room’s French', () => {
    const place = visitPlace({ ...template, roomKind: 'ORDINARY' }, '2026-12-09');
    const family = { familyId: 'mine' };
    expect(permitsRefusal([adult, { ...adult, status: 'SUSPENDED' }], place, family)).toEqual({
      code: 'PERMIT_SUSPENDED',
      message:
        'Un des permis est suspendu : son titulaire ne peut pas venir pour l’instant. La lettre de l’établissement dit pourquoi et jusqu’à quand. Pour une question, appelez le parloir.',
    });
    expect(permitsRefusal([{ ...adult, status: 'WITHDRAWN' }], place, family)?.message).toBe(
      'Un des permis est retiré : son titulaire ne peut plus venir. La lettre de l’établissement dit pourquoi et comment contester la décision. Pour une question, appelez le parloir.',
    );
    expect(inLanguage('en', () => permitsRefusal([{ ...adult, status: 'SUSPENDED' }], place, family)?.message)).toBe(
      'One of the permits is suspended: its holder cannot come for now. The prison’s letter says why and until when. If you have a question, call the visiting room.',
    );
    // The visiting room reads French whatever the language, with where the measure is.
    expect(inLanguage('en', () => permitsRefusal([{ ...adult, status: 'SUSPENDED' }], place, 'STAFF')?.message)).toBe(
      'Un des permis est suspendu : son titulaire ne peut pas venir pendant la suspension. La mesure et sa durée sont sur la fiche du permis.',
    );
    expect(permitsRefusal([{ ...adult, status: 'WITHDRAWN' }], place, 'STAFF')?.message).toBe(
      'Un des permis est retiré : son titulaire ne peut plus venir. La décision est sur la fiche du permis.',
    );
    expect(permitsRefusal([{ ...adult, validTo: '2026-12-08' }], place, 'STAFF')?.message).toBe(
      'Un des permis est expiré : il n’était valable que jusqu’au 08/12/2026.',
    );
    expect(permitsRefusal([adult], place, 'STAFF')).toBeNull();
  });

  it('gives the booking’s first refusal, in its order: closed day, detainee gone, permit, visitors, week, places', () => {
    expect(slotRefusal(request())).toBeNull();
    const closed = { code: 'CLOSED' as const, message: 'Parloir fermé ce jour-là : travaux' };
    expect(slotRefusal(request({ closed, free: 0 }))).toEqual(closed);
    expect(slotRefusal(request({ visits: null }))?.code).toBe('NO_DETAINEE');
    expect(slotRefusal(request({ permits: [{ ...adult, status: 'SUSPENDED' }], free: 0 }))?.code).toBe('PERMIT_SUSPENDED');
    expect(slotRefusal(request({ permits: [{ ...adult, roomCondition: 'SEPARATION' }] }))?.code).toBe('PERMIT_CONDITIONS');
    expect(slotRefusal(request({ permits: [{ ...adult, validTo: '2026-12-08' }] }))?.code).toBe('PERMIT_EXPIRED');
    expect(slotRefusal(request({ permits: [{ ...adult, birthdate: '2015-06-01' }] }))).toEqual({
      code: 'MINOR_ALONE',
      message:
        'Un enfant de moins de 16 ans vient accompagné d’un adulte titulaire d’un permis de visite. Choisissez aussi un adulte qui vient avec lui.',
    });
    // 18 on the visit's day: the same child may come alone from that day on.
    expect(slotRefusal(request({ permits: [{ ...adult, birthdate: '2008-12-09' }] }))).toBeNull();
    expect(slotRefusal(request({ permits: [{ ...adult, birthdate: '2008-12-10' }] }))?.code).toBe('MINOR_CONSENT');
    expect(slotRefusal(request({ permits: [{ ...adult, birthdate: '2008-12-10', unaccompaniedConsent: true }] }))).toBeNull();
    expect(slotRefusal(request({ visits: [visit('2026-12-10T13:00:00Z')], free: 0 }))?.code).toBe('ENTITLEMENT_USED');
    expect(slotRefusal(request({ free: 0 }))?.code).toBe('FULL');
  });

  it('groups slots by day under a French heading; a day whose slots share one reason says it once', () => {
    expect(dayLabel('2026-11-24')).toBe('mardi 24 novembre');
    const slot = (day: string, refusal: string | null, waitlist = false) => ({
      day,
      refusal: refusal === null ? null : { message: refusal },
      waitlist,
    });
    const days = slotsByDay([
      slot('2026-11-24', null),
      slot('2026-11-24', 'Complet'),
      slot('2026-11-25', 'Semaine déjà utilisée'),
      slot('2026-11-25', 'Semaine déjà utilisée'),
      slot('2026-11-26', 'Complet', true),
    ]);
    expect(days.map((d) => [d.label, d.slots.length, d.unavailable])).toEqual([
      ['mardi 24 novembre', 2, null],
      ['mercredi 25 novembre', 2, 'Semaine déjà utilisée'],
      ['jeudi 26 novembre', 1, null], // its waiting list is offered: the slot stays shown
    ]);
  });

  it('finds a name typed without accents, marks or order, in any script', () => {
    expect(nameMatches('lukasz wis', 'Łukasz Wiśniewski')).toBe(true);
    expect(nameMatches('WISNIEWSKI', 'Łukasz Wiśniewski')).toBe(true);
    expect(nameMatches('sukru', 'Şükrü Yılmaz')).toBe(true);
    expect(nameMatches('nguyen van', 'Văn An Nguyễn')).toBe(true);
    expect(nameMatches('احمد', 'أحمد Haddad')).toBe(true);
    expect(nameMatches('niewski', 'Łukasz Wiśniewski')).toBe(false); // words begin, they are not searched inside
    expect(nameMatches('lukasz nowak', 'Łukasz Wiśniewski')).toBe(false);
    expect(nameMatches('  - ', 'Łukasz Wiśniewski')).toBe(false);
  });
});
