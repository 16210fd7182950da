import { maxVisitsRefusal, restrictions } from './permit-conditions.rules';
import type { PermitTerms } from './permit.queries';

const plain: PermitTerms = {
  maxVisits: null,
  roomCondition: null,
  allowedDays: null,
  allowedFrom: null,
  allowedTo: null,
  conditionsNote: null,
};

describe('restrictions of a permit’s terms', () => {
  it('a new or lower number of visits, a new room, fewer days, narrower hours, a new note restrict', () => {
    expect(restrictions(plain, { ...plain, maxVisits: 5 })).toEqual(['nombre de visites réduit']);
    expect(restrictions({ ...plain, maxVisits: 5 }, { ...plain, maxVisits: 4 })).toEqual(['nombre de visites réduit']);
    expect(restrictions(plain, { ...plain, roomCondition: 'SEPARATION' })).toEqual(['parloir imposé']);
    expect(restrictions({ ...plain, roomCondition: 'ACCESSIBLE' }, { ...plain, roomCondition: 'SEPARATION' })).toEqual(['parloir imposé']);
    expect(restrictions(plain, { ...plain, allowedDays: [3, 6] })).toEqual(['jours de visite réduits']);
    expect(restrictions({ ...plain, allowedDays: [3, 6] }, { ...plain, allowedDays: [3] })).toEqual(['jours de visite réduits']);
    expect(restrictions(plain, { ...plain, allowedFrom: '09:00', allowedTo: '12:00' })).toEqual(['heures de visite réduites']);
    expect(
      restrictions({ ...plain, allowedFrom: '09:00', allowedTo: '12:00' }, { ...plain, allowedFrom: '10:00', allowedTo: '12:00' }),
    ).toEqual(['heures de visite réduites']);
    expect(restrictions(plain, { ...plain, conditionsNote: 'Aucun objet remis' })).toEqual(['nouvelle condition']);
  });

  it('more visits, no limit, no room, more days, wider hours, no note loosen', () => {
    expect(restrictions({ ...plain, maxVisits: 3 }, { ...plain, maxVisits: 5 })).toEqual([]);
    expect(restrictions({ ...plain, maxVisits: 3 }, plain)).toEqual([]);
    expect(restrictions({ ...plain, roomCondition: 'SEPARATION' }, plain)).toEqual([]);
    expect(restrictions({ ...plain, allowedDays: [3] }, { ...plain, allowedDays: [3, 6] })).toEqual([]);
    expect(restrictions({ ...plain, allowedDays: [3] }, { ...plain, allowedDays: [1, 2, 3, 4, 5, 6, 7] })).toEqual([]);
    expect(
      restrictions({ ...plain, allowedFrom: '10:00', allowedTo: '12:00' }, { ...plain, allowedFrom: '09:00', allowedTo: '13:00' }),
    ).toEqual([]);
    expect(restrictions({ ...plain, conditionsNote: 'Aucun objet remis' }, plain)).toEqual([]);
  });
});

describe('the number of visits of a permit already used', () => {
  it('must leave at least one visit', () => {
    expect(maxVisitsRefusal(2, 2)).toBe(
      'Ce permis a déjà servi pour 2 visites : indiquez au moins 3 visites (ou laissez vide : sans limite).',
    );
    expect(maxVisitsRefusal(1, 1)).toBe(
      'Ce permis a déjà servi pour 1 visite : indiquez au moins 2 visites (ou laissez vide : sans limite).',
    );
    expect(maxVisitsRefusal(3, 2)).toBeNull();
    expect(maxVisitsRefusal(null, 9)).toBeNull();
    expect(maxVisitsRefusal(1, 0)).toBeNull();
  });
});
