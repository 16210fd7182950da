import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import type { Direction } from './oversight.rules';

/** Who reads the national view (NATIONAL) or a direction's (INTERREGIONAL): `npm run oversight`. */
@Entity('oversight_assignments')
export class OversightAssignment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'agent_id', type: 'uuid' }) agentId!: string;
  @ManyToOne(() => Agent, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'agent_id' }) agent?: Agent;
  @Column('text') scope!: 'NATIONAL' | 'INTERREGIONAL';
  @Column({ type: 'text', nullable: true }) direction!: Direction | null;
  @Column({ name: 'granted_at', type: 'timestamptz', default: () => 'now()' }) grantedAt!: Date;
}
