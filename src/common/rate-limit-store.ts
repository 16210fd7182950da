import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

/** What the store needs of the database: one statement at a time, outside any transaction (TypeORM's DataSource.query). */
export interface RateLimitDatabase {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The start of the fixed window holding `nowMs`: windows are aligned on the epoch, so every instance agrees on them. */
export function windowStartOf(nowMs: number, windowMs: number): Date {
  return new Date(Math.floor(nowMs / windowMs) * windowMs);
}

/** When the window holding `nowMs` ends, and its counter starts again from zero. */
export function windowEndOf(nowMs: number, windowMs: number): Date {
  return new Date(windowStartOf(nowMs, windowMs).getTime() + windowMs);
}

/**
 * The row's key: the limiter's name, its limit and the client's key. Instances that do not agree on
 * the limit (a change of SIGNIN_RATE_LIMIT rolling out) count apart rather than refuse at each
 * other's limit.
 */
export function rowKey(name: string, limit: number, clientKey: string): string {
  return `${name}:${limit}:${clientKey}`;
}

/** Windows past are deleted at most once per window and instance, after an increment. */
export function purgeDue(lastPurgeMs: number | undefined, nowMs: number, windowMs: number): boolean {
  return lastPurgeMs === undefined || nowMs - lastPurgeMs >= windowMs;
}

/** A PostgreSQL row count, typed loosely by the driver. */
function hitsOf(result: unknown): number {
  const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { hits: number | string }[];
  return rows.length ? Number(rows[0].hits) : 0;
}

/**
 * The express-rate-limit store of P2V: fixed windows counted in PostgreSQL (table rate_limit_hits),
 * so that the app instances behind the load balancer share one count per client. Each statement is
 * atomic on its own (INSERT … ON CONFLICT DO UPDATE … RETURNING), never inside a transaction: the
 * embedded database runs one transaction at a time and a limiter must not wait behind one.
 */
export class PostgresRateLimitStore implements Store {
  /** Counts are in the database: express-rate-limit may let several limiters share the table. */
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;
  private limit = 0;
  private lastPurge: number | undefined;

  constructor(
    private readonly db: RateLimitDatabase,
    private readonly name: string,
    private readonly now: () => number = Date.now,
    private readonly onPurgeError: (err: unknown) => void = () => undefined,
  ) {
    this.prefix = `${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.limit = typeof options.limit === 'number' ? options.limit : 0;
  }

  private key(clientKey: string): string {
    return rowKey(this.name, this.limit, clientKey);
  }

  async get(clientKey: string): Promise<ClientRateLimitInfo | undefined> {
    const now = this.now();
    const result = await this.db.query(`SELECT hits FROM rate_limit_hits WHERE key = $1 AND window_start = $2`, [
      this.key(clientKey),
      windowStartOf(now, this.windowMs),
    ]);
    const hits = hitsOf(result);
    return hits ? { totalHits: hits, resetTime: windowEndOf(now, this.windowMs) } : undefined;
  }

  async increment(clientKey: string): Promise<ClientRateLimitInfo> {
    const now = this.now();
    const result = await this.db.query(
      `INSERT INTO rate_limit_hits AS r (key, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = r.hits + 1
       RETURNING hits`,
      [this.key(clientKey), windowStartOf(now, this.windowMs)],
    );
    if (purgeDue(this.lastPurge, now, this.windowMs)) {
      this.lastPurge = now;
      this.purge(now).catch(this.onPurgeError);
    }
    return { totalHits: hitsOf(result), resetTime: windowEndOf(now, this.windowMs) };
  }

  async decrement(clientKey: string): Promise<void> {
    await this.db.query(`UPDATE rate_limit_hits SET hits = hits - 1 WHERE key = $1 AND window_start = $2 AND hits > 0`, [
      this.key(clientKey),
      windowStartOf(this.now(), this.windowMs),
    ]);
  }

  async resetKey(clientKey: string): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_hits WHERE key = $1`, [this.key(clientKey)]);
  }

  /** Deletes this limiter's windows that have ended (other limiters purge their own). */
  async purge(nowMs = this.now()): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_hits WHERE key LIKE $1 AND window_start < $2`, [
      `${this.name.replace(/[\\%_]/g, '\\$&')}:%`,
      windowStartOf(nowMs, this.windowMs),
    ]);
  }
}
