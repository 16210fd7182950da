import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type InterviewMode = 'IN_PERSON' | 'PHONE' | 'VISIO';
export type InterviewStatus = 'SCHEDULED' | 'DONE' | 'CANCELLED';

/** A SPIP counsellor's interview with one applicant (the detainee or a visitor): the link between them, the preparation. */
@Entity('family_visit_interviews')
export class FamilyVisitInterview {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ name: 'counsellor_id', type: 'uuid' }) counsellorId!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text' }) mode!: InterviewMode;
  @Column({ type: 'text', default: 'SCHEDULED' }) status!: InterviewStatus;
  @Column({ type: 'text', nullable: true }) notes!: string | null;
  @Column({ name: 'link_assessment', type: 'text', nullable: true }) linkAssessment!: string | null;
  @Column({ name: 'preparation_assessment', type: 'text', nullable: true }) preparationAssessment!: string | null;
  /** The convocation (appointments module: reminders, cancellation). */
  @Column({ name: 'appointment_id', type: 'uuid', nullable: true }) appointmentId!: string | null;
  /** A minor's interview held with the accompanying adult present (« selon des modalités adaptées à son âge »). */
  @Column({ name: 'with_accompanying_adult', type: 'boolean', default: false }) withAccompanyingAdult!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
