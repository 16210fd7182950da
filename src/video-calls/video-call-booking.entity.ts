import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type VideoCallBookingStatus = 'BOOKED' | 'HELD' | 'CANCELLED' | 'NO_SHOW';

/**
 * A booked video call. Never two overlapping on one device nor for one detainee, cancelled ones aside
 * (exclusion constraints). The plan's prices at booking are kept; `blockedCents` (cost of the longest
 * call) is held on the phone account, `chargedCents` is the real cost once held.
 */
@Entity('video_call_bookings')
export class VideoCallBookingEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ name: 'contact_id', type: 'uuid' }) contactId!: string;
  @Column({ name: 'device_id', type: 'uuid' }) deviceId!: string;
  /** [start, end) of the slot. */
  @Column({ type: 'tstzrange' }) slot!: string;
  @Column({ type: 'text', default: 'BOOKED' }) status!: VideoCallBookingStatus;
  @Column({ name: 'plan_code', type: 'text' }) planCode!: string;
  @Column({ name: 'cents_per_minute', type: 'integer' }) centsPerMinute!: number;
  @Column({ name: 'connection_cents', type: 'integer' }) connectionCents!: number;
  @Column({ name: 'blocked_cents', type: 'integer' }) blockedCents!: number;
  @Column({ name: 'charged_cents', type: 'integer', nullable: true }) chargedCents!: number | null;
  @Column({ name: 'duration_seconds', type: 'integer', nullable: true }) durationSeconds!: number | null;
  @Column({ name: 'booked_at', type: 'timestamptz', default: () => 'now()' }) bookedAt!: Date;
  @Column({ name: 'booked_by', type: 'uuid' }) bookedBy!: string;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
  @Column({ name: 'cancelled_by', type: 'uuid', nullable: true }) cancelledBy!: string | null;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason!: string | null;
}
