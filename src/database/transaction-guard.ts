import { AsyncLocalStorage } from 'node:async_hooks';
import { EntityManager, QueryRunner } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * The transaction guard (on in every test run, TX_GUARD): while a transaction's callback runs, a
 * query on any other connection throws at once, naming the query and where the transaction began.
 * Such a query waits for a lock the transaction holds, or sees data the transaction has not
 * committed yet: on the embedded database (one transaction at a time) it deadlocks, on PostgreSQL
 * it is a bug that shows only under load. The guard makes it fail on the first run, anywhere.
 */
interface OpenTransaction {
  runner: QueryRunner;
  open: boolean;
  origin: string;
}

export class QueryOutsideTransactionError extends Error {
  constructor(sql: string, origin: string) {
    super(
      `Query outside its transaction: "${sql.replace(/\s+/g, ' ').trim().slice(0, 160)}" ran on another connection while a transaction was open. ` +
        `Pass the transaction's EntityManager down. The transaction began at:\n${origin}`,
    );
    this.name = 'QueryOutsideTransactionError';
  }
}

const current = new AsyncLocalStorage<OpenTransaction>();
let installed = false;

/** Where the transaction began: the first frames outside TypeORM and this file. */
function origin(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  return frames
    .filter((f) => !f.includes('node_modules') && !f.includes(__filename) && !f.includes('node:internal'))
    .slice(0, 4)
    .join('\n');
}

export function installTransactionGuard(): void {
  if (installed) return;
  installed = true;

  type RunIn<T> = (m: EntityManager) => Promise<T>;
  type Transaction = (this: EntityManager, a: unknown, b?: unknown) => Promise<unknown>;
  // The originals, called with their `this` below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const transaction = EntityManager.prototype.transaction as Transaction;
  EntityManager.prototype.transaction = function <T>(this: EntityManager, isolationOrRun: string | RunIn<T>, run?: RunIn<T>): Promise<T> {
    const callback = typeof isolationOrRun === 'function' ? isolationOrRun : run;
    if (!callback) throw new Error('transaction() needs a callback');
    const began = origin();
    const guarded: RunIn<T> = async (m) => {
      const tx: OpenTransaction = { runner: m.queryRunner as QueryRunner, open: true, origin: began };
      try {
        return await current.run(tx, () => callback(m));
      } finally {
        tx.open = false;
      }
    };
    return (
      typeof isolationOrRun === 'function' ? transaction.call(this, guarded) : transaction.call(this, isolationOrRun, guarded)
    ) as Promise<T>;
  };

  // eslint-disable-next-line @typescript-eslint/unbound-method
  const query = PostgresQueryRunner.prototype.query as (this: PostgresQueryRunner, sql: string, ...rest: unknown[]) => Promise<unknown>;
  PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, sql: string, ...rest: unknown[]) {
    const tx = current.getStore();
    if (tx?.open && tx.runner !== this) return Promise.reject(new QueryOutsideTransactionError(sql, tx.origin));
    return query.call(this, sql, ...rest);
  } as PostgresQueryRunner['query'];
}
