import { daysLeft, decisionDeadline, isMinor, namesMatch, parseBirthdate, RECOURSE_MENTION } from './permit.rules';

describe('permit rules', () => {
  it('flags minors from the birth date', () => {
    const today = new Date('2026-11-22T10:00:00Z');
    expect(isMinor('2008-11-23', today)).toBe(true);
    expect(isMinor('2008-11-22', today)).toBe(false);
  });

  it('matches the detainee name whatever the case, accents and hyphens', () => {
    expect(namesMatch('lefevre', 'Lefèvre')).toBe(true);
    expect(namesMatch('  N DIAYE ', 'N’Diaye')).toBe(true);
    expect(namesMatch('Lefort', 'Lefèvre')).toBe(false);
    expect(namesMatch('', 'Lefèvre')).toBe(false);
  });

  it('reads birth dates, refusing impossible and future ones', () => {
    const today = new Date('2026-11-22T10:00:00Z');
    expect(parseBirthdate('14/03/2015', today)).toBe('2015-03-14');
    expect(parseBirthdate('2015-03-14', today)).toBe('2015-03-14');
    expect(parseBirthdate('31/02/2015', today)).toBeNull();
    expect(parseBirthdate('01/01/2030', today)).toBeNull();
  });

  it('sets the decision deadline 2 months after the request is complete, month ends included', () => {
    expect(decisionDeadline(new Date('2026-12-31T10:00:00Z')).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(daysLeft(new Date('2026-11-01T10:00:00Z'), new Date('2026-12-25T10:00:00Z'))).toBe(7);
  });

  it('carries the verbatim R. 421-1 recourse mention', () => {
    expect(RECOURSE_MENTION).toBe(
      "En application des dispositions de l'article R. 421-1 du code de justice administrative, vous disposez d'un délai de 2 mois " +
        "à compter de la réception de la présente décision pour saisir le tribunal administratif territorialement compétent d'un éventuel recours.",
    );
  });
});
