import { foldName, samePerson } from './person-match';

describe('person match (no-contact orders)', () => {
  it('folds case, accents, hyphens and Ł, and keeps Arabic letters', () => {
    expect(foldName('Łukasz')).toBe(foldName('LUKASZ'));
    expect(foldName('Nguyễn-Şahin')).toBe(foldName('nguyen sahin'));
    expect(foldName('محمد')).toBe('محمد');
    expect(foldName('محمد')).not.toBe(foldName('أحمد'));
  });

  it('matches the same names, with equal birth dates when both are known', () => {
    const order = { givenName: 'محمد', familyName: 'Wałęsa', birthdate: null };
    expect(samePerson(order, { givenName: 'محمد', familyName: 'WALESA', birthdate: '1990-01-02' })).toBe(true);
    expect(samePerson(order, { givenName: 'أحمد', familyName: 'Wałęsa', birthdate: null })).toBe(false);
    const dated = { ...order, birthdate: '1990-01-02' };
    expect(samePerson(dated, { givenName: 'محمد', familyName: 'Walesa', birthdate: '1990-01-03' })).toBe(false);
    expect(samePerson(dated, { givenName: 'محمد', familyName: 'Walesa', birthdate: '1990-01-02' })).toBe(true);
    expect(samePerson({ givenName: '', familyName: '', birthdate: null }, { givenName: '', familyName: '', birthdate: null })).toBe(false);
  });
});
