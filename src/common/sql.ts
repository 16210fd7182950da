import type { EntityManager, QueryResult } from 'typeorm';

/**
 * The typed way to run SQL. Every query a module writes by hand lives in its `*.queries.ts` file and
 * goes through these functions with the row interface it returns (camelCase fields, aliased in the
 * SQL: `a.starts_at AS "startsAt"`), so no `any` leaves the data layer. The EntityManager is always
 * given: a transaction's own, or the DataSource's manager for a read outside any transaction.
 */
async function run(db: EntityManager, sql: string, params: readonly unknown[]): Promise<QueryResult> {
  const runner = db.queryRunner ?? db.connection.createQueryRunner();
  try {
    return await runner.query(sql, [...params], true);
  } finally {
    if (!db.queryRunner) await runner.release();
  }
}

/** The rows of a SELECT, or of an INSERT / UPDATE / DELETE … RETURNING. */
export async function select<T>(db: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return ((await run(db, sql, params)).records ?? []) as T[];
}

/** The first row, or null. */
export async function selectOne<T>(db: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T | null> {
  return (await select<T>(db, sql, params))[0] ?? null;
}

/** A statement without result rows; returns how many rows it changed. */
export async function execute(db: EntityManager, sql: string, params: readonly unknown[] = []): Promise<number> {
  return (await run(db, sql, params)).affected ?? 0;
}
