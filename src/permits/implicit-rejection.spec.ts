import { reasonsRequest } from './implicit-rejection';

describe('reasons of an implicit rejection (L232-4)', () => {
  const r = { status: 'IMPLICITLY_REJECTED' as const, decidedAt: new Date('2026-11-30T10:00:00Z') };

  it('may be asked once, within 2 months', () => {
    expect(reasonsRequest(r, new Date('2027-01-30T10:00:00Z'), false)).toEqual({
      possible: true,
      until: new Date('2027-01-30T10:00:00Z'),
      asked: false,
    });
    expect(reasonsRequest(r, new Date('2027-01-30T10:00:01Z'), false).possible).toBe(false);
    expect(reasonsRequest(r, new Date('2026-12-01T10:00:00Z'), true)).toMatchObject({ possible: false, asked: true });
  });

  it('only after an implicit rejection', () => {
    expect(reasonsRequest({ ...r, status: 'REFUSED' }, new Date('2026-12-01T10:00:00Z'), false).possible).toBe(false);
  });
});
