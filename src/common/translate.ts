import { join } from 'node:path';
import { currentLanguage, type Language, Translations } from './i18n';
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
