import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AppointmentKind } from './appointment.rules';

export type AppointmentStatus = 'BOOKED' | 'CANCELLED';

/**
 * The `appointments` table, column for column as the migration creates it (checks and indexes stay
 * in the migration). The module reads and writes it through appointment.queries.ts; what a page or
 * a message needs, with the establishment's name and time zone, is `Appointment` there.
 */
@Entity('appointments')
export class AppointmentRecord {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) kind!: AppointmentKind;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'family_account_id', type: 'uuid', nullable: true }) familyAccountId!: string | null;
  @Column({ name: 'contact_email', type: 'text', nullable: true }) contactEmail!: string | null;
  @Column({ name: 'contact_phone', type: 'text', nullable: true }) contactPhone!: string | null;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt!: Date;
  @Column({ type: 'text' }) place!: string;
  @Column({ type: 'text' }) address!: string;
  @Column({ type: 'varchar', length: 12, unique: true }) reference!: string;
  @Column({ type: 'text', default: 'BOOKED' }) status!: AppointmentStatus;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
