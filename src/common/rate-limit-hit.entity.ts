import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A rate limit's count for one key and fixed window (src/common/rate-limit-store.ts writes it, nothing reads it otherwise). */
@Entity('rate_limit_hits')
export class RateLimitHitRow {
  @PrimaryColumn({ type: 'text' }) key!: string;
  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' }) windowStart!: Date;
  @Column({ type: 'integer' }) hits!: number;
}
