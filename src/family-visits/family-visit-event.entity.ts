import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The history of a case: requests received, interviews, CPU opinion, decisions, notes. */
@Entity('family_visit_events')
export class FamilyVisitEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId!: string;
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId!: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'text', nullable: true }) message!: string | null;
  @Column({ name: 'visible_to_family', type: 'boolean', default: false }) visibleToFamily!: boolean;
  @Column({ name: 'actor_type', type: 'text' }) actorType!: 'AGENT' | 'FAMILY' | 'SYSTEM';
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId!: string | null;
}
