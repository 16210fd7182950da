/**
 * TypeORM's `query()` on PostgreSQL returns `[rows, rowCount]` for UPDATE and DELETE statements
 * and plain rows otherwise: this gives the rows of an `UPDATE … RETURNING` either way.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
