import {
  competentAuthority,
  decisionParagraphs,
  enactRefusal,
  establishmentDay,
  intendedMeasureParagraphs,
  liftRefusal,
  OBSERVATIONS_DAYS,
  observationsDue,
  observationsOpen,
  parisDay,
  POSTAL_DAYS,
  observationsDays,
} from './permit-measures.rules';

describe('measures on a permit', () => {
  it('gives the holder 8 days to present observations, counted from the day the measure is proposed', () => {
    expect(OBSERVATIONS_DAYS).toBe(8);
    expect(observationsDue('2026-11-23')).toBe('2026-12-01');
    expect(observationsDue('2026-12-28')).toBe('2027-01-05');
    expect(parisDay(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
  });

  it('the magistrate is competent for a prévenu (or mixed) detainee, and for his permit until the head reviewed it after the conviction', () => {
    expect(competentAuthority({ origin: 'MAGISTRATE', legalStatus: 'PREVENU', headReviewDue: false })).toBe('MAGISTRATE');
    expect(competentAuthority({ origin: 'PAPER', legalStatus: 'MIXTE', headReviewDue: false })).toBe('MAGISTRATE');
    expect(competentAuthority({ origin: 'MAGISTRATE', legalStatus: 'CONDAMNE', headReviewDue: true })).toBe('MAGISTRATE');
    expect(competentAuthority({ origin: 'MAGISTRATE', legalStatus: 'CONDAMNE', headReviewDue: false })).toBe('HEAD');
    expect(competentAuthority({ origin: 'ONLINE', legalStatus: 'CONDAMNE', headReviewDue: false })).toBe('HEAD');
  });

  it('enacts only after the due day, or once observations arrived', () => {
    const proposed = { status: 'PROPOSED' as const, observationsDue: '2026-12-01', observationsAt: null };
    expect(enactRefusal(proposed, '2026-12-01')).toContain('jusqu’au 1 décembre 2026 inclus');
    expect(enactRefusal(proposed, '2026-12-02')).toBeNull();
    expect(enactRefusal({ ...proposed, observationsAt: new Date() }, '2026-11-24')).toBeNull();
    expect(enactRefusal({ ...proposed, status: 'ABANDONED' }, '2026-12-02')).toBe('Cette mesure n’est plus en attente.');
    expect(observationsOpen(proposed, '2026-12-01')).toBe(true);
    expect(observationsOpen(proposed, '2026-12-02')).toBe(false);
    expect(observationsOpen({ ...proposed, observationsAt: new Date() }, '2026-11-24')).toBe(false);
  });

  it('the letters say the measure, the grounds, the delay, and when urgency skipped the contradictory step', () => {
    const m = {
      kind: 'SUSPENSION' as const,
      visitor: 'Zoë ŁUKASIEWICZ',
      detainee: 'Şükrü Țurcanu',
      grounds: 'Incident grave.',
      suspendedUntil: '2027-01-31',
    };
    expect(intendedMeasureParagraphs(m, '2026-12-01').join(' ')).toContain('jusqu’au 1 décembre 2026 inclus');
    expect(intendedMeasureParagraphs(m, '2026-12-01')[0]).toContain(
      'la suspension de votre permis de visite jusqu’au 31 janvier 2027 inclus',
    );
    const urgent = decisionParagraphs(
      { ...m, kind: 'WITHDRAWAL' },
      { urgent: true, urgencyJustification: 'Menaces.', observationsReceived: false },
    );
    expect(urgent[0]).toContain('est retiré');
    expect(urgent[2]).toContain('En raison de l’urgence, la procédure contradictoire préalable');
    expect(urgent[2]).toContain('Menaces.');
    expect(decisionParagraphs(m, { urgent: false, observationsReceived: true })[2]).toContain('après examen des observations');
  });

  it('counts days in the establishment’s own time zone, not in Paris', () => {
    const at = new Date('2026-11-23T13:30:00Z');
    expect(parisDay(at)).toBe('2026-11-23');
    expect(establishmentDay(at, 'Pacific/Noumea')).toBe('2026-11-24');
    expect(establishmentDay(new Date('2026-11-24T02:00:00Z'), 'America/Cayenne')).toBe('2026-11-23');
  });

  it('a posted letter adds the postal delay to the observations delay', () => {
    expect(POSTAL_DAYS).toBe(7);
    expect(observationsDays(true)).toBe(OBSERVATIONS_DAYS);
    expect(observationsDays(false)).toBe(OBSERVATIONS_DAYS + 7);
    expect(observationsDue('2026-11-23', observationsDays(false))).toBe('2026-12-08');
    const m = {
      kind: 'WITHDRAWAL' as const,
      visitor: 'Zoë ŁUKASIEWICZ',
      detainee: 'Şükrü Țurcanu',
      grounds: 'Incident grave.',
      suspendedUntil: null,
    };
    expect(intendedMeasureParagraphs(m, '2026-12-08', { suspended: false, posted: true })[2]).toContain(
      'jusqu’au 8 décembre 2026 inclus (ce délai tient compte de l’acheminement de ce courrier par la poste)',
    );
  });

  it('an intended withdrawal of a suspended permit does not say the permit stays valid', () => {
    const m = {
      kind: 'WITHDRAWAL' as const,
      visitor: 'Zoë ŁUKASIEWICZ',
      detainee: 'Şükrü Țurcanu',
      grounds: 'Incident grave.',
      suspendedUntil: null,
    };
    const suspended = intendedMeasureParagraphs(m, '2026-12-01', { suspended: true, posted: false }).join(' ');
    expect(suspended).toContain('Votre permis reste suspendu jusqu’à la décision.');
    expect(suspended).not.toContain('reste valable');
    expect(intendedMeasureParagraphs(m, '2026-12-01', { suspended: false, posted: false })[3]).toContain('Votre permis reste valable');
  });

  it('the head may not lift a suspension the magistrate decided, nor any on a permit the magistrate is competent for', () => {
    const condamne = { origin: 'ONLINE' as const, legalStatus: 'CONDAMNE' as const, headReviewDue: false };
    expect(liftRefusal(condamne, { kind: 'SUSPENSION', magistrateAnswer: null })).toBeNull();
    expect(liftRefusal(condamne, null)).toBeNull();
    expect(liftRefusal(condamne, { kind: 'REFERRAL', magistrateAnswer: 'SUSPENDED' })).toContain('seul le magistrat peut la lever');
    expect(liftRefusal({ ...condamne, legalStatus: 'MIXTE' }, { kind: 'SUSPENSION', magistrateAnswer: null })).toContain(
      'seul le magistrat peut la lever',
    );
  });
});
