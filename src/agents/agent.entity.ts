import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { RoleAssignment } from './role-assignment.entity';

/** A staff member. Signs in with ProConnect; holds roles per establishment. No password anywhere. */
@Entity('agents')
export class Agent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'oidc_subject', type: 'text', nullable: true, unique: true }) oidcSubject!: string | null;
  @Column({ type: 'text', unique: true }) email!: string;
  @Column({ name: 'first_name', type: 'text' }) firstName!: string;
  @Column({ name: 'last_name', type: 'text' }) lastName!: string;
  /** Quality printed under a decision the agent signs (L212-1), e.g. « Directrice de la maison d’arrêt ». */
  @Column({ type: 'text', nullable: true }) quality!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true }) lastSignInAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @OneToMany(() => RoleAssignment, (r) => r.agent) roles?: RoleAssignment[];
}
