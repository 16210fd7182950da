import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  cookieLanguage,
  inLanguage,
  LANGUAGES,
  negotiateLanguage,
  pageLanguage,
  perLanguage,
  readCatalogs,
  returnPath,
  Translations,
} from './i18n';
import { formatDate, formatDateTime } from './nunjucks-filters';
import { projectRoot } from './project-root';

const root = projectRoot();
const catalogs = readCatalogs(join(root, 'locales'));

/** Every leaf of a catalog as « area:path » → text. */
function leaves(language: (typeof LANGUAGES)[number]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (prefix: string, node: unknown) => {
    if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(prefix ? `${prefix}.${k}` : k, v);
    else out.set(prefix, node);
  };
  for (const [area, tree] of Object.entries(catalogs[language])) for (const [k, v] of Object.entries(tree)) walk(`${area}:${k}`, v);
  return out;
}

const variables = (text: unknown) => [...String(text).matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? templates(p) : f.endsWith('.njk') ? [p] : [];
  });
}

describe('the catalogs (locales/<language>/<area>.json)', () => {
  const french = leaves('fr');

  it('hold in English, Arabic and Spanish every text of the French ones, with the same variables, and nothing else', () => {
    for (const language of LANGUAGES.filter((l) => l !== 'fr')) {
      const other = leaves(language);
      expect({ language, missing: [...french.keys()].filter((k) => !other.has(k)) }).toEqual({ language, missing: [] });
      expect({ language, extra: [...other.keys()].filter((k) => !french.has(k)) }).toEqual({ language, extra: [] });
      const differing = [...french].filter(([k, v]) => JSON.stringify(variables(v)) !== JSON.stringify(variables(other.get(k))));
      expect({ language, differing: differing.map(([k]) => k) }).toEqual({ language, differing: [] });
    }
  });

  it('have no empty text, in any language', () => {
    for (const language of LANGUAGES)
      expect([...leaves(language)].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => `${language} ${k}`)).toEqual(
        [],
      );
  });

  it('hold every key a template asks for', () => {
    const asked = templates(join(root, 'views')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*["']([\w-]+:[\w.-]+)["']\s*[,)]/g)].map((m) => ({ file, key: m[1] })),
    );
    expect(asked.length).toBeGreaterThan(20);
    expect(asked.filter((a) => !french.has(a.key))).toEqual([]);
    // Keys made in the template (« "errors:" + status ») are not read here: the error pages' are checked below.
    for (const status of ['400', '401', '403', '404', '429', '500', '503']) expect(french.has(`errors:${status}.title`)).toBe(true);
  });

  it('translate with the variables given, and fall back to French for a key one language lacks', () => {
    const translations = new Translations({ ...catalogs, es: { ...catalogs.es, errors: {} } });
    expect(translations.t('en')('errors:code', { status: 404 })).toBe('Error 404');
    expect(translations.t('ar')('errors:code', { status: 404 })).toBe('خطأ 404');
    expect(translations.t('es')('errors:code', { status: 404 })).toBe('Erreur 404');
  });

  it('end a family’s error or refusal with what to do: a sentence that starts with a verb (issue #16, plain language)', () => {
    const fr = leaves('fr');
    const keys = [
      ...[
        'WRONG_DAY',
        'NOT_VALID',
        'HOLIDAY',
        'CLOSED',
        'PAST',
        'TOO_SOON',
        'TOO_FAR',
        'MINOR_ALONE',
        'STAFF_ONLY',
        'FULL',
        'DETAINEE_UNAVAILABLE',
      ].map((k) => `visits:refusals.${k}`),
      ...['TOO_MANY_ADULTS', 'TOO_MANY_CHILDREN', 'weekUsed'].flatMap((k) => [`visits:refusals.${k}One`, `visits:refusals.${k}Many`]),
      ...['ALREADY_WAITING', 'NOT_OFFERED', 'OFFER_EXPIRED', 'NOT_WAITING', 'NO_SLOT', 'visitNotFound', 'entryNotFound'].map(
        (k) => `visits:errors.${k}`,
      ),
      ...['notBookedMove', 'SAME_SLOT'].map((k) => `visits:errors.${k}`),
      ...['onHold', 'notYetValid', 'expired', 'usedUpOne', 'usedUpMany', 'room', 'day', 'hours'].map((k) => `visits:permitRefusals.${k}`),
      ...['requestNotFound', 'documentNotFound', 'permitNotFound', 'alreadySent', 'alreadySentLocked', 'incomplete', 'notIncomplete'].map(
        (k) => `permits:errors.${k}`,
      ),
      ...['notWithdrawable', 'observationsReceived', 'observationsClosed', 'noMoreDocuments', 'reasonsClosed'].map(
        (k) => `permits:errors.${k}`,
      ),
      ...['pfDuration', 'uvfDuration', 'periodPast', 'noPermit', 'exitUvfOnly', 'exitDaytime', 'duplicate', 'notMinor', 'locked'].map(
        (k) => `familyVisits:errors.${k}`,
      ),
      'space:errors.appointmentNotFound',
    ];
    // The last sentence says what to do: it starts with a verb in the imperative (after « Si besoin, » or « Pour …, »).
    const verb =
      /^(?:(?:Si besoin|Pour [^,]+), )?(?:Attendez|Appelez|appelez|Choisissez|Complétez|Consultez|Demandez|demandez|Indiquez|Laissez|lisez|Retirez|Retrouvez|Réservez|réservez|Suivez|Vérifiez)\b/u;
    const lastSentence = (text: unknown) =>
      String(text)
        .split(/(?<=\.) /u)
        .at(-1) ?? '';
    const without = keys.filter((k) => !verb.test(lastSentence(fr.get(k))));
    expect(without).toEqual([]);
  });
});

