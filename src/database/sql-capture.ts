import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Benchmarks only (SQL_CAPTURE_FILE, refused in production): every statement the app sends through
 * TypeORM while it serves a request is appended to the file as a JSON line with the request's id
 * (`X-Request-Id`), its SQL and parameters. `npm run bench` (scripts/bench/) replays them in its bare
 * `node:http` + `pg` baseline, so that both servers run the same SQL. Background jobs (no request)
 * are not written.
 */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export interface CapturedStatement {
  requestId: string;
  sql: string;
  params: unknown[];
}

export class SqlCaptureLogger implements TypeOrmLogger {
  constructor(private readonly file: string) {}

  logQuery(query: string, parameters?: unknown[]): void {
    const requestId = requestContext.getStore()?.requestId;
    if (!requestId) return;
    const line: CapturedStatement = { requestId, sql: query, params: parameters ?? [] };
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  logQueryError(error: string | Error, query: string): void {
    process.stderr.write(`query failed: ${query}: ${String(error)}\n`);
  }

  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
