import { parse } from 'csv-parse/sync';
import { parseDate } from '../common/dates';
import { normalizeName } from '../common/names';

/** Pure rules of the day at the visiting rooms: arrival checks, waiting-list offers, GENESIS daily lists, statistics. */

export const REFUSAL_REASONS = {
  NO_ID: 'Pas de pièce d’identité',
  ID_MISMATCH: 'Identité non conforme',
  PERMIT_SUSPENDED: 'Permis suspendu',
  PERMIT_INVALID: 'Permis non valable pour cette visite',
  LATE: 'Retard',
  SECURITY: 'Sécurité',
} as const;
export type RefusalReason = keyof typeof REFUSAL_REASONS;

export const CHECK_LABELS = { ARRIVED: 'Arrivé', ABSENT: 'Absent', REFUSED: 'Refusé' } as const;
export type CheckStatus = keyof typeof CHECK_LABELS;

export const VISIT_STATUS_LABELS = {
  BOOKED: 'Attendue',
  IN_PROGRESS: 'En cours',
  DONE: 'Terminée',
  NO_SHOW: 'Visiteur absent',
  REFUSED: 'Accès refusé',
  CANCELLED: 'Annulée',
} as const;
export type VisitStatus = keyof typeof VISIT_STATUS_LABELS;

/**
 * A visit's status from its visitors' checks: en cours as soon as one visitor has arrived; when
 * every visitor is checked and none arrived, "visiteur absent" (or "accès refusé" if one was
 * refused); otherwise still expected. A finished visit stays finished.
 */
export function statusAfterChecks(current: VisitStatus, checks: (CheckStatus | null)[]): VisitStatus {
  if (current === 'DONE' || current === 'CANCELLED') return current;
  if (checks.includes('ARRIVED')) return 'IN_PROGRESS';
  if (checks.length > 0 && checks.every((c) => c !== null)) return checks.includes('REFUSED') ? 'REFUSED' : 'NO_SHOW';
  return 'BOOKED';
}

/** Arrivals are checked on the visit's day (and corrected afterwards), never ahead of it. */
export function canCheck(visitDay: string, today: string): boolean {
  return visitDay <= today;
}

/** A refusal needs one of the listed reasons; other checks none. */
export function checkError(status: string, reason: string | undefined): string | null {
  if (!(status in CHECK_LABELS)) return 'Choisissez arrivé, absent ou refusé.';
  if (status === 'REFUSED' && !(reason && reason in REFUSAL_REASONS)) return 'Indiquez le motif du refus.';
  return null;
}

/**
 * How long a freed place is held for the family offered it: the establishment's limit, but the
 * offer ends one hour before the visit at the latest. No offer when less than 30 minutes would be left.
 */
export function offerExpiry(now: Date, startsAt: Date, offerHours: number): Date | null {
  const expiry = new Date(Math.min(now.getTime() + offerHours * 3600_000, startsAt.getTime() - 3600_000));
  return expiry.getTime() - now.getTime() >= 30 * 60_000 ? expiry : null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The QR code of a convocation may be read as the bare token or as the link it encodes. */
export function tokenFromScan(text: string): string | null {
  const m = /(P2VV\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22})/.exec(text);
  return m ? m[1] : null;
}

// ---------- GENESIS daily visit list (docs/genesis-visits-csv.md) ----------

export const VISIT_LIST_COLUMNS = [
  'date_visite',
  'heure_debut',
  'heure_fin',
  'parloir',
  'numero_ecrou',
  'nom_visiteur',
  'prenom_visiteur',
  'date_naissance_visiteur',
] as const;
export const MAX_VISIT_LIST_LINES = 5000;

export interface VisitListVisitor {
  line: number;
  familyName: string;
  givenName: string;
  birthdate: string;
}

export interface VisitListEntry {
  lines: number[];
  day: string;
  start: string; // HH:MM
  end: string;
  room: string;
  ecrou: string;
  visitors: VisitListVisitor[];
}

