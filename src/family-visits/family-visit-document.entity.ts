import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type FamilyVisitDocumentKind = 'PARENTAL_CONSENT' | 'RULES_ACKNOWLEDGEMENT' | 'OTHER';
export type ConsentCapacity = 'BOTH_PARENTS' | 'SOLE_HOLDER' | 'DELEGATE' | 'GUARDIAN';

/** A document of a request: a parental-authority consent (who gave it, in what capacity), the signed rules. Encrypted on disk. */
@Entity('family_visit_documents')
export class FamilyVisitDocument {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ type: 'text' }) kind!: FamilyVisitDocumentKind;
  @Column({ name: 'consent_given_by', type: 'text', nullable: true }) consentGivenBy!: string | null;
  @Column({ name: 'consent_capacity', type: 'text', nullable: true }) consentCapacity!: ConsentCapacity | null;
  /** A consent: the accompanying adult it names (« le nom et prénom de l'adulte qui accompagnera »). */
  @Column({ name: 'consent_companion', type: 'text', nullable: true }) consentCompanion!: string | null;
  @Column({ name: 'storage_key', type: 'text', unique: true }) storageKey!: string;
  @Column({ name: 'content_type', type: 'text' }) contentType!: 'image/jpeg' | 'application/pdf';
  @Column({ name: 'size_bytes', type: 'integer' }) sizeBytes!: number;
  @Column({ type: 'char', length: 64 }) sha256!: string;
  @Column({ name: 'original_name', type: 'text' }) originalName!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
}
