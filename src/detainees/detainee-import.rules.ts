import { parse } from 'csv-parse/sync';
import { parseDate } from '../common/dates';
import { normalizeName } from '../common/names';
import type { CustodyStatus, LegalStatus } from './detainee.entity';

/**
 * Import of the population of one establishment from the national prison software (GENESIS).
 * The expected file is documented in docs/genesis-detainees-csv.md. Pure functions: parsing and
 * planning; the service applies the plan in one transaction. The plan changes only the importing
 * establishment's detainees: a person who seems to arrive from another establishment is proposed
 * to that establishment as a transfer, for its administrator to confirm or dismiss.
 */
export const EXPECTED_COLUMNS = ['numero_ecrou', 'nom', 'prenom', 'date_naissance', 'categorie_penale'] as const;
/** Optional: building and cell ("Bâtiment A, cellule 112"), shown on the visiting room's "mouvements". */
export const HOUSING_COLUMN = 'cellule';
export const MAX_IMPORT_LINES = 20000;
/** A person who left another establishment this recently and arrives here may have been transferred. */
export const TRANSFER_WINDOW_DAYS = 30;

export interface ImportRecord {
  line: number;
  ecrouNumber: string;
  lastName: string;
  firstName: string;
  birthDate: string; // YYYY-MM-DD
  legalStatus: LegalStatus;
  /** Building / cell; undefined when the file has no `cellule` column (the known value is kept). */
  housing?: string | null;
}

export interface LineError {
  line: number;
  message: string;
}

export function identityKey(r: { lastName: string; firstName: string; birthDate: string }): string {
  return `${normalizeName(r.lastName)}|${normalizeName(r.firstName)}|${r.birthDate}`;
}

function parseLegalStatus(raw: string): LegalStatus | null {
  const v = normalizeName(raw);
  if (v === 'PREVENU' || v === 'PREVENUE') return 'PREVENU';
  if (v === 'CONDAMNE' || v === 'CONDAMNEE') return 'CONDAMNE';
  // Prévenu in one case and condamné in another: « MIXTE », « PREVENU_CONDAMNE », « Prévenu et condamné »…
  if (['MIXTE', 'PREVENU CONDAMNE', 'PREVENUE CONDAMNEE', 'PREVENU ET CONDAMNE', 'PREVENUE ET CONDAMNEE'].includes(v)) return 'MIXTE';
  return null;
}

export function parseGenesisCsv(text: string, today: string): { records: ImportRecord[]; errors: LineError[] } {
  const errors: LineError[] = [];
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { delimiter: [';', ','], relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    return { records: [], errors: [{ line, message: 'Le fichier n’est pas un CSV lisible (guillemets mal fermés ?)' }] };
  }
  if (rows.length === 0) return { records: [], errors: [{ line: 1, message: 'Le fichier est vide' }] };
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const missing = EXPECTED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) {
    return { records: [], errors: [{ line: 1, message: `Colonnes manquantes dans l’en-tête : ${missing.join(', ')}` }] };
  }
  if (rows.length - 1 > MAX_IMPORT_LINES) {
    return { records: [], errors: [{ line: 1, message: `Le fichier dépasse ${MAX_IMPORT_LINES} lignes` }] };
  }
  if (rows.length === 1) return { records: [], errors: [{ line: 2, message: 'Le fichier ne contient aucune personne détenue' }] };
  const col = Object.fromEntries(EXPECTED_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof EXPECTED_COLUMNS)[number], number>;
  const housingCol = header.indexOf(HOUSING_COLUMN);

  const records: ImportRecord[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const get = (c: (typeof EXPECTED_COLUMNS)[number]) => (row[col[c]] ?? '').trim();
    const problems: string[] = [];
    const ecrou = get('numero_ecrou').toUpperCase();
    if (!/^[0-9A-Z]{1,20}$/.test(ecrou)) problems.push('numéro d’écrou manquant ou invalide (chiffres et lettres, 20 au plus)');
    const lastName = get('nom');
    const firstName = get('prenom');
    if (!lastName) problems.push('nom manquant');
    if (!firstName) problems.push('prénom manquant');
    const birthDate = parseDate(get('date_naissance'));
    if (!birthDate) problems.push(`date de naissance invalide « ${get('date_naissance')} » (attendu JJ/MM/AAAA)`);
    else if (birthDate > today || birthDate < '1900-01-01') problems.push(`date de naissance impossible « ${get('date_naissance')} »`);
    const legalStatus = parseLegalStatus(get('categorie_penale'));
    if (!legalStatus) problems.push(`catégorie pénale inconnue « ${get('categorie_penale')} » (attendu PREVENU, CONDAMNE ou MIXTE)`);
    if (ecrou && seen.has(ecrou)) problems.push(`numéro d’écrou ${ecrou} déjà présent ligne ${seen.get(ecrou)}`);
    if (problems.length) {
      errors.push({ line, message: problems.join(' ; ') });
      return;
    }
    seen.set(ecrou, line);
    const housing = housingCol >= 0 ? (row[housingCol] ?? '').trim().slice(0, 100) || null : undefined;
    records.push({
      line,
      ecrouNumber: ecrou,
      lastName,
      firstName,
      birthDate: birthDate!,
      legalStatus: legalStatus!,
      ...(housing !== undefined ? { housing } : {}),
    });
  });
  return { records, errors };
}

