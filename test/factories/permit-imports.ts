import { zipSync } from 'fflate';

/** The header of a permits CSV (docs/permits-csv.md). */
export const PERMITS_CSV_HEADER =
  'ligne;nom;prenom;date_naissance;numero_ecrou;lien;origine;valable_du;valable_au;nombre_visites;condition_salle;autorite;reference_papier';

export interface CsvPermit {
  number: number;
  familyName: string;
  givenName: string;
  birthdate?: string;
  ecrou: string;
  relationship?: string;
  origin?: string;
  validFrom?: string;
  validTo?: string;
  maxVisits?: string;
  room?: string;
  authority?: string;
  reference?: string;
}

export function permitsCsv(lines: CsvPermit[]): string {
  return [
    PERMITS_CSV_HEADER,
    ...lines.map((l) =>
      [
        l.number,
        l.familyName,
        l.givenName,
        l.birthdate ?? '14/03/1988',
        l.ecrou,
        l.relationship ?? 'SPOUSE',
        l.origin ?? 'PAPIER',
        l.validFrom ?? '01/01/2026',
        l.validTo ?? '',
        l.maxVisits ?? '',
        l.room ?? '',
        l.authority ?? '',
        l.reference ?? '',
      ].join(';'),
    ),
  ].join('\n');
}

/** A ZIP of these files (stored, like photos usually are). */
export function zipOf(files: Record<string, Buffer | Uint8Array>): Buffer {
  return Buffer.from(
    zipSync(Object.fromEntries(Object.entries(files).map(([name, content]) => [name, [new Uint8Array(content), { level: 0 }]]))),
  );
}
