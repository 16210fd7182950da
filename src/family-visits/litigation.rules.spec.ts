import { holdProblem, mayHold, retentionEndsAt } from './litigation.rules';

describe('mayHold', () => {
  it('lets the head or a signature delegate record a hold, never the SPIP counsellor, even with a delegation', () => {
    expect(mayHold({ head: true, delegated: false, counsellor: false })).toBe(true);
    expect(mayHold({ head: true, delegated: false, counsellor: true })).toBe(true);
    expect(mayHold({ head: false, delegated: true, counsellor: false })).toBe(true);
    expect(mayHold({ head: false, delegated: true, counsellor: true })).toBe(false);
    expect(mayHold({ head: false, delegated: false, counsellor: true })).toBe(false);
    expect(mayHold({ head: false, delegated: false, counsellor: false })).toBe(false);
  });
});

describe('holdProblem', () => {
  it('records a hold only on a request finally decided or withdrawn; lifts only a hold in force', () => {
    for (const status of ['GRANTED', 'REFUSED', 'IMPLICITLY_REJECTED', 'WITHDRAWN'] as const) {
      expect(holdProblem(status, false, false)).toBeNull();
      // Recorded again: the note changes.
      expect(holdProblem(status, true, false)).toBeNull();
      expect(holdProblem(status, true, true)).toBeNull();
      expect(holdProblem(status, false, true)).toMatch(/Aucune conservation/);
    }
    for (const status of ['RECEIVED', 'REFERRED'] as const) expect(holdProblem(status, false, false)).toMatch(/pas encore décidée/);
  });
});

describe('retentionEndsAt', () => {
  it('counts the retention from the decision or the withdrawal, never from a later change of the request', () => {
    const decidedAt = new Date('2027-03-01T10:00:00Z');
    const later = new Date('2027-09-01T10:00:00Z');
    expect(retentionEndsAt({ decidedAt, withdrawnAt: null, updatedAt: later }, 365)).toEqual(new Date('2028-02-29T10:00:00Z'));
    expect(retentionEndsAt({ decidedAt: null, withdrawnAt: decidedAt, updatedAt: later }, 10)).toEqual(new Date('2027-03-11T10:00:00Z'));
    expect(retentionEndsAt({ decidedAt: null, withdrawnAt: null, updatedAt: decidedAt }, 10)).toEqual(new Date('2027-03-11T10:00:00Z'));
  });
});
