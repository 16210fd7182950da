import type { Environment } from 'nunjucks';

const dateFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

// A calendar date (YYYY-MM-DD) as written, whatever the zone: made once (an Intl format costs some 100 µs to build).
const calendarDateFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** French formatting for templates: dates in Europe/Paris, ISO dates (YYYY-MM-DD) as calendar dates. */
export function registerFilters(env: Environment) {
  env.addFilter('dateFr', (value: unknown) => {
    if (!value) return '';
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const [y, m, d] = value.split('-').map(Number);
      return calendarDateFmt.format(new Date(Date.UTC(y, m - 1, d)));
    }
    return dateFmt.format(new Date(value as string));
  });
  env.addGlobal('hasError', (errors: { field: string }[] | undefined, name: string) => Boolean(errors?.some((e) => e.field === name)));
  env.addFilter('dateTimeFr', (value: unknown) => (value ? dateTimeFmt.format(new Date(value as string)) : ''));
  // Nunjucks' own `capitalize` lower-cases the rest: « (SPIP) » would read « (spip) ».
  env.addFilter('upperFirst', (value: unknown) =>
    typeof value === 'string' ? value.charAt(0).toLocaleUpperCase('fr') + value.slice(1) : value,
  );
}
