import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PermitImportStatus = 'PREVIEW' | 'RUNNING' | 'DONE' | 'FAILED' | 'CANCELLED';

/** A bulk import of the establishment's paper permits (CSV and photos): previewed, then applied all or nothing. */
@Entity('permit_imports')
export class PermitImport {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'file_name', type: 'text' }) fileName!: string;
  @Column({ type: 'text', default: 'PREVIEW' }) status!: PermitImportStatus;
  @Column({ name: 'total_rows', type: 'integer', default: 0 }) totalRows!: number;
  @Column({ name: 'rejected_rows', type: 'integer', default: 0 }) rejectedRows!: number;
  /** Progress while RUNNING. */
  @Column({ name: 'processed_rows', type: 'integer', default: 0 }) processedRows!: number;
  @Column({ name: 'created_permits', type: 'integer', default: 0 }) createdPermits!: number;
  /** Each line's outcome, as the preview shows it. */
  @Column({ type: 'jsonb', default: () => "'[]'" }) preview!: unknown;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}
