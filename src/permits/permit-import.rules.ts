import { parse } from 'csv-parse/sync';
import { parseDay } from '../common/dates';
import type { PermitOrigin, RoomCondition } from './permit.entity';
import { RELATIONSHIPS, type Relationship } from './permit.rules';
import { type Person, samePerson } from './person-match';

/** Bulk import of the existing paper permits (docs/permits-csv.md): the CSV, the photos' names, the checks. */

export const MAX_IMPORT_LINES = 2000;
export const MAX_IMPORT_CSV_BYTES = 2 * 1024 * 1024;
/** The ZIP of photos as uploaded (kept in memory while it is read). */
export const MAX_IMPORT_ZIP_BYTES = 200 * 1024 * 1024;
/** Zip-bomb limits: what the ZIP may hold once uncompressed, and how many entries. */
export const MAX_ZIP_UNCOMPRESSED_BYTES = 500 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 5000;

export const IMPORT_COLUMNS = [
  'ligne',
  'nom',
  'prenom',
  'date_naissance',
  'numero_ecrou',
  'lien',
  'origine',
  'valable_du',
  'valable_au',
  'nombre_visites',
  'condition_salle',
  'autorite',
  'reference_papier',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly Column[] = [
  'ligne',
  'nom',
  'prenom',
  'date_naissance',
  'numero_ecrou',
  'lien',
  'origine',
  'valable_du',
];

/** One line of the file as the preview keeps it: what was read, and why it is rejected (empty: it will be created). */
export interface ImportLine {
  /** The line of the file (the header is line 1). */
  line: number;
  /** The `ligne` column: the number the photo is named after. */
  number: number | null;
  familyName: string;
  givenName: string;
  /** AAAA-MM-JJ, or null when unreadable. */
  birthdate: string | null;
  ecrou: string;
  relationship: Relationship | null;
  origin: Exclude<PermitOrigin, 'ONLINE'> | null;
  validFrom: string | null;
  validTo: string | null;
  maxVisits: number | null;
  roomCondition: RoomCondition | null;
  issuingAuthority: string | null;
  paperReference: string | null;
  /** The ZIP entry of the photo, once found. */
  photo: string | null;
  detaineeId: string | null;
  detaineeName: string | null;
  /** A magistrate's permit for a detainee now condamné: the head must review it (R341-5). */
  headReviewDue: boolean;
  reasons: string[];
}

/** A header or a label, reduced: lower case, accents and punctuation aside ("Prénom" = "prenom"). */
function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A person's name reduced for comparison in any script: case, accents, hyphens and spaces aside
 * ("Łucja Nguyễn-Şahin" = "ŁUCJA NGUYEN SAHIN"; Arabic letters kept as they are).
 */
export function nameKey(value: string): string {
  return fold(value).toLocaleUpperCase('fr');
}

/** The visitor of a permit: same detainee, same names and birth date means the same permit. */
export function visitorKey(detainee: string, familyName: string, givenName: string, birthdate: string): string {
  return `${detainee}|${nameKey(familyName)}|${nameKey(givenName)}|${birthdate}`;
}

const RELATIONSHIP_BY_TEXT = new Map<string, Relationship>(
  (Object.entries(RELATIONSHIPS) as [Relationship, string][]).flatMap(([code, label]) => [
    [fold(code), code],
    [fold(label), code],
  ]),
);

/** A relationship written as its code (SPOUSE) or its French label (« Époux ou épouse »). */
export function parseRelationship(raw: string): Relationship | null {
  return RELATIONSHIP_BY_TEXT.get(fold(raw)) ?? null;
}

export function parseOrigin(raw: string): Exclude<PermitOrigin, 'ONLINE'> | null {
  const v = fold(raw);
  if (v === 'papier' || v === 'paper') return 'PAPER';
  if (v === 'magistrat' || v === 'magistrate') return 'MAGISTRATE';
  return null;
}

export function parseRoomCondition(raw: string): RoomCondition | null {
  const v = fold(raw);
  if (v === 'separation' || v === 'parloir avec separation' || v === 'hygiaphone') return 'SEPARATION';
  if (v === 'accessible' || v === 'pmr') return 'ACCESSIBLE';
  return null;
}

type ParsedFile = { lines: ImportLine[]; fileError: null } | { lines: []; fileError: string };

/**
 * Reads the CSV (UTF-8 with or without BOM, `;` or `,`, quotes allowed) and checks each line on its
 * own and against the other lines of the file; what needs the database (écrou, existing permits) and
 * the photos is checked after, by `checkAgainst` and `assignPhotos`.
 */
export function parsePermitCsv(text: string, today: string): ParsedFile {
  if (text.includes('\u0000')) return { lines: [], fileError: 'Le fichier n’est pas un texte CSV (caractère nul).' };
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { delimiter: [';', ','], relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch {
    return { lines: [], fileError: 'Le fichier n’est pas un CSV lisible (guillemets mal fermés ?).' };
  }
  if (rows.length === 0) return { lines: [], fileError: 'Le fichier est vide.' };
  const header = rows[0].map((h) => fold(h).replace(/ /g, '_'));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { lines: [], fileError: `Colonnes manquantes dans l’en-tête (ligne 1) : ${missing.join(', ')}.` };
  if (rows.length === 1) return { lines: [], fileError: 'Le fichier ne contient aucun permis.' };
  if (rows.length - 1 > MAX_IMPORT_LINES) return { lines: [], fileError: `Le fichier dépasse ${MAX_IMPORT_LINES} permis : découpez-le.` };
  const col = new Map(IMPORT_COLUMNS.map((c) => [c, header.indexOf(c)]));

  const lines = rows.slice(1).map((row, i) => parseLine(i + 2, (c) => (col.get(c)! >= 0 ? (row[col.get(c)!] ?? '').trim() : ''), today));
  const seenNumber = new Map<number, number>();
  const seenReference = new Map<string, number>();
  const seenVisitor = new Map<string, number>();
  for (const l of lines) {
    if (l.number !== null) {
      const first = seenNumber.get(l.number);
      if (first) l.reasons.push(`numéro de ligne ${l.number} déjà utilisé à la ligne ${first}`);
      else seenNumber.set(l.number, l.line);
    }
    if (l.paperReference) {
      const first = seenReference.get(l.paperReference.toLowerCase());
      if (first) l.reasons.push(`référence papier « ${l.paperReference} » déjà utilisée à la ligne ${first}`);
      else seenReference.set(l.paperReference.toLowerCase(), l.line);
    }
    if (l.birthdate && l.ecrou && l.familyName && l.givenName) {
      const key = visitorKey(l.ecrou, l.familyName, l.givenName, l.birthdate);
      const first = seenVisitor.get(key);
      if (first) l.reasons.push(`doublon : même visiteur et même personne détenue qu’à la ligne ${first}`);
      else seenVisitor.set(key, l.line);
    }
  }
  return { lines, fileError: null };
}

function parseLine(line: number, get: (c: Column) => string, today: string): ImportLine {
  const reasons: string[] = [];
  const numberRaw = get('ligne');
  const number = /^\d{1,6}$/.test(numberRaw) && Number(numberRaw) > 0 ? Number(numberRaw) : null;
  if (number === null) reasons.push(`numéro de ligne manquant ou invalide « ${numberRaw} » (un nombre entier)`);
  const familyName = get('nom');
  const givenName = get('prenom');
  if (!familyName || !givenName) reasons.push('nom ou prénom du visiteur manquant');
  if (familyName.length > 100 || givenName.length > 100) reasons.push('nom ou prénom de plus de 100 caractères');
  const birthRaw = get('date_naissance');
  const birthdate = parseDay(birthRaw);
  if (!birthdate || birthdate > today) reasons.push(`date de naissance invalide « ${birthRaw} » (attendu JJ/MM/AAAA)`);
  const ecrou = get('numero_ecrou').toUpperCase();
  if (!/^[0-9A-Z]{1,20}$/.test(ecrou)) reasons.push(`numéro d’écrou manquant ou invalide « ${get('numero_ecrou')} »`);
  const relationship = parseRelationship(get('lien'));
  if (!relationship) reasons.push(`lien inconnu « ${get('lien')} » (voir la liste des liens)`);
  const origin = parseOrigin(get('origine'));
  if (!origin) reasons.push(`origine invalide « ${get('origine')} » (PAPIER ou MAGISTRAT)`);
  const validFrom = parseDay(get('valable_du'));
  if (!validFrom) reasons.push(`date de début invalide « ${get('valable_du')} » (attendu JJ/MM/AAAA)`);
  const toRaw = get('valable_au');
  const validTo = toRaw ? parseDay(toRaw) : null;
  if (toRaw && !validTo) reasons.push(`date de fin invalide « ${toRaw} » (attendu JJ/MM/AAAA, ou vide)`);
  if (validFrom && validTo && validTo < validFrom) reasons.push('la date de fin précède la date de début');
  if (validTo && validTo < today) reasons.push('permis déjà expiré : il n’est pas repris');
  const maxRaw = get('nombre_visites');
  const maxVisits = maxRaw && /^\d{1,4}$/.test(maxRaw) && Number(maxRaw) > 0 ? Number(maxRaw) : null;
  if (maxRaw && maxVisits === null) reasons.push(`nombre de visites invalide « ${maxRaw} » (un nombre entier, ou vide)`);
  const roomRaw = get('condition_salle');
  const roomCondition = roomRaw ? parseRoomCondition(roomRaw) : null;
  if (roomRaw && !roomCondition) reasons.push(`condition de salle invalide « ${roomRaw} » (SEPARATION, ACCESSIBLE, ou vide)`);
  const issuingAuthority = get('autorite') || null;
  if (issuingAuthority && issuingAuthority.length > 200) reasons.push('autorité de plus de 200 caractères');
  const paperReference = get('reference_papier') || null;
  if (paperReference && !/^[\p{L}\p{N}._ /-]{1,60}$/u.test(paperReference))
    reasons.push('référence papier invalide (60 caractères au plus : lettres, chiffres, - _ . /)');
  return {
    line,
    number,
    familyName,
    givenName,
    birthdate: birthdate && birthdate <= today ? birthdate : null,
    ecrou,
    relationship,
    origin,
    validFrom,
    validTo,
    maxVisits,
    roomCondition,
    issuingAuthority,
    paperReference,
    photo: null,
    detaineeId: null,
    detaineeName: null,
    headReviewDue: false,
    reasons,
  };
}

/** Why a line is rejected when a no-contact order in force names its visitor. */
export const NO_CONTACT_IMPORT_REASON = 'interdiction d’entrer en relation en vigueur entre ce visiteur et la personne détenue';

export interface KnownDetainee {
  id: string;
  ecrouNumber: string;
  name: string;
  /** PREVENU, CONDAMNE or MIXTE (a condamné also held as prévenu in another case). */
  legalStatus: 'PREVENU' | 'CONDAMNE' | 'MIXTE';
}

/**
 * The checks against the establishment: the écrou of a detainee present there, the magistrate as
 * the issuer for a prévenu (or mixed status, L341-5), and no permit already recorded for the same
 * visitor and detainee (a withdrawn one aside), and no no-contact order in force naming the visitor
 * (`orders`: the persons named, by detainee id). `existing` holds the `visitorKey`s by detainee id.
 */
export function checkAgainst(
  lines: ImportLine[],
  detainees: KnownDetainee[],
  existing: ReadonlySet<string>,
  orders: ReadonlyMap<string, readonly Person[]> = new Map(),
): void {
  const byEcrou = new Map(detainees.map((d) => [d.ecrouNumber.toUpperCase(), d]));
  for (const l of lines) {
    if (!l.ecrou || !/^[0-9A-Z]{1,20}$/.test(l.ecrou)) continue;
    const d = byEcrou.get(l.ecrou);
    if (!d) {
      l.reasons.push(`aucune personne détenue présente dans l’établissement n’a le numéro d’écrou ${l.ecrou}`);
      continue;
    }
    l.detaineeId = d.id;
    l.detaineeName = d.name;
    l.headReviewDue = d.legalStatus === 'CONDAMNE' && l.origin === 'MAGISTRATE';
    if (d.legalStatus !== 'CONDAMNE' && l.origin === 'PAPER')
      l.reasons.push('personne prévenue : le permis est délivré par le magistrat (origine MAGISTRAT)');
    if (l.birthdate && existing.has(visitorKey(d.id, l.familyName, l.givenName, l.birthdate)))
      l.reasons.push('doublon : ce visiteur a déjà un permis pour cette personne détenue');
    const visitor = { givenName: l.givenName, familyName: l.familyName, birthdate: l.birthdate };
    if ((orders.get(d.id) ?? []).some((o) => samePerson(o, visitor))) l.reasons.push(NO_CONTACT_IMPORT_REASON);
  }
}

export interface ZipPhoto {
  name: string;
  size: number;
}

/** The name a photo is looked up by: its file name without folder or extension, lower case; null if not a JPEG/PNG name. */
export function photoKey(entryName: string): string | null {
  const base = entryName.split('/').pop() ?? '';
  if (base.startsWith('.') || entryName.startsWith('__MACOSX/')) return null;
  const m = /^(.+)\.(jpe?g|png)$/i.exec(base);
  if (!m) return null;
  const stem = m[1].trim().toLowerCase();
  return /^\d+$/.test(stem) ? String(Number(stem)) : stem;
}

/** Gives each line its photo: named after its `ligne` number (12.jpg, 012.png) or its paper reference. */
export function assignPhotos(lines: ImportLine[], photos: ZipPhoto[], maxBytes: number): void {
  const byKey = new Map<string, ZipPhoto[]>();
  for (const p of photos) {
    const key = photoKey(p.name);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  const usedBy = new Map<string, number>();
  for (const l of lines) {
    const candidates = [
      ...(l.number !== null ? (byKey.get(String(l.number)) ?? []) : []),
      ...(l.paperReference ? (byKey.get(l.paperReference.toLowerCase()) ?? []) : []),
    ];
    const distinct = [...new Map(candidates.map((c) => [c.name, c])).values()];
    if (distinct.length === 0) {
      l.reasons.push(
        `photo manquante : ajoutez ${l.number ?? 'N'}.jpg${l.paperReference ? ` ou ${l.paperReference}.jpg` : ''} au fichier ZIP`,
      );
    } else if (distinct.length > 1) {
      l.reasons.push(`plusieurs photos pour cette ligne : ${distinct.map((d) => d.name).join(', ')}`);
    } else if (distinct[0].size > maxBytes) {
      l.reasons.push(`photo ${distinct[0].name} : elle dépasse ${Math.round(maxBytes / 1024 / 1024)} Mo`);
    } else if (usedBy.has(distinct[0].name)) {
      l.reasons.push(`photo ${distinct[0].name} déjà utilisée pour la ligne ${usedBy.get(distinct[0].name)}`);
    } else {
      l.photo = distinct[0].name;
      usedBy.set(l.photo, l.line);
    }
  }
}

/** Whether a text holds a control character (NUL, line feed…): such a file name is stored nowhere. */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

/** Rejected lines first, then the file's order. */
export function previewOrder(lines: readonly ImportLine[]): ImportLine[] {
  return [...lines].sort((a, b) => Number(b.reasons.length > 0) - Number(a.reasons.length > 0) || a.line - b.line);
}
