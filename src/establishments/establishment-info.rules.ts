import { DEFAULT_LANGUAGE, type Language, LANGUAGES } from '../common/i18n';
import { phoneForDisplay } from '../common/phone';
import { type Tr, trIn } from '../common/translate';

/**
 * An establishment's practical information as families read it (public page, "Mes visites"): the
 * fields given, none of those left empty, so that no page prints a label without its value.
 */

/** The longest text of each field, in characters (the migration's checks say the same). */
export const INFO_LIMITS = {
  address: 500,
  parloirHours: 1000,
  access: 2000,
  lockers: 1000,
  whatToBring: 2000,
  dressCode: 1000,
  accessibility: 1000,
} as const;

/** The stored information, NULL for a field not given. */
export interface EstablishmentInfoFields {
  address: string | null;
  parloirPhone: string | null;
  parloirHours: string | null;
  access: string | null;
  lockers: string | null;
  whatToBring: string | null;
  dressCode: string | null;
  accessibility: string | null;
}

export const NO_INFO: EstablishmentInfoFields = {
  address: null,
  parloirPhone: null,
  parloirHours: null,
  access: null,
  lockers: null,
  whatToBring: null,
  dressCode: null,
  accessibility: null,
};

/** The texts an administrator may translate for families (the postal address and the phone are not). */
export const TRANSLATED_FIELDS = ['parloirHours', 'access', 'lockers', 'whatToBring', 'dressCode', 'accessibility'] as const;
export type TranslatedField = (typeof TRANSLATED_FIELDS)[number];
export type InfoTexts = Record<TranslatedField, string | null>;

/** The languages the information may be translated into: the family side's, French aside (it is the original). */
export const TRANSLATION_LANGUAGES = LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE) as Exclude<Language, 'fr'>[];
export type TranslationLanguage = (typeof TRANSLATION_LANGUAGES)[number];

export function isTranslationLanguage(value: unknown): value is TranslationLanguage {
  return (TRANSLATION_LANGUAGES as readonly unknown[]).includes(value);
}

/** The sections of the public page, in their order (headings: practical:sections.<field>). */
export const INFO_SECTIONS = [
  'access',
  'lockers',
  'whatToBring',
  'dressCode',
  'accessibility',
] as const satisfies readonly TranslatedField[];

/** Lines of a text with the language they are written in: the family's, or French when not translated. */
export interface TextIn {
  lines: string[];
  lang: Language;
}

export interface PracticalInfo {
  code: string;
  name: string;
  /** The public page: /etablissements/:code/infos-pratiques. */
  path: string;
  /** Each line of the postal address (empty: none given). */
  addressLines: string[];
  phone: { e164: string; display: string } | null;
  /** The opening hours, each line (empty: none given). */
  hours: TextIn;
  /** The other sections given, each as its paragraphs (lines). */
  sections: ({ field: string; title: string } & TextIn)[];
  /** Some text is shown in French on a page in another language: the page says so. */
  partlyFrench: boolean;
  /** Nothing at all was given: the page says so and how to reach the establishment otherwise. */
  empty: boolean;
}

/** A free text's lines, blank ones dropped (the templates print each as its own line, escaped). */
export function linesOf(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export const infoPath = (code: string) => `/etablissements/${encodeURIComponent(code)}/infos-pratiques`;

/**
 * What families are shown of an establishment's practical information, in `language`: each text in
 * the administrator's translation when there is one, else in French (marked so).
 */
export function practicalInfo(
  establishment: { code: string; name: string },
  info: EstablishmentInfoFields,
  opts: { language?: Language; translation?: InfoTexts | null } = {},
): PracticalInfo {
  const language = opts.language ?? DEFAULT_LANGUAGE;
  const t: Tr = trIn(language);
  // A translation stands for a French text: a section the French no longer gives is not shown, even translated.
  const textIn = (field: TranslatedField): TextIn => {
    const french = linesOf(info[field]);
    const translated = language === DEFAULT_LANGUAGE || french.length === 0 ? [] : linesOf(opts.translation?.[field]);
    return translated.length ? { lines: translated, lang: language } : { lines: french, lang: DEFAULT_LANGUAGE };
  };
  const addressLines = linesOf(info.address);
  const hours = textIn('parloirHours');
  const phone = info.parloirPhone ? { e164: info.parloirPhone, display: phoneForDisplay(info.parloirPhone) } : null;
  const sections = INFO_SECTIONS.map((field) => ({ field, title: t(`practical:sections.${field}`), ...textIn(field) })).filter(
    (s) => s.lines.length > 0,
  );
  return {
    code: establishment.code,
    name: establishment.name,
    path: infoPath(establishment.code),
    addressLines,
    phone,
    hours,
    sections,
    partlyFrench: language !== DEFAULT_LANGUAGE && [hours, ...sections].some((s) => s.lines.length > 0 && s.lang === DEFAULT_LANGUAGE),
    empty: addressLines.length === 0 && !phone && hours.lines.length === 0 && sections.length === 0,
  };
}

/** Where a translation stands, for the administrator: fields of the French text it covers, and whether the French changed since. */
export interface TranslationStatus {
  language: TranslationLanguage;
  /** Fields with a French text. */
  toTranslate: number;
  /** Of those, the fields translated. */
  translated: number;
  /** The French was saved again after this translation. */
  frenchChangedSince: boolean;
}

export function translationStatus(
  language: TranslationLanguage,
  french: InfoTexts & { updatedAt: Date | null },
  translation: (InfoTexts & { frenchUpdatedAt: Date | null }) | null,
): TranslationStatus {
  const given = TRANSLATED_FIELDS.filter((f) => french[f] !== null);
  return {
    language,
    toTranslate: given.length,
    translated: translation ? given.filter((f) => translation[f] !== null).length : 0,
    frenchChangedSince:
      translation !== null &&
      french.updatedAt !== null &&
      (translation.frenchUpdatedAt === null || french.updatedAt.getTime() > translation.frenchUpdatedAt.getTime()),
  };
}

/** A text field as stored: trimmed, NULL when empty (the table refuses blanks). */
export function storedText(value: string | undefined | null): string | null {
  const t = (value ?? '').replace(/\r\n/g, '\n').trim();
  return t === '' ? null : t;
}

/** "appelez le parloir de l’établissement", with its number when the establishment gave one. */
export function callTheParloir(phone: string | null): string {
  return `appelez le parloir de l’établissement${phone ? ` au ${phoneForDisplay(phone)}` : ''}`;
}
