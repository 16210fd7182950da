import { newReference, whenLabel, whenShort } from './appointment.rules';

describe('appointment labels', () => {
  it('says dates in Europe/Paris, winter and summer time', () => {
    expect(whenLabel(new Date('2026-11-24T13:30:00Z'))).toBe('mardi 24 novembre 2026 à 14 h 30');
    expect(whenLabel(new Date('2026-07-14T08:00:00Z'))).toBe('mardi 14 juillet 2026 à 10 h 00');
    expect(whenShort(new Date('2026-11-24T13:30:00Z'))).toBe('24/11 à 14h30');
  });
  it('makes 8-character references without ambiguous characters', () => {
    const ref = newReference();
    expect(ref).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
  });
});
