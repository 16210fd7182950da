import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One entry of the append-only, hash-chained audit log (docs/adr/0003). Written only through
 * AuditService.record; the database assigns id, time and hashes and refuses updates and deletes.
 */
@Entity('audit_log')
export class AuditLogEntry {
  @PrimaryColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'actor_type', type: 'text' }) actorType!: 'AGENT' | 'FAMILY' | 'SYSTEM';
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ name: 'actor_label', type: 'text', nullable: true }) actorLabel!: string | null;
  @Column({ type: 'text' }) action!: string;
  @Column({ name: 'entity_type', type: 'text' }) entityType!: string;
  @Column({ name: 'entity_id', type: 'text', nullable: true }) entityId!: string | null;
  @Column({ name: 'establishment_id', type: 'uuid', nullable: true }) establishmentId!: string | null;
  @Column({ type: 'jsonb', nullable: true }) before!: unknown;
  @Column({ type: 'jsonb', nullable: true }) after!: unknown;
  @Column({ name: 'prev_hash', type: 'char', length: 64 }) prevHash!: string;
  @Column({ type: 'char', length: 64, unique: true }) hash!: string;
}
