import { containsNul } from './input.guard';

describe('containsNul', () => {
  it('finds a NUL character in a text, a list, a nested field or a field name', () => {
    expect(containsNul('Martin\u0000')).toBe(true);
    expect(containsNul({ q: ['a', 'b\u0000'] })).toBe(true);
    expect(containsNul({ visitor: { name: '\u0000' } })).toBe(true);
    expect(containsNul({ ['ecrou\u0000']: '1' })).toBe(true);
  });

  it('lets any other text through, whatever the script', () => {
    expect(containsNul({ name: 'Łucja Nguyễn-Şahin', other: 'محمد', n: 3, empty: null })).toBe(false);
    expect(containsNul(undefined)).toBe(false);
  });
});
