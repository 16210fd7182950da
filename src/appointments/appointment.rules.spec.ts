import { newReference } from '../common/reference';
import { reasonNotToRemind, whenLabel, whenShort, zoneNote } from './appointment.rules';

describe('appointment labels', () => {
  it('says dates in Europe/Paris, winter and summer time', () => {
    expect(whenLabel(new Date('2026-11-24T13:30:00Z'))).toBe('mardi 24 novembre 2026 à 14 h 30');
    expect(whenLabel(new Date('2026-07-14T08:00:00Z'))).toBe('mardi 14 juillet 2026 à 10 h 00');
    expect(whenShort(new Date('2026-11-24T13:30:00Z'))).toBe('24/11 à 14h30');
  });
  it('makes 8-character references without ambiguous characters', () => {
    const ref = newReference();
    expect(ref).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
  });
});

describe('times on the establishment’s clock', () => {
  it('says an overseas appointment in local time, and which clock it is', () => {
    const instant = new Date('2026-11-24T13:30:00Z');
    expect(whenLabel(instant, 'America/Guadeloupe')).toBe('mardi 24 novembre 2026 à 09 h 30');
    expect(whenShort(instant, 'Indian/Reunion')).toBe('24/11 à 17h30');
    expect(whenLabel(new Date('2026-11-24T23:30:00Z'), 'Pacific/Noumea')).toBe('mercredi 25 novembre 2026 à 10 h 30');
    expect(zoneNote('Europe/Paris')).toBe('heure de Paris');
    expect(zoneNote('America/Cayenne')).toBe('heure locale');
  });
});

describe('re-checking a reminder before it goes', () => {
  const now = new Date('2026-12-10T09:00:00Z');
  it('sends it for a booked appointment still to come, says why not otherwise', () => {
    expect(reasonNotToRemind({ status: 'BOOKED', startsAt: new Date('2026-12-10T13:30:00Z') }, now)).toBeNull();
    expect(reasonNotToRemind({ status: 'CANCELLED', startsAt: new Date('2026-12-10T13:30:00Z') }, now)).toBe('Rendez-vous annulé');
    expect(reasonNotToRemind({ status: 'BOOKED', startsAt: now }, now)).toBe('Rendez-vous déjà passé');
    expect(reasonNotToRemind(null, now)).toBe('Rendez-vous introuvable');
  });
});
