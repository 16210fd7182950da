import {
  conditionsRefusal,
  conditionsText,
  limitsText,
  type PermitInUse,
  permitRefusal,
  permitState,
  termsView,
  type VisitPlace,
} from './permit-validity';

const permit = (over: Partial<PermitInUse> = {}): PermitInUse => ({
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
  ...over,
});

/** Wednesday 2 December 2026, 14:00–15:00, in an ordinary room. */
const place = (over: Partial<VisitPlace> = {}): VisitPlace => ({
  day: '2026-12-02',
  startTime: '14:00',
  endTime: '15:00',
  isoDay: 3,
  roomKind: 'ORDINARY',
  ...over,
});

describe('permitState', () => {
  it('is expired after its end date, and from its last visit on', () => {
    expect(permitState(permit({ validTo: '2026-12-01' }), '2026-12-01')).toBe('ACTIVE');
    expect(permitState(permit({ validTo: '2026-12-01' }), '2026-12-02')).toBe('EXPIRED');
    expect(permitState(permit({ maxVisits: 2, visitsUsed: 2 }), '2026-12-02')).toBe('EXPIRED');
    expect(permitState(permit({ validFrom: '2026-12-03' }), '2026-12-02')).toBe('NOT_YET_VALID');
  });

  it('keeps the stored status of a permit that is not active (on hold, suspended, withdrawn)', () => {
    expect(permitState(permit({ status: 'ON_HOLD', validTo: '2020-01-01' }), '2026-12-02')).toBe('ON_HOLD');
  });
});

describe('permitRefusal', () => {
  it('allows a permanent permit without conditions', () => {
    expect(permitRefusal(permit(), place())).toBeNull();
  });

  it('refuses a suspended, withdrawn or on-hold permit with the messages the pages show', () => {
    expect(permitRefusal(permit({ status: 'SUSPENDED' }), place())).toEqual({
      code: 'PERMIT_SUSPENDED',
      message: 'Un des permis est suspendu.',
    });
    expect(permitRefusal(permit({ status: 'WITHDRAWN' }), place())?.message).toBe('Un des permis est retiré.');
    expect(permitRefusal(permit({ status: 'ON_HOLD' }), place())).toEqual({
      code: 'PERMIT_ON_HOLD',
      message: 'Un des permis est en attente de la réponse du magistrat : aucune visite n’est possible pour l’instant.',
    });
  });

  it('refuses a visit after the end date or before the start, and allows the last day', () => {
    expect(permitRefusal(permit({ validTo: '2026-12-01' }), place())).toEqual({
      code: 'PERMIT_EXPIRED',
      message: 'Un des permis est expiré : il n’était valable que jusqu’au 01/12/2026.',
    });
    expect(permitRefusal(permit({ validTo: '2026-12-02' }), place())).toBeNull();
    expect(permitRefusal(permit({ validFrom: '2026-12-03' }), place())?.code).toBe('PERMIT_NOT_YET_VALID');
  });

  it('refuses once the number of visits is used up', () => {
    expect(permitRefusal(permit({ maxVisits: 1, visitsUsed: 0 }), place())).toBeNull();
    expect(permitRefusal(permit({ maxVisits: 1, visitsUsed: 1 }), place())).toEqual({
      code: 'PERMIT_USED_UP',
      message: 'Un des permis ne permet que 1 visite : elle est déjà réservée ou faite.',
    });
    expect(permitRefusal(permit({ maxVisits: 3, visitsUsed: 3 }), place())?.message).toBe(
      'Un des permis ne permet que 3 visites : elles sont toutes réservées ou faites.',
    );
  });

  it('names the permit as the caller says (the door: « Le permis de ce visiteur »)', () => {
    expect(permitRefusal(permit({ roomCondition: 'SEPARATION' }), place(), 'Le permis de ce visiteur')?.message).toBe(
      'Le permis de ce visiteur impose un parloir particulier : parloir avec dispositif de séparation.',
    );
  });
});

describe('conditionsRefusal', () => {
  it('requires the room kind the permit imposes', () => {
    const separation = permit({ roomCondition: 'SEPARATION' });
    expect(conditionsRefusal(separation, place())?.code).toBe('PERMIT_CONDITIONS');
    expect(conditionsRefusal(separation, place({ roomKind: 'SEPARATION' }))).toBeNull();
    expect(conditionsRefusal(permit({ roomCondition: 'ACCESSIBLE' }), place({ roomKind: 'SEPARATION' }))).not.toBeNull();
  });

  it('allows only the days and hours the permit names (the visit must end by the end hour)', () => {
    const weekend = permit({ allowedDays: [6, 7] });
    expect(conditionsRefusal(weekend, place())?.message).toBe('Un des permis ne permet pas de visite ce jour-là.');
    expect(conditionsRefusal(weekend, place({ day: '2026-12-05', isoDay: 6 }))).toBeNull();
    const mornings = permit({ allowedFrom: '09:00:00', allowedTo: '12:00:00' });
    expect(conditionsRefusal(mornings, place())?.message).toBe('Un des permis ne permet de visite que de 09 h 00 à 12 h 00.');
    expect(conditionsRefusal(mornings, place({ startTime: '11:00', endTime: '12:00' }))).toBeNull();
    expect(conditionsRefusal(mornings, place({ startTime: '11:30', endTime: '12:30' }))).not.toBeNull();
    expect(conditionsRefusal(mornings, place({ startTime: '08:30', endTime: '09:30' }))).not.toBeNull();
  });
});

describe('texts', () => {
  it('says the limits and conditions in plain French', () => {
    expect(limitsText(permit())).toBe('Permanent');
    expect(limitsText(permit({ validTo: '2026-12-31', maxVisits: 3, visitsUsed: 1 }))).toBe(
      'Limité : jusqu’au 31/12/2026, 3 visites (1 utilisée)',
    );
    expect(
      conditionsText(
        permit({
          roomCondition: 'SEPARATION',
          allowedDays: [3, 1],
          allowedFrom: '09:00',
          allowedTo: '12:00',
          conditionsNote: 'Sans objet remis',
        }),
      ),
    ).toEqual(['Parloir avec dispositif de séparation', 'Jours : lundi, mercredi', 'Heures : de 09 h 00 à 12 h 00', 'Sans objet remis']);
  });

  it('gives the page the state on the day, with its label', () => {
    expect(termsView(permit({ validTo: '2026-12-01' }), '2026-12-02')).toMatchObject({
      state: 'EXPIRED',
      stateLabel: 'Expiré',
      limits: 'Limité : jusqu’au 01/12/2026',
    });
  });
});