describe('the texts each language’s t() keeps', () => {
  it('gives the same text again for the same key and values, and tells apart other values, plurals and languages', () => {
    const translations = new Translations(catalogs);
    const fr = translations.t('fr');
    const first = fr('visits:refusals.TOO_FAR', { days: 28 });
    expect(first).toBe('Les visites se réservent au plus 28 jours à l’avance. Choisissez un créneau plus proche.');
    // Kept: the catalogs do not change while the process runs (a resource added afterwards is not read).
    translations.i18n.addResource('fr', 'visits', 'refusals.TOO_FAR', 'changé');
    expect(fr('visits:refusals.TOO_FAR', { days: 28 })).toBe(first);
    expect(fr('visits:refusals.TOO_FAR', { days: 14 })).toBe('changé');
    expect(translations.t('en')('visits:refusals.TOO_FAR', { days: 28 })).toBe(
      'Visits can be booked 28 days ahead at most. Choose an earlier time slot.',
    );
    expect(fr('errors:code', { status: 404 })).toBe('Erreur 404');
    expect(fr('errors:code', { status: 429 })).toBe('Erreur 429');
    expect(inLanguage('ar', () => translations.current('errors:code', { status: 404 }))).toBe('خطأ 404');
  });
});

describe('texts built once per language (perLanguage)', () => {
  it('builds them once per language, in the request’s by default, and shares them frozen to the last level', () => {
    const built: string[] = [];
    const labels = perLanguage((language) => {
      built.push(language);
      return { title: `${language} title`, menu: [{ label: `${language} menu`, children: [{ label: 'x' }] }] };
    });
    const ar = inLanguage('ar', () => labels());
    expect(ar.title).toBe('ar title');
    expect(labels('ar')).toBe(ar);
    expect(labels().title).toBe('fr title');
    expect(labels('fr')).toBe(labels());
    expect(built).toEqual(['ar', 'fr']);
    expect([ar, ar.menu, ar.menu[0], ar.menu[0].children, ar.menu[0].children[0]].every((o) => Object.isFrozen(o))).toBe(true);
    expect(() => {
      (ar.menu[0].children[0] as { label: string }).label = 'changed';
    }).toThrow(TypeError);
  });
});

