import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PreventionCause, RestrictionKind } from './visit-restriction.rules';

/** A period when a detainee cannot receive visits (prevented) or only one a week (disciplinary cell), R341-3 2° and 3°. */
@Entity('visit_restrictions')
export class VisitRestrictionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ type: 'text' }) kind!: RestrictionKind;
  @Column({ type: 'text', nullable: true }) cause!: PreventionCause | null;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt!: Date;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'ended_early_at', type: 'timestamptz', nullable: true }) endedEarlyAt!: Date | null;
  @Column({ name: 'ended_by', type: 'uuid', nullable: true }) endedBy!: string | null;
}
