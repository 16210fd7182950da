import { delegationState } from './signature-delegations.service';

describe('signature delegation state', () => {
  it('is in force between its dates, unless revoked', () => {
    const d = { validFrom: '2026-11-01', validTo: '2026-11-30', revokedAt: null };
    expect(delegationState(d, '2026-10-31')).toBe('A_VENIR');
    expect(delegationState(d, '2026-11-01')).toBe('EN_VIGUEUR');
    expect(delegationState(d, '2026-11-30')).toBe('EN_VIGUEUR');
    expect(delegationState(d, '2026-12-01')).toBe('TERMINEE');
    expect(delegationState({ ...d, validTo: null }, '2030-01-01')).toBe('EN_VIGUEUR');
    expect(delegationState({ ...d, revokedAt: new Date() }, '2026-11-15')).toBe('REVOQUEE');
  });
});
