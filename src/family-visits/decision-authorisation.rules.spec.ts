import {
  applicableAuthorisation,
  authorisationInForce,
  dayBefore,
  establishmentDay,
  earlyEndNotes,
  followupProblem,
  type MagistrateDecision,
  sameApplicant,
  securityEarlyEnd,
} from './decision-authorisation.rules';

const detainee = { applicant: 'DETAINEE' as const, visitor: null };
const lucja = {
  applicant: 'VISITOR' as const,
  visitor: { permitId: 'p1', givenName: 'Łucja', familyName: 'Nguyễn-Şahin', birthdate: '1986-02-02' },
};

function answer(o: Partial<MagistrateDecision>): MagistrateDecision {
  return {
    ...detainee,
    requestId: 'r1',
    kind: 'UVF',
    answer: 'PERMANENT',
    until: null,
    decidedAt: new Date('2027-01-10T10:00:00Z'),
    followup: null,
    followupOn: null,
    ...o,
  };
}

describe('sameApplicant', () => {
  it('the detainee is the detainee, a visitor is the same by permit, or by names and birth date in any script', () => {
    expect(sameApplicant(detainee, detainee)).toBe(true);
    expect(sameApplicant(detainee, lucja)).toBe(false);
    expect(sameApplicant(lucja, { ...lucja, visitor: { ...lucja.visitor, givenName: 'Anna' } })).toBe(true); // same permit
    const renewed = {
      applicant: 'VISITOR' as const,
      visitor: { permitId: 'p2', givenName: 'LUCJA', familyName: 'Nguyen Sahin', birthdate: '1986-02-02' },
    };
    expect(sameApplicant(lucja, renewed)).toBe(true);
    expect(sameApplicant(lucja, { ...renewed, visitor: { ...renewed.visitor, birthdate: '1990-01-01' } })).toBe(false);
    expect(sameApplicant(lucja, { ...renewed, visitor: { ...renewed.visitor, givenName: 'لوسيا' } })).toBe(false);
  });
});

describe('authorisationInForce', () => {
  it('a permanent one runs until withdrawn, a temporary one until its last day included, on the establishment’s day', () => {
    expect(authorisationInForce({ answer: 'PERMANENT', until: null, followup: null }, '2030-01-01')).toBe(true);
    expect(authorisationInForce({ answer: 'PERMANENT', until: null, followup: 'MAINTAINED' }, '2030-01-01')).toBe(true);
    expect(authorisationInForce({ answer: 'PERMANENT', until: '2027-03-11', followup: 'WITHDRAWN' }, '2027-03-01')).toBe(false);
    expect(authorisationInForce({ answer: 'TEMPORARY', until: '2027-06-30', followup: null }, '2027-06-30')).toBe(true);
    expect(authorisationInForce({ answer: 'TEMPORARY', until: '2027-06-30', followup: null }, '2027-07-01')).toBe(false);
    expect(authorisationInForce({ answer: 'REFUSED', until: null, followup: null }, '2027-01-01')).toBe(false);
  });

  it('ends on the establishment’s day, not Paris’s: 1 July 02:00 UTC is still 30 June in Cayenne, already 1 July in Paris', () => {
    const at = new Date('2027-07-01T02:00:00Z');
    const temporary = { answer: 'TEMPORARY' as const, until: '2027-06-30', followup: null };
    expect(establishmentDay(at, 'America/Cayenne')).toBe('2027-06-30');
    expect(authorisationInForce(temporary, establishmentDay(at, 'America/Cayenne'))).toBe(true);
    expect(authorisationInForce(temporary, establishmentDay(at, 'Europe/Paris'))).toBe(false);
    expect(establishmentDay(new Date('2027-06-30T14:00:00Z'), 'Pacific/Noumea')).toBe('2027-07-01');
  });
});

