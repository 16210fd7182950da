import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { VisitStatus } from './visit-day.rules';

export type VisitChannel = 'ONLINE' | 'PHONE' | 'IN_PERSON' | 'GENESIS';

/** A booked visit: one detainee, one slot, its visitors (visit_visitors); `during` is the slot's time range. */
@Entity('visits')
export class VisitEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'slot_id', type: 'uuid' }) slotId!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ name: 'family_account_id', type: 'uuid', nullable: true }) familyAccountId!: string | null;
  @Column({ name: 'appointment_id', type: 'uuid', nullable: true }) appointmentId!: string | null;
  @Column({ type: 'varchar', length: 12, unique: true }) reference!: string;
  @Column({ type: 'text', default: 'BOOKED' }) status!: VisitStatus;
  @Column({ type: 'text' }) channel!: VisitChannel;
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey!: string | null;
  /** `[start, end)`, as PostgreSQL writes a tstzrange. */
  @Column({ type: 'tstzrange' }) during!: string;
  @Column({ name: 'booked_by_agent', type: 'uuid', nullable: true }) bookedByAgent!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
  @Column({ name: 'import_id', type: 'uuid', nullable: true }) importId!: string | null;
  /** Set by the trigger flag_visits_for_review ("À revoir"). */
  @Column({ name: 'review_reason', type: 'text', nullable: true }) reviewReason!: string | null;
  @Column({ name: 'review_flagged_at', type: 'timestamptz', nullable: true }) reviewFlaggedAt!: Date | null;
  @Column({ name: 'first_check_at', type: 'timestamptz', nullable: true }) firstCheckAt!: Date | null;
  @Column({ name: 'last_check_at', type: 'timestamptz', nullable: true }) lastCheckAt!: Date | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}
