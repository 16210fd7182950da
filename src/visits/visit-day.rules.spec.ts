import {
  canCheck,
  checkError,
  matchPermit,
  median,
  offerExpiry,
  parseGenesisVisitList,
  statusAfterChecks,
  tokenFromScan,
} from './visit-day.rules';

describe('arrival check', () => {
  it('puts a visit en cours as soon as one visitor has arrived', () => {
    expect(statusAfterChecks('BOOKED', ['ARRIVED', null])).toBe('IN_PROGRESS');
    expect(statusAfterChecks('BOOKED', ['REFUSED', 'ARRIVED'])).toBe('IN_PROGRESS');
  });

  it('waits for every visitor before calling the visit a no-show, or refused when one was refused', () => {
    expect(statusAfterChecks('BOOKED', ['ABSENT', null])).toBe('BOOKED');
    expect(statusAfterChecks('BOOKED', ['ABSENT', 'ABSENT'])).toBe('NO_SHOW');
    expect(statusAfterChecks('BOOKED', ['ABSENT', 'REFUSED'])).toBe('REFUSED');
  });

  it('goes back when a check is corrected, and never reopens a finished visit', () => {
    expect(statusAfterChecks('NO_SHOW', ['ARRIVED'])).toBe('IN_PROGRESS');
    expect(statusAfterChecks('IN_PROGRESS', ['ABSENT'])).toBe('NO_SHOW');
    expect(statusAfterChecks('DONE', ['ABSENT'])).toBe('DONE');
  });

  it('checks on the day of the visit or after, never ahead', () => {
    expect(canCheck('2026-11-22', '2026-11-22')).toBe(true);
    expect(canCheck('2026-11-21', '2026-11-22')).toBe(true);
    expect(canCheck('2026-11-23', '2026-11-22')).toBe(false);
  });

  it('requires one of the listed reasons for a refusal', () => {
    expect(checkError('ARRIVED', undefined)).toBeNull();
    expect(checkError('REFUSED', undefined)).toBe('Indiquez le motif du refus.');
    expect(checkError('REFUSED', 'BORED')).toBe('Indiquez le motif du refus.');
    expect(checkError('REFUSED', 'NO_ID')).toBeNull();
    expect(checkError('LOST', undefined)).toBe('Choisissez arrivé, absent ou refusé.');
  });
});

describe('waiting list offers', () => {
  const startsAt = new Date('2026-11-28T13:00:00Z');
  it('holds a freed place for the configured time', () => {
    expect(offerExpiry(new Date('2026-11-25T10:00:00Z'), startsAt, 12)).toEqual(new Date('2026-11-25T22:00:00Z'));
  });
  it('ends the offer one hour before the visit at the latest', () => {
    expect(offerExpiry(new Date('2026-11-28T08:00:00Z'), startsAt, 12)).toEqual(new Date('2026-11-28T12:00:00Z'));
  });
  it('makes no offer when less than 30 minutes would be left to answer', () => {
    expect(offerExpiry(new Date('2026-11-28T11:40:00Z'), startsAt, 12)).toBeNull();
  });
});

describe('statistics', () => {
  it('takes the median of an odd and an even number of values, none for no values', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 20, 30])).toBe(25);
    expect(median([])).toBeNull();
  });
});

describe('convocation QR codes', () => {
  const token = 'P2VV.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB';
  it('reads the token alone or inside the link it encodes', () => {
    expect(tokenFromScan(token)).toBe(token);
    expect(tokenFromScan(`https://p2v.example/parloir/convocation/${token}`)).toBe(token);
    expect(tokenFromScan('DUPONT')).toBeNull();
  });
});

describe('GENESIS daily visit list', () => {
  const header = 'date_visite;heure_debut;heure_fin;parloir;numero_ecrou;nom_visiteur;prenom_visiteur;date_naissance_visiteur';
  it('groups the visitors of the same detainee at the same time into one visit', () => {
    const { entries, errors } = parseGenesisVisitList(
      [
        header,
        '28/11/2026;14:00;15:00;Parloir 1;10001;Benali;Amina;12/04/1985',
        '28/11/2026;14:00;15:00;Parloir 1;10001;Benali;Yasmine;03/09/2012',
        '28/11/2026;15h30;16:30;Parloir 1;10008;Martin;Pierre;20/02/1958',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ day: '2026-11-28', start: '14:00', end: '15:00', ecrou: '10001', lines: [2, 3] });
    expect(entries[0].visitors.map((v) => v.givenName)).toEqual(['Amina', 'Yasmine']);
    expect(entries[1].start).toBe('15:30');
  });

  it('says which line is wrong and why, in French', () => {
    const { entries, errors } = parseGenesisVisitList([header, '31/02/2026;14:00;13:00;;X!;;Amina;1985'].join('\n'));
    expect(entries).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(2);
    expect(errors[0].message).toContain('date de visite invalide « 31/02/2026 »');
    expect(errors[0].message).toContain('l’heure de fin doit suivre l’heure de début');
    expect(errors[0].message).toContain('parloir manquant');
    expect(errors[0].message).toContain('numéro d’écrou manquant ou invalide');
    expect(errors[0].message).toContain('nom ou prénom du visiteur manquant');
  });

  it('names the missing columns', () => {
    expect(parseGenesisVisitList('date_visite;parloir\n28/11/2026;P').errors[0].message).toBe(
      'Colonnes manquantes dans l’en-tête : heure_debut, heure_fin, numero_ecrou, nom_visiteur, prenom_visiteur, date_naissance_visiteur',
    );
  });

  it('matches a visitor to a permit by names and birth date, ignoring accents, case and hyphens', () => {
    const permits = [
      { id: 'p1', visitorFamilyName: 'Lefèvre-Durand', visitorGivenName: 'Hélène', birthdate: '1980-05-01' },
      { id: 'p2', visitorFamilyName: 'Lefèvre-Durand', visitorGivenName: 'Hélène', birthdate: '2010-05-01' },
    ];
    expect(matchPermit({ line: 2, familyName: 'LEFEVRE DURAND', givenName: 'helene', birthdate: '1980-05-01' }, permits)?.id).toBe('p1');
    expect(matchPermit({ line: 2, familyName: 'LEFEVRE DURAND', givenName: 'helene', birthdate: '1981-05-01' }, permits)).toBeNull();
  });
});
