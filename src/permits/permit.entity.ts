import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Relationship } from './permit.rules';

/** ON_HOLD: the head put the visits on hold and referred to the magistrate who issued it (R341-3 1°). */
export const PERMIT_STATUSES = ['ACTIVE', 'ON_HOLD', 'SUSPENDED', 'WITHDRAWN'] as const;
export type PermitStatus = (typeof PERMIT_STATUSES)[number];
export type PermitOrigin = 'ONLINE' | 'PAPER' | 'MAGISTRATE';
export type RoomCondition = 'SEPARATION' | 'ACCESSIBLE';

/** A visit permit: granted online, or recorded from paper or from the magistrate (prévenus). */
@Entity('permits')
export class Permit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid', nullable: true, unique: true }) requestId!: string | null;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ name: 'family_account_id', type: 'uuid', nullable: true }) familyAccountId!: string | null;
  @Column({ name: 'visitor_given_name', type: 'text' }) visitorGivenName!: string;
  @Column({ name: 'visitor_family_name', type: 'text' }) visitorFamilyName!: string;
  @Column({ name: 'visitor_birthdate', type: 'date' }) visitorBirthdate!: string;
  @Column({ type: 'text' }) relationship!: Relationship;
  @Column({ name: 'photo_document_id', type: 'uuid', nullable: true }) photoDocumentId!: string | null;
  @Column({ name: 'valid_from', type: 'date' }) validFrom!: string;
  @Column({ name: 'valid_to', type: 'date', nullable: true }) validTo!: string | null;
  @Column({ type: 'text', default: 'ACTIVE' }) status!: PermitStatus;
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason!: string | null;
  @Column({ type: 'text' }) origin!: PermitOrigin;
  /** The code a family types in « Mes permis » to link a recorded permit to its account; cleared once claimed. */
  @Column({ name: 'claim_code', type: 'varchar', length: 12, nullable: true, unique: true }) claimCode!: string | null;
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true }) claimedAt!: Date | null;
  /** A permit valid for a limited number of visits (R341-1); null: no limit. */
  @Column({ name: 'max_visits', type: 'integer', nullable: true }) maxVisits!: number | null;
  /** Conditions of place and time (R341-1): a room kind, ISO days (1 = Monday), hours. */
  @Column({ name: 'room_condition', type: 'text', nullable: true }) roomCondition!: RoomCondition | null;
  @Column({ name: 'allowed_days', type: 'smallint', array: true, nullable: true }) allowedDays!: number[] | null;
  @Column({ name: 'allowed_from', type: 'time', nullable: true }) allowedFrom!: string | null;
  @Column({ name: 'allowed_to', type: 'time', nullable: true }) allowedTo!: string | null;
  @Column({ name: 'conditions_note', type: 'text', nullable: true }) conditionsNote!: string | null;
  /** Who issued it outside P2V (the magistrate and jurisdiction, or the establishment for paper). */
  @Column({ name: 'issuing_authority', type: 'text', nullable: true }) issuingAuthority!: string | null;
  @Column({ name: 'paper_reference', type: 'text', nullable: true }) paperReference!: string | null;
  /** A magistrate's permit whose detainee is now condamné: the head must review it (R341-5). */
  @Column({ name: 'head_review_due', type: 'boolean', default: false }) headReviewDue!: boolean;
  @Column({ name: 'import_id', type: 'uuid', nullable: true }) importId!: string | null;
  /**
   * A minor of 16 or more may visit an ordinary parloir without an adult with the written consent of the
   * parental-authority holders (circulaire of 20 February 2012), recorded here by the greffe with the document.
   */
  @Column({ name: 'unaccompanied_consent_at', type: 'timestamptz', nullable: true }) unaccompaniedConsentAt!: Date | null;
  @Column({ name: 'unaccompanied_consent_by', type: 'uuid', nullable: true }) unaccompaniedConsentBy!: string | null;
  @Column({ name: 'unaccompanied_consent_document_id', type: 'uuid', nullable: true }) unaccompaniedConsentDocumentId!: string | null;
  @Column({ name: 'unaccompanied_consent_note', type: 'text', nullable: true }) unaccompaniedConsentNote!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
