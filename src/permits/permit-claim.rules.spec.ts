import { claimName, identityMatches, sameName } from './permit-claim.rules';

describe('claiming a permit: the name comparison', () => {
  it('ignores case, Latin accents, hyphens, apostrophes and spaces', () => {
    expect(sameName('Lefèvre-Durand', 'LEFEVRE DURAND')).toBe(true);
    expect(sameName('N’Diaye', 'n diaye')).toBe(true);
    expect(sameName('Nguyễn-Şahin', 'NGUYEN SAHIN')).toBe(true);
    expect(sameName('Lefort', 'Lefèvre')).toBe(false);
  });

  it('folds the Latin letters whose accent is part of the letter (Ł, Ø, ß, Œ)', () => {
    expect(sameName('Łukasiewicz', 'LUKASIEWICZ')).toBe(true);
    expect(sameName('łucja', 'Łucja')).toBe(true);
    expect(sameName('Søren', 'Soren')).toBe(true);
    expect(sameName('Großmann', 'GROSSMANN')).toBe(true);
    expect(sameName('Œuvrard', 'Oeuvrard')).toBe(true);
  });

  it('keeps the letters of other scripts: Arabic, Cyrillic and Greek names compare as written, never as empty', () => {
    expect(claimName('محمد')).toBe('محمد');
    expect(sameName('محمد', 'محمد')).toBe(true);
    expect(sameName('محمد', 'أحمد')).toBe(false);
    expect(sameName('Иванова', 'ИВАНОВА')).toBe(true);
    expect(sameName('Παπαδόπουλος', 'ΠΑΠΑΔΌΠΟΥΛΟΣ')).toBe(true);
    expect(sameName('Иванова', 'Петрова')).toBe(false);
  });

  it('compares composed and decomposed forms of the same text alike', () => {
    expect(sameName('Nguye\u0302\u0303n', 'Nguyễn')).toBe(true);
    expect(sameName('\u0622', '\u0627\u0653')).toBe(true); // Arabic alef with madda, composed and not
  });

  it('never matches an empty or punctuation-only name', () => {
    expect(sameName('', '')).toBe(false);
    expect(sameName(' - ', '-')).toBe(false);
  });
});

describe('claiming a permit: the identity', () => {
  const visitor = { givenName: 'Łucja', familyName: 'Nguyễn-Şahin', birthdate: '1985-03-14' };

  it('matches the FranceConnect identity with all its given names or only the first', () => {
    expect(identityMatches(visitor, { givenName: 'LUCJA', familyName: 'Nguyen Sahin', birthdate: '1985-03-14' })).toBe(true);
    expect(identityMatches(visitor, { givenName: 'Łucja Maria', familyName: 'NGUYỄN-ŞAHIN', birthdate: '1985-03-14' })).toBe(true);
  });

  it('refuses another birth date, another family name, another first given name, or no birth date', () => {
    expect(identityMatches(visitor, { ...visitor, birthdate: '1985-03-15' })).toBe(false);
    expect(identityMatches(visitor, { ...visitor, birthdate: null })).toBe(false);
    expect(identityMatches(visitor, { ...visitor, familyName: 'Nguyễn' })).toBe(false);
    expect(identityMatches(visitor, { ...visitor, givenName: 'Maria Łucja' })).toBe(false);
  });

  it('matches Arabic names written in Arabic script', () => {
    const arabic = { givenName: 'محمد', familyName: 'الحداد', birthdate: '1979-06-01' };
    expect(identityMatches(arabic, { ...arabic })).toBe(true);
    expect(identityMatches(arabic, { ...arabic, familyName: 'حداد' })).toBe(false);
  });
});