describe('a number of hours', () => {
  const translations = new Translations(catalogs);

  it('takes the noun’s plural each language needs: Arabic has four forms (1 ساعة, 2 ساعتان, 3 to 10 ساعات, 11 and more ساعة)', () => {
    const tooSoon = (language: (typeof LANGUAGES)[number], hours: number) =>
      translations.t(language)('visits:refusals.TOO_SOON', { hours });
    expect(tooSoon('ar', 6)).toBe('تُحجز الزيارات قبل 6 ساعات على الأقل. اختر موعدًا لاحقًا.');
    expect(tooSoon('ar', 24)).toBe('تُحجز الزيارات قبل 24 ساعة على الأقل. اختر موعدًا لاحقًا.');
    expect(tooSoon('fr', 48)).toBe('Les visites se réservent au moins 48 heures à l’avance. Choisissez un créneau qui commence plus tard.');
    expect(translations.t('ar')('familyVisits:errors.uvfDuration', { min: 6, max: 72, step: 6 })).toBe(
      'تدوم الزيارة في وحدة الحياة العائلية من 6 إلى 72 ساعة، بفترات من 6 ساعات. اختر مدة من القائمة.',
    );
    expect(translations.t('ar')('familyVisits:request.grantedHours', { hours: 6 })).toBe('لزيارة مدّتها 6 ساعات');
  });
});

describe('the templates’ t() and msg()', () => {
  const translations = new Translations(catalogs);

  it('translate into the language of the request being handled, French outside one', () => {
    expect(inLanguage('ar', () => translations.current('errors:404.title'))).toBe('الصفحة غير موجودة');
    expect(inLanguage('es', () => translations.current('errors:code', { status: 429 }))).toBe('Error 429');
    expect(translations.current('errors:404.title')).toBe('Page non trouvée');
  });

  it('translate a message that is a key, and show a text already written as it is, even with a colon', () => {
    expect(inLanguage('en', () => translations.message('errors:404.title'))).toBe('Page not found');
    expect(inLanguage('en', () => translations.message('Service concerné : FranceConnect.'))).toBe('Service concerné : FranceConnect.');
    expect(inLanguage('en', () => translations.message('Łukasz Nguyễn'))).toBe('Łukasz Nguyễn');
  });
});

describe('the language of a page', () => {
  it('takes the first language of Accept-Language that P2V has, by weight, French otherwise', () => {
    expect(negotiateLanguage('de-DE,de;q=0.9,es;q=0.8,en;q=0.7')).toBe('es');
    expect(negotiateLanguage('en;q=0.5, ar-MA')).toBe('ar');
    expect(negotiateLanguage('ar;q=0, en-US;q=0.3')).toBe('en');
    expect(negotiateLanguage('zh-CN,it')).toBe('fr');
    expect(negotiateLanguage('')).toBe('fr');
    expect(negotiateLanguage(undefined)).toBe('fr');
    expect(negotiateLanguage('*')).toBe('fr');
  });

  it('is French for staff; for a family the browser’s choice, then the account’s, then Accept-Language', () => {
    const base = { staff: false, cookie: undefined, account: undefined, acceptLanguage: 'en' };
    expect(pageLanguage({ ...base, staff: true, cookie: 'ar' })).toBe('fr');
    expect(pageLanguage({ ...base, cookie: 'es', account: 'ar' })).toBe('es');
    expect(pageLanguage({ ...base, account: 'ar' })).toBe('ar');
    expect(pageLanguage({ ...base, account: null })).toBe('en');
  });

  it('reads the selector’s cookie among others, and ignores a language P2V has not', () => {
    expect(cookieLanguage('p2v.sid=s%3Aabc; p2v.lang=ar')).toBe('ar');
    expect(cookieLanguage('p2v.lang=de')).toBeUndefined();
    expect(cookieLanguage(undefined)).toBeUndefined();
  });

  it('sends back to a page of this site only', () => {
    expect(returnPath('/demandes?page=2')).toBe('/demandes?page=2');
    for (const away of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined, ['/a']])
      expect(returnPath(away)).toBe('/');
  });
});

describe('dates in the templates', () => {
  it('are written per language, Arabic with Latin digits, instants in Paris time', () => {
    expect(LANGUAGES.map((l) => formatDate('2026-12-03', l))).toEqual([
      '3 décembre 2026',
      '3 December 2026',
      '3 ديسمبر 2026',
      '3 de diciembre de 2026',
    ]);
    expect(formatDateTime('2026-12-03T13:30:00Z', 'fr')).toBe('3 décembre 2026 à 14:30');
    expect(formatDateTime('2026-12-03T13:30:00Z', 'en')).toBe('3 December 2026 at 14:30');
    expect(formatDate('', 'en')).toBe('');
  });
});
