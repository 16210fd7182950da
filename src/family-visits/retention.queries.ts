import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';

/** The SQL of the retention of UVF / PF documents (docs/retention.md). */

export interface ExpiredFamilyVisitDocument {
  id: string;
  storageKey: string;
  requestId: string;
  establishmentId: string;
}

/**
 * The documents still stored of requests finally decided (granted, refused, implicitly rejected) or
 * withdrawn before `before` (the decision's time, or the withdrawal's; the request's last change for
 * a row that has neither), except while a stay of the case is still to come or in progress (a minor's consent and
 * the child's exit time are needed at the door) and while the request is under a litigation hold (a
 * recourse is recorded). Neither moves the clock: once the stay is over or the hold lifted, what is
 * due goes at the next run.
 */
export function familyVisitDocumentsExpired(db: EntityManager, before: Date): Promise<ExpiredFamilyVisitDocument[]> {
  return select<ExpiredFamilyVisitDocument>(
    db,
    `SELECT d.id, d.storage_key AS "storageKey", d.request_id AS "requestId", c.establishment_id AS "establishmentId"
       FROM family_visit_documents d JOIN family_visit_requests r ON r.id = d.request_id JOIN family_visit_cases c ON c.id = r.case_id
      WHERE d.deleted_at IS NULL
        AND r.status IN ('GRANTED','REFUSED','IMPLICITLY_REJECTED','WITHDRAWN')
        AND r.litigation_hold_since IS NULL
        AND COALESCE(r.decided_at, r.withdrawn_at, r.updated_at) <= $1
        AND NOT EXISTS (SELECT 1 FROM family_visit_stays s WHERE s.case_id = c.id AND s.status IN ('BOOKED','IN_PROGRESS'))
      ORDER BY d.created_at, d.id`,
    [before],
  );
}

/**
 * Whether the request is under a litigation hold, its row locked until the end of the transaction: a
 * hold being recorded (which takes the row FOR UPDATE, litigation.queries.ts) waits for it, or was
 * committed first and is seen here. FOR KEY SHARE does not wait for, nor hold up, the other updates
 * of the request (a decision, a signed rule), which could otherwise deadlock with the audit's lock.
 */
export async function requestHeld(m: EntityManager, requestId: string): Promise<boolean> {
  const row = await selectOne<{ held: boolean }>(
    m,
    `SELECT litigation_hold_since IS NOT NULL AS held FROM family_visit_requests WHERE id = $1 FOR KEY SHARE`,
    [requestId],
  );
  return row?.held ?? false;
}

/** Marks a document deleted (its file goes after the commit); 0 when another run did it first. */
export function markFamilyVisitDocumentDeleted(db: EntityManager, id: string, at: Date): Promise<number> {
  return execute(db, `UPDATE family_visit_documents SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL`, [id, at]);
}

/** Of these storage keys, those a document still uses (a record not deleted). */
export async function liveFamilyVisitStorageKeys(db: EntityManager, keys: readonly string[]): Promise<Set<string>> {
  const rows = await select<{ storageKey: string }>(
    db,
    `SELECT storage_key AS "storageKey" FROM family_visit_documents WHERE storage_key = ANY($1) AND deleted_at IS NULL`,
    [keys],
  );
  return new Set(rows.map((r) => r.storageKey));
}
