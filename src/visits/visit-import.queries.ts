import type { EntityManager } from 'typeorm';
import { execute, select } from '../common/sql';

/** The SQL of GENESIS daily-list imports (table visit_imports); the visits go through visit.queries.ts. */

export async function insertImport(
  db: EntityManager,
  establishmentId: string,
  filename: string,
  importedBy: string | null,
): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO visit_imports (establishment_id, filename, imported_by, visits_created, visits_existing, visitors_unmatched,
                                lines_rejected, report)
     VALUES ($1, $2, $3, 0, 0, 0, 0, '{}') RETURNING id`,
    [establishmentId, filename, importedBy],
  );
  return row.id;
}

export interface ImportCounts {
  created: number;
  existing: number;
  unmatched: number;
  rejected: number;
}

export async function finishImport(db: EntityManager, id: string, counts: ImportCounts, report: unknown): Promise<void> {
  await execute(
    db,
    `UPDATE visit_imports SET visits_created = $2, visits_existing = $3, visitors_unmatched = $4, lines_rejected = $5, report = $6
      WHERE id = $1`,
    [id, counts.created, counts.existing, counts.unmatched, counts.rejected, JSON.stringify(report)],
  );
}

/** The establishment's active rooms, to match the room names of the list. */
export function activeRooms(db: EntityManager, establishmentId: string) {
  return select<{ id: string; name: string; cabins: number }>(
    db,
    `SELECT id, name, cabins FROM visiting_rooms WHERE establishment_id = $1 AND active`,
    [establishmentId],
  );
}
