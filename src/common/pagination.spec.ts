import { MAX_PAGE, pageInfo, parsePage } from './pagination';

describe('parsePage', () => {
  it('reads a whole page number and falls back to page 1 for anything else', () => {
    expect(parsePage('3')).toBe(3);
    expect(parsePage(String(MAX_PAGE))).toBe(MAX_PAGE);
    for (const bad of [undefined, '', '0', '-2', '1.5', '1e20', '99999999999999999999', 'abc', ['2', '3'], String(MAX_PAGE + 1)]) {
      expect(parsePage(bad)).toBe(1);
    }
  });

  it('counts the pages of a list', () => {
    expect(pageInfo(2, 25, 51)).toEqual({ page: 2, pageSize: 25, total: 51, pages: 3 });
    expect(pageInfo(1, 25, 0).pages).toBe(1);
  });
});
