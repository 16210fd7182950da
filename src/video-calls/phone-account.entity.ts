import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A detainee's phone account, in euro cents: `balanceCents` is all the money on it, `blockedCents` the
 * part held for booked calls (never more than the balance); available = balance − blocked.
 */
@Entity('phone_accounts')
export class PhoneAccountEntity {
  @PrimaryColumn({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ name: 'balance_cents', type: 'integer', default: 0 }) balanceCents!: number;
  @Column({ name: 'blocked_cents', type: 'integer', default: 0 }) blockedCents!: number;
  /** A VideoCallPlan code: 'NONE' or the plan's monthly amount in euros. */
  @Column({ name: 'plan_code', type: 'text', default: 'NONE' }) planCode!: string;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
