import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { ImportLine, KnownDetainee } from './permit-import.rules';
import { visitorKey } from './permit-import.rules';
import type { PermitImportStatus } from './permit-import.entity';

/** The SQL of the bulk import of paper permits: the import row, the establishment's detainees and permits, the bulk insert. */

export interface PermitImportRow {
  id: string;
  establishmentId: string;
  fileName: string;
  status: PermitImportStatus;
  totalRows: number;
  rejectedRows: number;
  processedRows: number;
  createdPermits: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  createdByName: string;
}

const IMPORT_COLUMNS = `i.id, i.establishment_id AS "establishmentId", i.file_name AS "fileName", i.status, i.total_rows AS "totalRows",
  i.rejected_rows AS "rejectedRows", i.processed_rows AS "processedRows", i.created_permits AS "createdPermits", i.error,
  i.created_at AS "createdAt", i.finished_at AS "finishedAt", a.first_name || ' ' || a.last_name AS "createdByName"`;

export async function insertPermitImport(
  db: EntityManager,
  i: { id: string; establishmentId: string; createdBy: string; fileName: string; lines: ImportLine[] },
): Promise<void> {
  await execute(
    db,
    `INSERT INTO permit_imports (id, establishment_id, created_by, file_name, total_rows, rejected_rows, preview)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      i.id,
      i.establishmentId,
      i.createdBy,
      i.fileName,
      i.lines.length,
      i.lines.filter((l) => l.reasons.length > 0).length,
      JSON.stringify(i.lines),
    ],
  );
}

/** An import of this establishment (another establishment's is not found). */
export function permitImport(db: EntityManager, establishmentId: string, id: string): Promise<PermitImportRow | null> {
  return selectOne<PermitImportRow>(
    db,
    `SELECT ${IMPORT_COLUMNS} FROM permit_imports i JOIN agents a ON a.id = i.created_by WHERE i.id = $1 AND i.establishment_id = $2`,
    [id, establishmentId],
  );
}

export function recentImports(db: EntityManager, establishmentId: string): Promise<PermitImportRow[]> {
  return select<PermitImportRow>(
    db,
    `SELECT ${IMPORT_COLUMNS} FROM permit_imports i JOIN agents a ON a.id = i.created_by
      WHERE i.establishment_id = $1 ORDER BY i.created_at DESC LIMIT 10`,
    [establishmentId],
  );
}

export async function previewLines(db: EntityManager, id: string): Promise<ImportLine[]> {
  const row = await selectOne<{ preview: ImportLine[] }>(db, `SELECT preview FROM permit_imports WHERE id = $1`, [id]);
  return row?.preview ?? [];
}

/**
 * PREVIEW → RUNNING, only for a preview without any rejected line, made after `previewSince`; false
 * otherwise (already started, rejected lines, too old).
 */
export async function startImport(db: EntityManager, establishmentId: string, id: string, previewSince: Date): Promise<boolean> {
  return (
    (await execute(
      db,
      `UPDATE permit_imports SET status = 'RUNNING', processed_rows = 0
        WHERE id = $1 AND establishment_id = $2 AND status = 'PREVIEW' AND rejected_rows = 0 AND total_rows > 0 AND created_at > $3`,
      [id, establishmentId, previewSince],
    )) === 1
  );
}

export async function cancelImport(db: EntityManager, establishmentId: string, id: string, at: Date): Promise<boolean> {
  return (
    (await execute(
      db,
      `UPDATE permit_imports SET status = 'CANCELLED', finished_at = $3 WHERE id = $1 AND establishment_id = $2 AND status = 'PREVIEW'`,
      [id, establishmentId, at],
    )) === 1
  );
}

export async function cancelStale(db: EntityManager, id: string, at: Date): Promise<boolean> {
  return (
    (await execute(db, `UPDATE permit_imports SET status = 'CANCELLED', finished_at = $2 WHERE id = $1 AND status = 'PREVIEW'`, [
      id,
      at,
    ])) === 1
  );
}

export async function setProgress(db: EntityManager, id: string, processed: number): Promise<void> {
  await execute(db, `UPDATE permit_imports SET processed_rows = $2 WHERE id = $1 AND status = 'RUNNING'`, [id, processed]);
}

/** RUNNING → DONE; false if the run was meanwhile marked failed (then the caller rolls back). */
export async function finishImport(db: EntityManager, id: string, created: number, at: Date): Promise<boolean> {
  return (
    (await execute(
      db,
      `UPDATE permit_imports SET status = 'DONE', processed_rows = total_rows, created_permits = $2, finished_at = $3
        WHERE id = $1 AND status = 'RUNNING'`,
      [id, created, at],
    )) === 1
  );
}

export async function failImport(db: EntityManager, id: string, error: string, at: Date): Promise<void> {
  await execute(db, `UPDATE permit_imports SET status = 'FAILED', error = $2, finished_at = $3 WHERE id = $1 AND status = 'RUNNING'`, [
    id,
    error,
    at,
  ]);
}

/** Previews left unapplied since `before` (their ZIP is deleted), and runs whose process died (no progress since `before`). */
export function stalePreviews(db: EntityManager, before: Date): Promise<{ id: string }[]> {
  return select<{ id: string }>(db, `SELECT id FROM permit_imports WHERE status = 'PREVIEW' AND created_at < $1`, [before]);
}

export function staleRuns(db: EntityManager, before: Date): Promise<{ id: string }[]> {
  return select<{ id: string }>(db, `SELECT id FROM permit_imports WHERE status = 'RUNNING' AND created_at < $1`, [before]);
}

/** The detainees present in the establishment with these numéros d'écrou. */
export function presentDetainees(db: EntityManager, establishmentId: string, ecrous: string[]): Promise<KnownDetainee[]> {
  return select<KnownDetainee>(
    db,
    `SELECT id, ecrou_number AS "ecrouNumber", first_name || ' ' || last_name AS name, legal_status AS "legalStatus"
       FROM detainees WHERE establishment_id = $1 AND ecrou_number = ANY($2::text[]) AND custody_status = 'PRESENT'`,
    [establishmentId, ecrous],
  );
}

/** The visitors who already hold a permit (not withdrawn) for these detainees, as `visitorKey`s. */
export async function existingVisitorKeys(db: EntityManager, detaineeIds: string[]): Promise<Set<string>> {
  const rows = await select<{ detaineeId: string; familyName: string; givenName: string; birthdate: string }>(
    db,
    `SELECT detainee_id AS "detaineeId", visitor_family_name AS "familyName", visitor_given_name AS "givenName",
            to_char(visitor_birthdate, 'YYYY-MM-DD') AS birthdate
       FROM permits WHERE detainee_id = ANY($1::uuid[]) AND status <> 'WITHDRAWN'`,
    [detaineeIds],
  );
  return new Set(rows.map((r) => visitorKey(r.detaineeId, r.familyName, r.givenName, r.birthdate)));
}

/** Serializes the imports of one establishment (the duplicate check and the inserts see each other). */
export async function lockImports(db: EntityManager, establishmentId: string): Promise<void> {
  await execute(db, `SELECT pg_advisory_xact_lock(hashtext('permit-import'), hashtext($1))`, [establishmentId]);
}

export interface ImportedPermit {
  id: string;
  photoId: string;
  storageKey: string;
  sha256: string;
  sizeBytes: number;
  claimCode: string;
  line: ImportLine & { detaineeId: string; birthdate: string; relationship: NonNullable<ImportLine['relationship']> };
}

/** Inserts the photos' records and the permits, a few hundred rows per statement. */
export async function insertImportedPermits(
  db: EntityManager,
  establishmentId: string,
  importId: string,
  permits: ImportedPermit[],
): Promise<void> {
  for (let i = 0; i < permits.length; i += 250) {
    const batch = permits.slice(i, i + 250);
    const col = <T>(f: (p: ImportedPermit) => T) => batch.map(f);
    await execute(
      db,
      `INSERT INTO permit_documents (id, request_id, kind, storage_key, content_type, size_bytes, sha256, original_name, review)
       SELECT id, NULL, 'PHOTO', key, 'image/jpeg', size, sha, name, 'ACCEPTED'
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[]) AS t(id, key, size, sha, name)`,
      [col((p) => p.photoId), col((p) => p.storageKey), col((p) => p.sizeBytes), col((p) => p.sha256), col((p) => p.line.photo ?? '')],
    );
    await execute(
      db,
      `INSERT INTO permits (id, establishment_id, detainee_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship,
                            photo_document_id, valid_from, valid_to, origin, claim_code, max_visits, room_condition, issuing_authority,
                            paper_reference, import_id, head_review_due)
       SELECT id, $1, detainee, given, family, birth, rel, photo, vfrom, vto, origin, code, maxv, room, authority, ref, $2, review
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::date[], $8::text[], $9::uuid[], $10::date[], $11::date[],
                     $12::text[], $13::text[], $14::int[], $15::text[], $16::text[], $17::text[], $18::boolean[])
              AS t(id, detainee, given, family, birth, rel, photo, vfrom, vto, origin, code, maxv, room, authority, ref, review)`,
      [
        establishmentId,
        importId,
        col((p) => p.id),
        col((p) => p.line.detaineeId),
        col((p) => p.line.givenName),
        col((p) => p.line.familyName),
        col((p) => p.line.birthdate),
        col((p) => p.line.relationship),
        col((p) => p.photoId),
        col((p) => p.line.validFrom),
        col((p) => p.line.validTo),
        col((p) => p.line.origin),
        col((p) => p.claimCode),
        col((p) => p.line.maxVisits),
        col((p) => p.line.roomCondition),
        col((p) => p.line.issuingAuthority),
        col((p) => p.line.paperReference),
        col((p) => p.line.headReviewDue),
      ],
    );
  }
}

export interface CreatedPermitRow {
  id: string;
  visitorGivenName: string;
  visitorFamilyName: string;
  detaineeName: string;
  ecrouNumber: string;
  origin: 'PAPER' | 'MAGISTRATE';
  paperReference: string | null;
}

export async function createdPermits(
  db: EntityManager,
  importId: string,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: CreatedPermitRow[] }> {
  const rows = await select<CreatedPermitRow & { total: number }>(
    db,
    `SELECT p.id, p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            d.first_name || ' ' || d.last_name AS "detaineeName", d.ecrou_number AS "ecrouNumber", p.origin,
            p.paper_reference AS "paperReference", count(*) OVER ()::int AS total
       FROM permits p JOIN detainees d ON d.id = p.detainee_id
      WHERE p.import_id = $1 ORDER BY p.visitor_family_name, p.visitor_given_name, p.id LIMIT $2 OFFSET $3`,
    [importId, pageSize, (page - 1) * pageSize],
  );
  return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _total, ...r }) => r) };
}

/** The establishment's time zone (its calendar days: the orders in force on the import's day). */
export async function establishmentTimeZone(db: EntityManager, establishmentId: string): Promise<string> {
  const row = await selectOne<{ timeZone: string }>(db, `SELECT time_zone AS "timeZone" FROM establishments WHERE id = $1`, [
    establishmentId,
  ]);
  return row?.timeZone ?? 'Europe/Paris';
}
