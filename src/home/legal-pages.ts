import type { Response } from 'express';

/** The pages the law requires, each linked from every page's footer. */
export type LegalPage = 'legal-notice' | 'personal-data' | 'cookies' | 'accessibility' | 'site-map';

/**
 * The template of a legal page: `legal/<page>.njk`, in French. These are long texts, one template
 * each, so that a translation is a copy of the template: when pages exist in other languages, this is
 * the one place that picks `legal/<page>.<lang>.njk` for the reader's language (`res.locals.lang`).
 */
export function legalTemplate(page: LegalPage, _lang?: string): string {
  return `legal/${page}.njk`;
}

/** Renders a legal page in the reader's language (French for now). */
export function renderLegal(res: Response, page: LegalPage, data: Record<string, unknown> = {}): void {
  res.render(legalTemplate(page, typeof res.locals.lang === 'string' ? res.locals.lang : undefined), data);
}
