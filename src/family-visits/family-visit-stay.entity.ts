import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StayStatus = 'BOOKED' | 'IN_PROGRESS' | 'ENDED' | 'ENDED_EARLY' | 'CANCELLED';

/**
 * An authorised visit booked in a unit. Never two overlapping in a unit nor for one detainee, never more
 * visitors than its capacity (database).
 */
@Entity('family_visit_stays')
export class FamilyVisitStay {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId!: string;
  /** The case's detainee (kept so by a trigger): never in two stays at once (exclusion constraint). */
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId!: string;
  @Column({ type: 'tstzrange' }) during!: string;
  @Column({ type: 'integer' }) visitors!: number;
  @Column({ type: 'text', default: 'BOOKED' }) status!: StayStatus;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  @Column({ name: 'end_reason', type: 'text', nullable: true }) endReason!: string | null;
  /** A PF in two cumulated slots: the break between them (visitors outside), inside `during`; null otherwise. */
  @Column({ name: 'break_from', type: 'timestamptz', nullable: true }) breakFrom!: Date | null;
  @Column({ name: 'break_to', type: 'timestamptz', nullable: true }) breakTo!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