describe('applicableAuthorisation', () => {
  it('reuses the magistrate’s latest answer for the same applicant and kind when it is an authorisation in force', () => {
    const permanent = answer({ requestId: 'a' });
    expect(applicableAuthorisation({ ...detainee, kind: 'UVF' }, [permanent], '2027-05-01')).toBe(permanent);
    // Another kind, another applicant: nothing to reuse.
    expect(applicableAuthorisation({ ...detainee, kind: 'PF' }, [permanent], '2027-05-01')).toBeNull();
    expect(applicableAuthorisation({ ...lucja, kind: 'UVF' }, [permanent], '2027-05-01')).toBeNull();
    const hers = answer({ ...lucja, requestId: 'b', answer: 'TEMPORARY', until: '2027-06-30' });
    expect(applicableAuthorisation({ ...lucja, kind: 'UVF' }, [permanent, hers], '2027-06-30')).toBe(hers);
  });

  it('an expired temporary authorisation, a withdrawn one, or a later refusal is no authorisation', () => {
    const temporary = answer({ answer: 'TEMPORARY', until: '2027-06-30' });
    expect(applicableAuthorisation({ ...detainee, kind: 'UVF' }, [temporary], '2027-07-01')).toBeNull();
    const withdrawn = answer({ followup: 'WITHDRAWN', followupOn: '2027-03-12', until: '2027-03-11' });
    expect(applicableAuthorisation({ ...detainee, kind: 'UVF' }, [withdrawn], '2027-03-12')).toBeNull();
    const permanent = answer({ requestId: 'old' });
    const refusal = answer({ requestId: 'new', answer: 'REFUSED', decidedAt: new Date('2027-02-10T10:00:00Z') });
    expect(applicableAuthorisation({ ...detainee, kind: 'UVF' }, [refusal, permanent], '2027-03-01')).toBeNull();
    // The latest word only: a newer permanent authorisation after an expired temporary one applies.
    const newer = answer({ requestId: 'newer', decidedAt: new Date('2027-08-01T10:00:00Z') });
    expect(applicableAuthorisation({ ...detainee, kind: 'UVF' }, [temporary, newer], '2027-09-01')).toBe(newer);
  });
});

describe('followupProblem', () => {
  const permanent = { decidedOn: '2027-01-10', followup: null, followupOn: null };
  it('needs the outcome and the date of the magistrate’s decision, not in the future nor before the authorisation', () => {
    expect(followupProblem({ outcome: 'WITHDRAWN', on: '2027-03-12' }, permanent, '2027-03-12')).toBeNull();
    expect(followupProblem({ outcome: 'MAINTAINED', on: '2027-01-10' }, permanent, '2027-03-12')).toBeNull();
    expect(followupProblem({ outcome: null, on: '2027-03-12' }, permanent, '2027-03-12')?.field).toBe('outcome');
    expect(followupProblem({ outcome: 'WITHDRAWN', on: null }, permanent, '2027-03-12')?.field).toBe('on');
    expect(followupProblem({ outcome: 'WITHDRAWN', on: '2027-03-13' }, permanent, '2027-03-12')?.message).toMatch(/jour à venir/);
    expect(followupProblem({ outcome: 'WITHDRAWN', on: '2027-01-09' }, permanent, '2027-03-12')?.message).toMatch(/10\/01\/2027/);
  });

  it('nothing is recorded on an authorisation already withdrawn', () => {
    const withdrawn = { decidedOn: '2027-01-10', followup: 'WITHDRAWN' as const, followupOn: '2027-03-12' };
    expect(followupProblem({ outcome: 'MAINTAINED', on: '2027-03-13' }, withdrawn, '2027-03-13')?.message).toMatch(
      /annulée par le magistrat le 12\/03\/2027/,
    );
  });
});

describe('dayBefore', () => {
  it('is the previous calendar day, across months and leap years', () => {
    expect(dayBefore('2027-03-12')).toBe('2027-03-11');
    expect(dayBefore('2027-03-01')).toBe('2027-02-28');
    expect(dayBefore('2028-03-01')).toBe('2028-02-29');
    expect(dayBefore('2027-01-01')).toBe('2026-12-31');
  });
});

describe('securityEarlyEnd', () => {
  it('is an early end whose reason carries the security cause of the early-end form, not one at a party’s request', () => {
    expect(securityEarlyEnd('Pour raison de sécurité : violences entre les occupants')).toBe(true);
    expect(securityEarlyEnd('À la demande d’une des parties : la visiteuse est souffrante')).toBe(false);
    expect(securityEarlyEnd(null)).toBe(false);
    expect(earlyEndNotes('Pour raison de sécurité : violences entre les occupants')).toBe('violences entre les occupants');
  });
});
