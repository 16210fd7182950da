import type { Environment } from 'nunjucks';
import { currentLanguage, intlLocale, type Language, LANGUAGES } from './i18n';

/** The formats of one language, made once (an Intl format costs some 100 µs to build). */
function formatsOf(language: Language) {
  const locale = intlLocale(language);
  const day = { day: 'numeric', month: 'long', year: 'numeric' } as const;
  return {
    date: new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Paris', ...day }),
    dateTime: new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Paris', ...day, hour: '2-digit', minute: '2-digit' }),
    // A calendar date (YYYY-MM-DD) as written, whatever the zone.
    calendarDate: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...day }),
  };
}

const FORMATS = new Map(LANGUAGES.map((l) => [l, formatsOf(l)]));

/** A date as a person of `language` reads it: ISO dates (YYYY-MM-DD) as calendar dates, instants in Europe/Paris. */
export function formatDate(value: unknown, language: Language): string {
  if (!value) return '';
  const f = FORMATS.get(language)!;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return f.calendarDate.format(new Date(Date.UTC(y, m - 1, d)));
  }
  return f.date.format(new Date(value as string));
}

export function formatDateTime(value: unknown, language: Language): string {
  return value ? FORMATS.get(language)!.dateTime.format(new Date(value as string)) : '';
}

/**
 * Formatting for templates, in the request's language (French on staff pages): dates in
 * Europe/Paris, ISO dates (YYYY-MM-DD) as calendar dates. `dateFr` keeps its name from when P2V
 * spoke French only.
 */
export function registerFilters(env: Environment) {
  env.addFilter('dateFr', (value: unknown) => formatDate(value, currentLanguage()));
  env.addGlobal('hasError', (errors: { field: string }[] | undefined, name: string) => Boolean(errors?.some((e) => e.field === name)));
  env.addFilter('dateTimeFr', (value: unknown) => formatDateTime(value, currentLanguage()));
  // Nunjucks' own `capitalize` lower-cases the rest: « (SPIP) » would read « (spip) ».
  env.addFilter('upperFirst', (value: unknown) =>
    typeof value === 'string' ? value.charAt(0).toLocaleUpperCase(currentLanguage()) + value.slice(1) : value,
  );
}
