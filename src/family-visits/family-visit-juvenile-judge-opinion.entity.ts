import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { JudgeOpinion } from './instruction.rules';

/**
 * A minor's request: whether the SPIP knows of a follow-up by a juge des enfants and, if so, the
 * magistrate's opinion asked through the PJJ service in charge of the measure (note DAP 2014 A.4, PF A.4).
 */
@Entity('family_visit_juvenile_judge_opinions')
export class FamilyVisitJuvenileJudgeOpinion {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ type: 'boolean' }) followed!: boolean;
  @Column({ name: 'pjj_service', type: 'text', nullable: true }) pjjService!: string | null;
  @Column({ name: 'asked_on', type: 'date', nullable: true }) askedOn!: string | null;
  /** null while the opinion has not come back. */
  @Column({ type: 'text', nullable: true }) opinion!: JudgeOpinion | null;
  @Column({ name: 'received_on', type: 'date', nullable: true }) receivedOn!: string | null;
  @Column({ type: 'text', nullable: true }) notes!: string | null;
  @Column({ name: 'recorded_by', type: 'uuid' }) recordedBy!: string;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
