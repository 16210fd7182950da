import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { IdDocumentType, Relationship } from './permit.rules';

export type RefusalGround = 'GOOD_ORDER' | 'SECURITY' | 'CRIME_PREVENTION' | 'REHABILITATION' | 'VICTIM' | 'NO_CONTACT_ORDER';

export const PERMIT_REQUEST_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'INCOMPLETE',
  'READY',
  'GRANTED',
  'REFUSED',
  'IMPLICITLY_REJECTED',
  'WITHDRAWN',
] as const;
export type PermitRequestStatus = (typeof PERMIT_REQUEST_STATUSES)[number];

/** A family's visit permit request: a draft filled step by step, then instructed and decided by the establishment. */
@Entity('permit_requests')
export class PermitRequest {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** `PV-XXXXXXXX`, given when the request is sent (a draft has none). */
  @Column({ type: 'varchar', length: 12, nullable: true, unique: true }) reference!: string | null;
  @Column({ name: 'family_account_id', type: 'uuid' }) familyAccountId!: string;
  @Column({ name: 'establishment_id', type: 'uuid', nullable: true }) establishmentId!: string | null;
  @Column({ name: 'detainee_id', type: 'uuid', nullable: true }) detaineeId!: string | null;
  /** The furthest step of the wizard reached (1 to 9): where the family resumes. */
  @Column({ type: 'integer', default: 1 }) step!: number;
  @Column({ name: 'documents_understood', type: 'boolean', default: false }) documentsUnderstood!: boolean;
  @Column({ name: 'for_self', type: 'boolean', nullable: true }) forSelf!: boolean | null;
  @Column({ name: 'visitor_given_name', type: 'text', nullable: true }) visitorGivenName!: string | null;
  @Column({ name: 'visitor_family_name', type: 'text', nullable: true }) visitorFamilyName!: string | null;
  @Column({ name: 'visitor_birthdate', type: 'date', nullable: true }) visitorBirthdate!: string | null;
  @Column({ type: 'text', nullable: true }) relationship!: Relationship | null;
  @Column({ name: 'relationship_detail', type: 'text', nullable: true }) relationshipDetail!: string | null;
  @Column({ name: 'id_document_type', type: 'text', nullable: true }) idDocumentType!: IdDocumentType | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'text', default: 'DRAFT' }) status!: PermitRequestStatus;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt!: Date | null;
  /** When the request was last complete: the 2-month decision deadline runs from here. */
  @Column({ name: 'complete_at', type: 'timestamptz', nullable: true }) completeAt!: Date | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy!: string | null;
  @Column({ name: 'decision_motivation', type: 'text', nullable: true }) decisionMotivation!: string | null;
  /** The family withdrew its pending request. */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt!: Date | null;
  /** The legal ground of a refusal (code pénitentiaire; see REFUSAL_GROUNDS). */
  @Column({ name: 'refusal_ground', type: 'text', nullable: true }) refusalGround!: RefusalGround | null;
  /** The decision's author as printed: first name, name, quality, « par délégation » (CRPA L212-1). */
  @Column({ name: 'decided_as', type: 'text', nullable: true }) decidedAs!: string | null;
  /** While incomplete: the date by which the missing pieces are expected. */
  @Column({ name: 'documents_due', type: 'date', nullable: true }) documentsDue!: string | null;
  /** A recourse is recorded: the documents are kept whatever the retention period. */
  @Column({ name: 'litigation_hold_since', type: 'timestamptz', nullable: true }) litigationHoldSince!: Date | null;
  @Column({ name: 'litigation_note', type: 'text', nullable: true }) litigationNote!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
