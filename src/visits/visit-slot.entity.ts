import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One occurrence of a slot, created on first booking: its places booked and held (for the family
 * the waiting list offers one to). The CHECK `booked + held <= capacity`, updated under this row's
 * lock, is what makes overbooking impossible.
 */
@Entity('visit_slots')
export class VisitSlotEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'room_id', type: 'uuid' }) roomId!: string;
  /** Null for a slot created by a GENESIS import (no weekly slot behind it). */
  @Column({ name: 'template_id', type: 'uuid', nullable: true }) templateId!: string | null;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt!: Date;
  @Column({ type: 'integer' }) capacity!: number;
  @Column({ type: 'integer', default: 0 }) booked!: number;
  @Column({ type: 'integer', default: 0 }) held!: number;
}