function parseTime(raw: string): string | null {
  const m = /^(\d{1,2})[:hH](\d{2})$/.exec(raw.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

/** Parses the daily list: one line per visitor, grouped into one visit per detainee and start time. */
export function parseGenesisVisitList(text: string): { entries: VisitListEntry[]; errors: { line: number; message: string }[] } {
  const errors: { line: number; message: string }[] = [];
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { delimiter: [';', ','], relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    return {
      entries: [],
      errors: [{ line: (e as { lines?: number }).lines ?? 1, message: 'Le fichier n’est pas un CSV lisible (guillemets mal fermés ?)' }],
    };
  }
  if (rows.length === 0) return { entries: [], errors: [{ line: 1, message: 'Le fichier est vide' }] };
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const missing = VISIT_LIST_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { entries: [], errors: [{ line: 1, message: `Colonnes manquantes dans l’en-tête : ${missing.join(', ')}` }] };
  if (rows.length - 1 > MAX_VISIT_LIST_LINES)
    return { entries: [], errors: [{ line: 1, message: `Le fichier dépasse ${MAX_VISIT_LIST_LINES} lignes` }] };
  if (rows.length === 1) return { entries: [], errors: [{ line: 2, message: 'Le fichier ne contient aucune visite' }] };
  const col = Object.fromEntries(VISIT_LIST_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof VISIT_LIST_COLUMNS)[number],
    number
  >;

  const byKey = new Map<string, VisitListEntry>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const get = (c: (typeof VISIT_LIST_COLUMNS)[number]) => (row[col[c]] ?? '').trim();
    const problems: string[] = [];
    const day = parseDate(get('date_visite'));
    if (!day) problems.push(`date de visite invalide « ${get('date_visite')} » (attendu JJ/MM/AAAA)`);
    const start = parseTime(get('heure_debut'));
    const end = parseTime(get('heure_fin'));
    if (!start) problems.push(`heure de début invalide « ${get('heure_debut')} » (attendu HH:MM)`);
    if (!end) problems.push(`heure de fin invalide « ${get('heure_fin')} » (attendu HH:MM)`);
    if (start && end && end <= start) problems.push('l’heure de fin doit suivre l’heure de début');
    const room = get('parloir');
    if (!room) problems.push('parloir manquant');
    const ecrou = get('numero_ecrou').toUpperCase();
    if (!/^[0-9A-Z]{1,20}$/.test(ecrou)) problems.push('numéro d’écrou manquant ou invalide');
    const familyName = get('nom_visiteur');
    const givenName = get('prenom_visiteur');
    if (!familyName || !givenName) problems.push('nom ou prénom du visiteur manquant');
    const birthdate = parseDate(get('date_naissance_visiteur'));
    if (!birthdate) problems.push(`date de naissance du visiteur invalide « ${get('date_naissance_visiteur')} »`);
    if (problems.length) {
      errors.push({ line, message: problems.join(' ; ') });
      return;
    }
    const key = `${ecrou}|${day}|${start}`;
    const entry = byKey.get(key) ?? { lines: [], day: day!, start: start!, end: end!, room, ecrou, visitors: [] };
    if (entry.room !== room || entry.end !== end) {
      errors.push({ line, message: `même visite que la ligne ${entry.lines[0]} mais parloir ou heure de fin différents` });
      return;
    }
    entry.lines.push(line);
    entry.visitors.push({ line, familyName, givenName, birthdate: birthdate! });
    byKey.set(key, entry);
  });
  return { entries: [...byKey.values()], errors };
}

/** The digital permit of a listed visitor: same detainee, same names (accents and case aside), same birth date. */
export function matchPermit<P extends { visitorFamilyName: string; visitorGivenName: string; birthdate: string }>(
  v: VisitListVisitor,
  permits: P[],
): P | null {
  const key = `${normalizeName(v.familyName)}|${normalizeName(v.givenName)}|${v.birthdate}`;
  return permits.find((p) => `${normalizeName(p.visitorFamilyName)}|${normalizeName(p.visitorGivenName)}|${p.birthdate}` === key) ?? null;
}
