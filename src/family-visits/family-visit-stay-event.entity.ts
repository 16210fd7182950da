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
}
