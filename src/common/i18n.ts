import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';

/**
 * The languages of the family side (issue #16): French first, then English, Arabic and Spanish.
 * Staff pages stay French. Catalogs are JSON files a translator can edit, one folder per language
 * and one file per area (locales/<language>/<area>.json); a key is `<area>:<path>`.
 */
export const LANGUAGES = ['fr', 'en', 'ar', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'fr';

/** Each language named in itself, as the DSFR language selector shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', en: 'English', ar: 'العربية', es: 'Español' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function direction(language: Language): 'rtl' | 'ltr' {
  return language === 'ar' ? 'rtl' : 'ltr';
}

/**
 * The Intl locale of a language. Arabic keeps Latin digits (as written in the Maghreb, where most
 * Arabic-reading families in France come from): a reference, a time or a phone number reads the same
 * on the page, in the letter and at the door.
 */
export function intlLocale(language: Language): string {
  return { fr: 'fr-FR', en: 'en-GB', ar: 'ar-u-nu-latn', es: 'es-ES' }[language];
}

/** The first supported language of an Accept-Language header, by weight; French when none is. */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { base: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((r) => r.base).find(isLanguage) ?? DEFAULT_LANGUAGE;
}

/** The cookie the language selector sets: this browser's explicit choice, kept a year (a display preference). */
export const LANGUAGE_COOKIE = 'p2v.lang';

/** The language selector's cookie of a request, if it names a language. */
export function cookieLanguage(cookieHeader: string | undefined): Language | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === LANGUAGE_COOKIE && isLanguage(value)) return value;
  }
  return undefined;
}

/**
 * The language of a page: French for staff; for a family or a visitor, the choice made on this
 * browser with the selector, else the one remembered on the family's account, else the browser's
 * Accept-Language (the first visit), else French.
 */
export function pageLanguage(who: {
  staff: boolean;
  cookie: Language | undefined;
  account: Language | null | undefined;
  acceptLanguage: string | undefined;
}): Language {
  if (who.staff) return DEFAULT_LANGUAGE;
  return who.cookie ?? who.account ?? negotiateLanguage(who.acceptLanguage);
}

/** Where the language selector sends back to: a path of this site only (never « //elsewhere » nor a full address). */
export function returnPath(raw: unknown): string {
  return typeof raw === 'string' && /^\/(?![/\\])/.test(raw) && !raw.startsWith('/langue/') ? raw : '/';
}

const requestLanguage = new AsyncLocalStorage<Language>();

/**
 * Runs `fn` (a request's handling, a message's rendering) in `language`: the templates' `t`, macros
 * imported without context included, translate into it.
 */
export function inLanguage<T>(language: Language, fn: () => T): T {
  return requestLanguage.run(language, fn);
}

/** The language of the request or message being handled; French outside one (staff pages, a 415). */
export function currentLanguage(): Language {
  return requestLanguage.getStore() ?? DEFAULT_LANGUAGE;
}

/** An object and every object or array it holds, frozen (texts shared by every request: no page may change them). */
type Frozen<T> = T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

function freezeDeep<T>(value: T): Frozen<T> {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) freezeDeep(inner);
    Object.freeze(value);
  }
  return value as Frozen<T>;
}

/**
 * Texts built once per language and shared, frozen (labels, menus): the catalogs do not change while
 * the process runs, and the pages that show them need not build them again on every request. The
 * function returned gives them in `language`, by default the request's.
 */
export function perLanguage<T extends object>(build: (language: Language) => T): (language?: Language) => Frozen<T> {
  const built = new Map<Language, Frozen<T>>();
  return (language = currentLanguage()) => {
    let value = built.get(language);
    if (!value) {
      value = freezeDeep(build(language));
      built.set(language, value);
    }
    return value;
  };
}

/** A message key (« area:path.to.text ») rather than a text already written. */
export function isMessageKey(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][\w-]*:[\w.-]+$/.test(value);
}

export type Catalogs = Record<Language, Record<string, Record<string, unknown>>>;

/** Every catalog file under `dir` (locales/), per language and area. */
export function readCatalogs(dir: string): Catalogs {
  const catalogs = {} as Catalogs;
  for (const language of LANGUAGES) {
    catalogs[language] = {};
    for (const file of readdirSync(join(dir, language))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      catalogs[language][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, language, file), 'utf8')) as Record<
        string,
        unknown
      >;
    }
  }
  return catalogs;
}

/**
 * One i18next instance for the process, the catalogs loaded once. A key missing in a language falls
 * back to French (a test fails when one is missing, so this only guards a deployment in between).
 * Values are not escaped here: Nunjucks escapes what a template prints.
 */
export function createI18n(catalogs: Catalogs): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: catalogs,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(catalogs.fr),
    defaultNS: 'common',
    nsSeparator: ':',
    keySeparator: '.',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  // « {{hours, hours}} »: a number of hours with its noun in the language's plural (Arabic: 1 ساعة, 2 ساعتان,
  // 6 ساعات, 24 ساعة), Latin digits as everywhere in P2V.
  instance.services.formatter?.add('hours', (value: unknown, language: string | undefined) =>
    new Intl.NumberFormat(language === 'ar' ? 'ar-u-nu-latn' : language, { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(
      Number(value),
    ),
  );
  return instance;
}

export type Translate = TFunction;

/** How many texts each language's `t` keeps (a few MB at most); all are forgotten when it is full. */
const REMEMBERED_TEXTS = 20_000;

/**
 * i18next's `t` for one language, with its answers kept by key and values: the catalogs do not change
 * while the process runs, and one page asks the same texts many times (a booking page's slots, each
 * with its places and why it cannot be taken: hundreds of calls). i18next's own lookup (namespaces,
 * fallbacks, plurals, interpolation) took 40 % of a booking's CPU; a kept text costs one Map read.
 */
function remembered(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  const call = t as unknown as (key: unknown, values?: unknown) => unknown;
  return ((key: unknown, values?: unknown) => {
    if (typeof key !== 'string') return call(key, values);
    let id = key;
    if (values !== undefined) {
      try {
        id = `${key}\u0000${JSON.stringify(values)}`;
      } catch {
        return call(key, values);
      }
    }
    const known = texts.get(id);
    if (known !== undefined) return known;
    const text = call(key, values);
    if (typeof text === 'string') {
      if (texts.size >= REMEMBERED_TEXTS) texts.clear();
      texts.set(id, text);
    }
    return text;
  }) as unknown as TFunction;
}

/** The process's catalogs and i18next instance, loaded once from locales/. */
export class Translations {
  readonly i18n: i18n;
  private readonly fixed = new Map<Language, TFunction>();

  constructor(readonly catalogs: Catalogs) {
    this.i18n = createI18n(catalogs);
    for (const language of LANGUAGES) this.fixed.set(language, remembered(this.i18n.getFixedT(language)));
  }

  static load(dir: string): Translations {
    return new Translations(readCatalogs(dir));
  }

  t(language: Language): TFunction {
    return this.fixed.get(language)!;
  }

  /** For templates: `t(key, values)` in the current language (inLanguage). */
  readonly current = (key: string, values?: Record<string, unknown>): string =>
    (this.fixed.get(currentLanguage())! as (k: string, v?: Record<string, unknown>) => string)(key, values);

  /**
   * For templates: a message that is either a key of the catalogs (errors of the family side's forms)
   * or a text already written (staff pages, a name): translated if it is a key, shown as it is otherwise.
   */
  readonly message = (value: unknown, values?: Record<string, unknown>): unknown =>
    isMessageKey(value) ? this.current(value, values) : value;
}
