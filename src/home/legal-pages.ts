import type { Response } from 'express';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../common/i18n';

/** The pages the law requires, each linked from every page's footer. */
export type LegalPage = 'legal-notice' | 'personal-data' | 'cookies' | 'accessibility' | 'site-map';

/** The address of each legal page (the same in every language: the language is the reader's, not the address's). */
export const LEGAL_PATHS: Record<LegalPage, string> = {
  'legal-notice': '/mentions-legales',
  'personal-data': '/donnees-personnelles',
  cookies: '/cookies',
  accessibility: '/accessibilite',
  'site-map': '/plan-du-site',
};

/**
 * The template of a legal page in the reader's language (`res.locals.lang`): `legal/<page>.njk` in
 * French, `legal/<page>.<lang>.njk` in English, Arabic and Spanish. These are long texts, one template
 * each, so that a translation is a copy of the template; a language P2V does not have is French.
 */
export function legalTemplate(page: LegalPage, lang?: string): string {
  return isLanguage(lang) && lang !== DEFAULT_LANGUAGE ? `legal/${page}.${lang}.njk` : `legal/${page}.njk`;
}

/**
 * Where a translated legal page sends to its French version, the one that applies: the language
 * selector's address, back to the same page (for a signed-in family, French is then remembered too).
 */
export function frenchVersionHref(page: LegalPage): string {
  return `/langue/${DEFAULT_LANGUAGE}?retour=${encodeURIComponent(LEGAL_PATHS[page])}`;
}

/** Renders a legal page in the reader's language; a translation also gets the link to the French version (`frenchVersion`). */
export function renderLegal(res: Response, page: LegalPage, data: Record<string, unknown> = {}): void {
  const lang: Language = isLanguage(res.locals.lang) ? res.locals.lang : DEFAULT_LANGUAGE;
  res.render(legalTemplate(page, lang), lang === DEFAULT_LANGUAGE ? data : { ...data, frenchVersion: frenchVersionHref(page) });
}

/** The accessibility compliance status (RGAA), as the statement and every page's footer give it. */
export type ComplianceStatus = 'TOTAL' | 'PARTIAL' | 'NONE';

/**
 * The status a rate of RGAA criteria met gives (the RGAA's obligations: « totalement conforme » at
 * 100 %, « partiellement conforme » from 50 %, « non conforme » below or without a full audit by a
 * person: automated checks alone give no rate).
 */
export function complianceStatus(auditRate: number | undefined): ComplianceStatus {
  if (auditRate === undefined) return 'NONE';
  return auditRate >= 100 ? 'TOTAL' : auditRate >= 50 ? 'PARTIAL' : 'NONE';
}
