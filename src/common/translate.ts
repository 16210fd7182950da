import { join } from 'node:path';
import { currentLanguage, intlLocale, type Language, Translations } from './i18n';
import { projectRoot } from './project-root';

/**
 * Texts built in code for the family side (issue #16): a flash message, a label, a refusal, in the
 * language of the request or message being handled (French on staff pages and outside a request).
 * Templates use `t()` instead; a text to translate later (a form error kept in the session) is stored
 * as its key and values, and `msg()` translates it when the page is shown.
 */
export type Tr = (key: string, values?: Record<string, unknown>) => string;

let loaded: Translations | undefined;

/** The texts of the catalogs in `language` (loaded once, on first use). */
export function trIn(language: Language): Tr {
  loaded ??= Translations.load(join(projectRoot(), 'locales'));
  return loaded.t(language);
}

/** A text of the catalogs in the request's language. */
export function tr(key: string, values?: Record<string, unknown>): string {
  return trIn(currentLanguage())(key, values);
}

/** Texts joined as a list in `language` (« , » in French, « ، » in Arabic). */
export function listIn(items: readonly string[], language: Language = currentLanguage()): string {
  return items.join(trIn(language)('common:listSeparator'));
}

/** A calendar day (AAAA-MM-JJ) in figures, as `language` writes it: 31/12/2026 in French. */
export function numericDay(isoDay: string, language: Language = currentLanguage()): string {
  const [y, m, d] = isoDay.split('-').map(Number);
  return new Intl.DateTimeFormat(intlLocale(language), { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
