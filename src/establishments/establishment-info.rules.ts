import { phoneForDisplay } from '../common/phone';

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

/** The sections of the public page, in their order, with their headings. */
export const INFO_SECTIONS = [
  { field: 'access', title: 'Accès et transports' },
  { field: 'lockers', title: 'Casiers et consigne' },
  { field: 'whatToBring', title: 'Ce que vous pouvez apporter' },
  { field: 'dressCode', title: 'Tenue vestimentaire' },
  { field: 'accessibility', title: 'Accessibilité' },
] as const satisfies readonly { field: keyof EstablishmentInfoFields; title: string }[];

export interface PracticalInfo {
  code: string;
  name: string;
  /** The public page: /etablissements/:code/infos-pratiques. */
  path: string;
  /** Each line of the postal address (empty: none given). */
  addressLines: string[];
  phone: { e164: string; display: string } | null;
  /** Each line of the opening hours (empty: none given). */
  hoursLines: string[];
  /** The other sections given, each as its paragraphs (lines). */
  sections: { field: string; title: string; lines: string[] }[];
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

/** What families are shown of an establishment's practical information. */
export function practicalInfo(establishment: { code: string; name: string }, info: EstablishmentInfoFields): PracticalInfo {
  const addressLines = linesOf(info.address);
  const hoursLines = linesOf(info.parloirHours);
  const phone = info.parloirPhone ? { e164: info.parloirPhone, display: phoneForDisplay(info.parloirPhone) } : null;
  const sections = INFO_SECTIONS.map((s) => ({ field: s.field, title: s.title, lines: linesOf(info[s.field]) })).filter(
    (s) => s.lines.length > 0,
  );
  return {
    code: establishment.code,
    name: establishment.name,
    path: infoPath(establishment.code),
    addressLines,
    phone,
    hoursLines,
    sections,
    empty: addressLines.length === 0 && !phone && hoursLines.length === 0 && sections.length === 0,
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
