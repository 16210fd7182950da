import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rate limits' counters (sign-in, the écrou check of a permit request, video-call codes), in the
 * database so that every app instance behind the load balancer counts the same requests: one row per
 * limiter key and fixed window, incremented with INSERT … ON CONFLICT. Windows past are purged by the
 * app (src/common/rate-limit-store.ts); nothing else refers to this table.
 */
export class RateLimitHits1763903150000 implements MigrationInterface {
  name = 'RateLimitHits1763903150000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_limit_hits (
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL CHECK (hits >= 0),
        PRIMARY KEY (key, window_start)
      )`);
    await q.query(`CREATE INDEX rate_limit_hits_window_start ON rate_limit_hits (window_start)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_hits`);
  }
}
