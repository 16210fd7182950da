import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StayEventKind =
  'ENTRY_INVENTORY' | 'EXIT_INVENTORY' | 'BELONGINGS' | 'PRESENCE_CHECK' | 'ROUND' | 'INCIDENT' | 'INTERVENTION' | 'EARLY_END';

/** The registers of a stay: inventories, belongings and lockers, presence checks, rounds, incident and intervention reports. */
@Entity('family_visit_stay_events')
export class FamilyVisitStayEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'stay_id', type: 'uuid' }) stayId!: string;
  @Column({ type: 'text' }) kind!: StayEventKind;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ name: 'agent_id', type: 'uuid' }) agentId!: string;
  @Column({ type: 'text' }) notes!: string;
  /** An intervention's cause: at the occupants' call, or on an incident or a suspicion (then decided by the head or a delegate). */
  @Column({ name: 'intervention_cause', type: 'text', nullable: true }) interventionCause!: 'CALL' | 'INCIDENT' | null;
  /** Who decided an intervention on incident: the head of establishment or an agent holding a signature delegation. */
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy!: string | null;
}
