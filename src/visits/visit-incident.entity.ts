import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { IncidentReason } from './visit-incident.rules';

/** A report (compte-rendu d'incident) attached to a visit; `interruptedAt` when the agent ended the visit (R341-12). */
@Entity('visit_incidents')
export class VisitIncidentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'visit_id', type: 'uuid' }) visitId!: string;
  @Column({ name: 'visitor_id', type: 'uuid', nullable: true }) visitorId!: string | null;
  @Column({ type: 'text' }) reason!: IncidentReason;
  @Column({ type: 'text' }) report!: string;
  @Column({ name: 'interrupted_at', type: 'timestamptz', nullable: true }) interruptedAt!: Date | null;
  @Column({ name: 'written_by', type: 'uuid' }) writtenBy!: string;
  @Column({ name: 'written_at', type: 'timestamptz' }) writtenAt!: Date;
}
