import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PermitMeasureKind = 'SUSPENSION' | 'WITHDRAWAL' | 'REFERRAL';
export type PermitMeasureStatus = 'PROPOSED' | 'ENACTED' | 'ABANDONED' | 'REFERRED' | 'ANSWERED';

/**
 * A measure on a permit. SUSPENSION / WITHDRAWAL of a condamné's permit: PROPOSED to the holder, who
 * may present observations until `observationsDue` (CRPA L121-1, L122-1), then ENACTED or ABANDONED;
 * an urgent one is ENACTED at once. REFERRAL: the head put a magistrate's permit on hold and referred
 * to the magistrate (R341-3 1°): REFERRED, then ANSWERED with the magistrate's answer.
 */
@Entity('permit_measures')
export class PermitMeasure {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'permit_id', type: 'uuid' }) permitId!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ type: 'text' }) kind!: PermitMeasureKind;
  @Column({ type: 'text' }) status!: PermitMeasureStatus;
  @Column({ type: 'text' }) grounds!: string;
  @Column({ type: 'boolean', default: false }) urgent!: boolean;
  @Column({ name: 'suspended_until', type: 'date', nullable: true }) suspendedUntil!: string | null;
  @Column({ name: 'observations_due', type: 'date', nullable: true }) observationsDue!: string | null;
  @Column({ type: 'text', nullable: true }) observations!: string | null;
  @Column({ name: 'observations_at', type: 'timestamptz', nullable: true }) observationsAt!: Date | null;
  @Column({ type: 'text', nullable: true }) magistrate!: string | null;
  @Column({ name: 'magistrate_answer', type: 'text', nullable: true }) magistrateAnswer!: 'MAINTAINED' | 'SUSPENDED' | 'WITHDRAWN' | null;
  @Column({ name: 'magistrate_answer_note', type: 'text', nullable: true }) magistrateAnswerNote!: string | null;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt!: Date | null;
  @Column({ name: 'proposed_by', type: 'uuid' }) proposedBy!: string;
  @Column({ name: 'proposed_at', type: 'timestamptz', default: () => 'now()' }) proposedAt!: Date;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy!: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
}
