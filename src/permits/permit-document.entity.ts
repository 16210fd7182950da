import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DOCUMENT_KINDS = [
  'PHOTO',
  'ID_DOCUMENT',
  'PROOF_OF_ADDRESS',
  // Complementary documents the establishment may ask for, each its own kind (never replacing the above).
  'LIVRET_FAMILLE',
  'PACS_PROOF',
  'COHABITATION_PROOF',
  'PARENTAL_CONSENT',
  'DOMICILIATION',
  'BIRTH_CERTIFICATE',
  'OTHER',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export type DocumentReview = 'PENDING' | 'ACCEPTED' | 'TO_REPLACE';

/**
 * A file of a request (photo, identity document, proof of address), or the photo of a permit recorded
 * from paper (no request). The content lives encrypted in the document store under `storageKey`.
 */
@Entity('permit_documents')
export class PermitDocument {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId!: string | null;
  @Column({ type: 'text' }) kind!: DocumentKind;
  @Column({ name: 'storage_key', type: 'text', unique: true }) storageKey!: string;
  @Column({ name: 'content_type', type: 'text' }) contentType!: 'image/jpeg' | 'application/pdf';
  @Column({ name: 'size_bytes', type: 'integer' }) sizeBytes!: number;
  @Column({ type: 'char', length: 64 }) sha256!: string;
  @Column({ name: 'original_name', type: 'text' }) originalName!: string;
  @Column({ type: 'text', default: 'PENDING' }) review!: DocumentReview;
  @Column({ name: 'review_reason', type: 'text', nullable: true }) reviewReason!: string | null;
  /** The latest file of its kind for the request (a replaced file stays, not current). */
  @Column({ type: 'boolean', default: true }) current!: boolean;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
