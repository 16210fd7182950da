import {
  accessInForce,
  availableCents,
  creditCents,
  decisionProblem,
  endOfLocalDay,
  lastDay,
  liftProblem,
  motivationText,
  phoneDisplay,
  phoneE164,
  phoneSearchDigits,
  sanctionInForce,
} from './record.rules';

describe('the video-call record rules', () => {
  it('writes a French or foreign number in E.164 and refuses what is not a number', () => {
    expect(phoneE164('06 12 34 56 78')).toBe('+33612345678');
    expect(phoneE164('+48 512 345 678')).toBe('+48512345678');
    expect(phoneE164('0612')).toBeNull();
    expect(phoneE164('bonjour')).toBeNull();
  });

  it('reads a credit in euros with a comma, more than zero and at most 1 000 €', () => {
    expect(creditCents('25,50')).toBe(2550);
    expect(creditCents('25,5')).toBe(2550);
    expect(creditCents('10')).toBe(1000);
    expect(creditCents('1000')).toBe(100_000);
    expect(creditCents('1000,01')).toBeNull();
    expect(creditCents('0')).toBeNull();
    expect(creditCents('-5')).toBeNull();
    expect(creditCents('12,345')).toBeNull();
  });

  it('makes available the balance less what is blocked', () => {
    expect(availableCents({ balanceCents: 2000, blockedCents: 914 })).toBe(1086);
  });

  it('holds the latest decision, a suspension ending on its day', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(accessInForce(null, now)).toBe('ACTIVE');
    expect(accessInForce({ status: 'WITHDRAWN', suspendedUntil: null }, now)).toBe('WITHDRAWN');
    expect(accessInForce({ status: 'SUSPENDED', suspendedUntil: new Date('2026-11-24T00:00:00Z') }, now)).toBe('SUSPENDED');
    expect(accessInForce({ status: 'SUSPENDED', suspendedUntil: now }, now)).toBe('ACTIVE');
  });

  it('asks a ground for every restriction, an end day for a suspension, and restores only a closed access', () => {
    const today = '2026-11-23';
    expect(decisionProblem('REFUSE', 'ACTIVE', { ground: null, untilDay: null, today })?.field).toBe('ground');
    expect(decisionProblem('SUSPEND', 'ACTIVE', { ground: 'SECURITY', untilDay: null, today })?.field).toBe('until');
    expect(decisionProblem('SUSPEND', 'ACTIVE', { ground: 'SECURITY', untilDay: '2026-11-22', today })?.field).toBe('until');
    expect(decisionProblem('SUSPEND', 'ACTIVE', { ground: 'SECURITY', untilDay: today, today })).toBeNull();
    expect(decisionProblem('RESTORE', 'ACTIVE', { ground: null, untilDay: null, today })?.field).toBe('decision');
    expect(decisionProblem('RESTORE', 'WITHDRAWN', { ground: null, untilDay: null, today })).toBeNull();
  });

  it('ends a day at the next local midnight', () => {
    expect(endOfLocalDay('2026-11-30', 'Europe/Paris').toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(endOfLocalDay('2026-07-31', 'Europe/Paris').toISOString()).toBe('2026-07-31T22:00:00.000Z');
    expect(endOfLocalDay('2026-12-31', 'America/Cayenne').toISOString()).toBe('2027-01-01T03:00:00.000Z');
    expect(lastDay(endOfLocalDay('2026-11-30', 'Europe/Paris'), 'Europe/Paris')).toBe('2026-11-30');
  });

  it('keeps a sanction in force until its end, or always without one', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(sanctionInForce({ until: null, liftedAt: null }, now)).toBe(true);
    expect(sanctionInForce({ until: new Date('2026-11-23T12:00:01Z'), liftedAt: null }, now)).toBe(true);
    expect(sanctionInForce({ until: now, liftedAt: null }, now)).toBe(false);
  });

  it('ends a lifted sanction when it is lifted, and lifts only a sanction in force, once', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const before = new Date('2026-11-23T11:00:00Z');
    expect(sanctionInForce({ until: null, liftedAt: before }, now)).toBe(false);
    expect(sanctionInForce({ until: null, liftedAt: now }, now)).toBe(false);
    expect(sanctionInForce({ until: null, liftedAt: new Date('2026-11-23T12:00:01Z') }, now)).toBe(true);
    expect(liftProblem({ until: null, liftedAt: null }, now)).toBeNull();
    expect(liftProblem({ until: new Date('2026-12-01T00:00:00Z'), liftedAt: null }, now)).toBeNull();
    expect(liftProblem({ until: null, liftedAt: before }, now)).toBe('Cette sanction est déjà levée : il n’y a rien à lever.');
    expect(liftProblem({ until: before, liftedAt: null }, now)).toBe('Cette sanction a pris fin : il n’y a rien à lever.');
  });

  it('shows a number as people read it and finds a number by its digits', () => {
    expect(phoneDisplay('+33698765432')).toBe('06 98 76 54 32');
    expect(phoneDisplay('+48512345678')).toBe('+48 512 345 678');
    expect(phoneSearchDigits('')).toBe('');
    expect(phoneSearchDigits('06 98 76 54 32')).toBe('33698765432');
    expect(phoneSearchDigits('+48 512 345 678')).toBe('48512345678');
    expect(phoneSearchDigits('06 98')).toBe('698');
    expect(phoneSearchDigits('+48 51')).toBe('4851');
    expect(phoneSearchDigits('54 32')).toBe('5432');
    expect(phoneSearchDigits('Haddad')).toBeNull();
  });

  it('writes the motivation as the ground then the words', () => {
    expect(motivationText('CHARTER', ' Appel à un numéro non autorisé ')).toBe(
      'Non-respect de la charte d’utilisation — Appel à un numéro non autorisé',
    );
    expect(motivationText(null, 'Fin de la mesure')).toBe('Fin de la mesure');
  });
});
