import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One import of a GENESIS daily visit list, with its report. */
@Entity('visit_imports')
export class VisitImportEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ type: 'text' }) filename!: string;
  @Column({ name: 'imported_by', type: 'uuid' }) importedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'visits_created', type: 'integer' }) visitsCreated!: number;
  @Column({ name: 'visits_existing', type: 'integer' }) visitsExisting!: number;
  @Column({ name: 'visitors_unmatched', type: 'integer' }) visitorsUnmatched!: number;
  @Column({ name: 'lines_rejected', type: 'integer' }) linesRejected!: number;
  @Column({ type: 'jsonb' }) report!: unknown;
}