export interface ExistingDetainee {
  id: string;
  establishmentId: string;
  ecrouNumber: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  legalStatus: LegalStatus;
  custodyStatus: CustodyStatus;
  leftAt: Date | null;
  housing?: string | null;
}

export interface ImportPlan {
  creates: ImportRecord[];
  updates: { id: string; record: ImportRecord; before: ExistingDetainee }[];
  releases: ExistingDetainee[];
  /**
   * People found present (or just released) elsewhere who arrive here: a transfer proposed to their
   * establishment, which alone may mark its record TRANSFERE. Nothing of it is applied nor reported here.
   */
  transferProposals: { from: ExistingDetainee; record: ImportRecord }[];
  unchanged: number;
}

/**
 * @param here      every detainee record of the importing establishment
 * @param elsewhere records of other establishments that are PRESENT, or left within TRANSFER_WINDOW_DAYS
 */
export function planImport(records: ImportRecord[], here: ExistingDetainee[], elsewhere: ExistingDetainee[], now: Date): ImportPlan {
  const byEcrou = new Map(here.map((d) => [d.ecrouNumber, d]));
  const windowStart = now.getTime() - TRANSFER_WINDOW_DAYS * 86400_000;
  const candidates = new Map<string, ExistingDetainee>();
  for (const d of elsewhere) {
    if (d.custodyStatus === 'PRESENT' || (d.custodyStatus === 'LIBERE' && d.leftAt && d.leftAt.getTime() >= windowStart)) {
      candidates.set(identityKey(d), d);
    }
  }
  const plan: ImportPlan = { creates: [], updates: [], releases: [], transferProposals: [], unchanged: 0 };
  const inFile = new Set<string>();
  for (const r of records) {
    inFile.add(r.ecrouNumber);
    const existing = byEcrou.get(r.ecrouNumber);
    if (existing) {
      const same =
        existing.lastName === r.lastName &&
        existing.firstName === r.firstName &&
        existing.birthDate === r.birthDate &&
        existing.legalStatus === r.legalStatus &&
        (r.housing === undefined || (existing.housing ?? null) === r.housing) &&
        existing.custodyStatus === 'PRESENT';
      if (same) plan.unchanged++;
      else plan.updates.push({ id: existing.id, record: r, before: existing });
      continue;
    }
    plan.creates.push(r);
    const from = candidates.get(identityKey(r));
    if (from) plan.transferProposals.push({ from, record: r });
  }
  for (const d of here) {
    if (d.custodyStatus === 'PRESENT' && !inFile.has(d.ecrouNumber)) plan.releases.push(d);
  }
  return plan;
}

/** What an import would change, shown to the administrator before it is applied. */
export interface ImportPreview {
  /** People not yet known here. Whether one seems to come from another establishment is never told here (issue #9). */
  arrivals: number;
  /** People present here and absent from the file: released by the import. */
  releases: number;
  /**
   * Of the releases, people whose transfer to another establishment that establishment's import detected
   * (pending in « Transferts signalés »): better confirmed there than released.
   */
  transfers: number;
  /** Known people whose legal status changes (prévenu, condamné, mixed). */
  statusChanges: number;
  /** Other changes of known people: names, birth date, housing, or back in the establishment. */
  otherUpdates: number;
  unchanged: number;
  /** People present here before the import. */
  population: number;
  /** The releases as a whole percentage of `population`. */
  releasePercent: number;
  /** The releases exceed the share set (GENESIS_RELEASE_CONFIRM_PERCENT): a truncated or wrong export is likely. */
  massRelease: boolean;
}

/**
 * Whether an import releases more than `percent` % of the people present: then it is applied only with an
 * explicit confirmation (a truncated or wrong export would otherwise release a whole establishment).
 */
export function isMassRelease(releases: number, population: number, percent: number): boolean {
  return population > 0 && releases * 100 > population * percent;
}

/**
 * The counts of a plan for the preview; `here` is the establishment's records before the import,
 * `transferring` the ids of its detainees with a transfer proposed by another establishment's import.
 */
export function previewOf(plan: ImportPlan, here: ExistingDetainee[], transferring: ReadonlySet<string>, percent: number): ImportPreview {
  const population = here.filter((d) => d.custodyStatus === 'PRESENT').length;
  const statusChanges = plan.updates.filter((u) => u.before.legalStatus !== u.record.legalStatus).length;
  return {
    arrivals: plan.creates.length,
    releases: plan.releases.length,
    transfers: plan.releases.filter((d) => transferring.has(d.id)).length,
    statusChanges,
    otherUpdates: plan.updates.length - statusChanges,
    unchanged: plan.unchanged,
    population,
    releasePercent: population > 0 ? Math.round((plan.releases.length * 100) / population) : 0,
    massRelease: isMassRelease(plan.releases.length, population, percent),
  };
}

/** The refusal of a mass release applied without its explicit confirmation. */
export function massReleaseMessage(p: Pick<ImportPreview, 'releases' | 'population' | 'releasePercent'>, percent: number): string {
  return (
    `Ce fichier ferait sortir ${p.releases} personne${p.releases > 1 ? 's' : ''} sur ${p.population} présente${p.population > 1 ? 's' : ''} ` +
    `(${p.releasePercent} %, plus de ${percent} %) : l’export est peut-être tronqué ou d’un autre établissement. ` +
    'Vérifiez le fichier ; s’il est juste, cochez la case pour confirmer ces sorties.'
  );
}
