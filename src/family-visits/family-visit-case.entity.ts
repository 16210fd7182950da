import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { FamilyVisitKind } from './family-unit.entity';

export type FamilyVisitCaseStatus = 'INSTRUCTION' | 'CPU' | 'REFERRED' | 'DECIDED' | 'CLOSED';
export type CpuOpinion = 'FAVOURABLE' | 'UNFAVOURABLE' | 'RESERVED';

/**
 * One wished UVF or PF visit of a detainee: the case file the SPIP instructs, grouping the detainee's
 * request and each visitor's (family_visit_requests), the CPU opinion and, for a prévenu, the referral
 * to the magistrate.
 */
@Entity('family_visit_cases')
export class FamilyVisitCase {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 12, unique: true }) reference!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ type: 'text' }) kind!: FamilyVisitKind;
  @Column({ name: 'wished_from', type: 'date' }) wishedFrom!: string;
  @Column({ name: 'wished_to', type: 'date' }) wishedTo!: string;
  @Column({ name: 'wished_hours', type: 'integer' }) wishedHours!: number;
  @Column({ type: 'text', default: 'INSTRUCTION' }) status!: FamilyVisitCaseStatus;
  /** The SPIP counsellor in charge. */
  @Column({ name: 'counsellor_id', type: 'uuid', nullable: true }) counsellorId!: string | null;
  @Column({ name: 'cpu_on', type: 'date', nullable: true }) cpuOn!: string | null;
  @Column({ name: 'cpu_opinion', type: 'text', nullable: true }) cpuOpinion!: CpuOpinion | null;
  @Column({ name: 'cpu_notes', type: 'text', nullable: true }) cpuNotes!: string | null;
  @Column({ type: 'text', nullable: true }) magistrate!: string | null;
  @Column({ name: 'referred_at', type: 'timestamptz', nullable: true }) referredAt!: Date | null;
  @Column({ name: 'referral_opinion', type: 'text', nullable: true }) referralOpinion!: string | null;
  @Column({ name: 'proposed_hours', type: 'integer', nullable: true }) proposedHours!: number | null;
  /** PF: the head proposes (and fixes) one slot or two cumulated; null for a UVF. */
  @Column({ name: 'proposed_slots', type: 'smallint', nullable: true }) proposedSlots!: 1 | 2 | null;
  /** The detainee cannot get leave (permission de sortir): first on the units' waiting list. */
  @Column({ name: 'no_leave_possible', type: 'boolean', default: false }) noLeavePossible!: boolean;
  /** How far the family lives (km): for PF, far families come first on the waiting list. */
  @Column({ name: 'distance_km', type: 'integer', nullable: true }) distanceKm!: number | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
