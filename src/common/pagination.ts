export interface Page {
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

/** No list has this many pages; a larger number (or `1e20`) is not a page. */
export const MAX_PAGE = 100_000;

/** The page asked for in `?page=`: a whole number from 1 to MAX_PAGE, else the first page. */
export function parsePage(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return 1;
  const n = Number(raw);
  return n >= 1 && n <= MAX_PAGE ? n : 1;
}

export function pageInfo(page: number, pageSize: number, total: number): Page {
  return { page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}
