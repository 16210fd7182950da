import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole } from '../auth/roles';
import { Establishment } from '../establishments/establishment.entity';
import { Agent } from './agent.entity';

@Entity('role_assignments')
export class RoleAssignment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'agent_id', type: 'uuid' }) agentId!: string;
  @ManyToOne(() => Agent, (a) => a.roles, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'agent_id' }) agent?: Agent;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @ManyToOne(() => Establishment) @JoinColumn({ name: 'establishment_id' }) establishment?: Establishment;
  @Column('text') role!: StaffRole;
  @Column({ name: 'granted_by', type: 'uuid', nullable: true }) grantedBy!: string | null;
  @Column({ name: 'granted_at', type: 'timestamptz', default: () => 'now()' }) grantedAt!: Date;
}
