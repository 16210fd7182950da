import { newReference } from '../common/reference';
import { calendarLocation, practicalDetails, reasonNotToRemind, whenLabel, whenShort, zoneNote } from './appointment.rules';

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

describe('the practical information of an appointment', () => {
  const source = {
    establishmentCode: 'CPNORD',
    postalAddress: '1 rue de la Paix\n59000 Lille',
    parloirPhone: '+33320123456',
    parloirHours: 'Mardi : 8 h – 12 h\n\nJeudi : 14 h – 17 h',
  };

  it('gives a visit the address on one line, the parloir phone as dialled, its hours and the page', () => {
    expect(practicalDetails({ ...source, kind: 'VISIT' })).toEqual({
      postalAddress: '1 rue de la Paix, 59000 Lille',
      parloirPhone: '03 20 12 34 56',
      parloirHours: 'Mardi : 8 h – 12 h ; Jeudi : 14 h – 17 h',
      infoPath: '/etablissements/CPNORD/infos-pratiques',
    });
  });

  it('gives no parloir phone to an interview, nothing to a video call, and null for what is not given', () => {
    expect(practicalDetails({ ...source, kind: 'SPIP_INTERVIEW' })).toMatchObject({ parloirPhone: null, parloirHours: null });
    expect(practicalDetails({ ...source, kind: 'VIDEO_CALL' })).toEqual({
      postalAddress: null,
      parloirPhone: null,
      parloirHours: null,
      infoPath: null,
    });
    expect(
      practicalDetails({ kind: 'VISIT', establishmentCode: 'X1', postalAddress: null, parloirPhone: null, parloirHours: null }),
    ).toMatchObject({
      postalAddress: null,
      parloirPhone: null,
      parloirHours: null,
    });
  });

  it('puts the postal address in the calendar location once', () => {
    expect(calendarLocation({ place: 'Parloir 1', address: 'CP de Lille' }, '1 rue de la Paix, 59000 Lille')).toBe(
      'Parloir 1, CP de Lille, 1 rue de la Paix, 59000 Lille',
    );
    expect(calendarLocation({ place: 'SPIP', address: '1 rue de la Paix' }, '1 rue de la Paix')).toBe('SPIP, 1 rue de la Paix');
    expect(calendarLocation({ place: 'Parloir 1', address: 'CP de Lille' }, null)).toBe('Parloir 1, CP de Lille');
  });
});
