import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Establishment } from '../establishments/establishment.entity';

/** One establishment's figures for one month of its clock (sums and counts), kept by OversightService's job. */
@Entity('establishment_month_stats')
export class EstablishmentMonthStats {
  @PrimaryColumn({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @ManyToOne(() => Establishment, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'establishment_id' }) establishment?: Establishment;
  /** The first day of the month. */
  @PrimaryColumn({ type: 'date' }) month!: string;
  @Column({ name: 'requests_received', type: 'int', default: 0 }) requestsReceived!: number;
  @Column({ type: 'int', default: 0 }) granted!: number;
  @Column({ type: 'int', default: 0 }) refused!: number;
  @Column({ name: 'implicitly_rejected', type: 'int', default: 0 }) implicitlyRejected!: number;
  @Column({ name: 'decision_days_sum', type: 'double precision', default: 0 }) decisionDaysSum!: number;
  @Column({ name: 'decision_days_count', type: 'int', default: 0 }) decisionDaysCount!: number;
  @Column({ name: 'visits_booked', type: 'int', default: 0 }) visitsBooked!: number;
  @Column({ name: 'visits_online', type: 'int', default: 0 }) visitsOnline!: number;
  @Column({ name: 'visits_held', type: 'int', default: 0 }) visitsHeld!: number;
  @Column({ name: 'visits_no_show', type: 'int', default: 0 }) visitsNoShow!: number;
  @Column({ name: 'visits_refused', type: 'int', default: 0 }) visitsRefused!: number;
  @Column({ name: 'visits_cancelled', type: 'int', default: 0 }) visitsCancelled!: number;
  @Column({ name: 'check_seconds_sum', type: 'double precision', default: 0 }) checkSecondsSum!: number;
  @Column({ name: 'check_count', type: 'int', default: 0 }) checkCount!: number;
  @Column({ name: 'check_days', type: 'int', default: 0 }) checkDays!: number;
  @Column({ type: 'int', default: 0 }) detainees!: number;
  @Column({ name: 'refreshed_at', type: 'timestamptz' }) refreshedAt!: Date;
}
