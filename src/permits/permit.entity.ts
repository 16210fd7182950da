import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Relationship } from './permit.rules';

export const PERMIT_STATUSES = ['ACTIVE', 'SUSPENDED', 'WITHDRAWN'] as const;
export type PermitStatus = (typeof PERMIT_STATUSES)[number];
export type PermitOrigin = 'ONLINE' | 'PAPER' | 'MAGISTRATE';

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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
