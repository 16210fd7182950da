export interface Page {
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

export function parsePage(raw: unknown): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function pageInfo(page: number, pageSize: number, total: number): Page {
  return { page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}
