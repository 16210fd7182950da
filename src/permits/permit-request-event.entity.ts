import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PermitRequestStatus } from './permit-request.entity';

export type RequestEventKind = 'STATUS' | 'MESSAGE' | 'NOTE';

/** The history of a request: status changes, messages to the family, internal notes (never shown to the family). */
@Entity('permit_request_events')
export class PermitRequestEvent {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ type: 'text' }) kind!: RequestEventKind;
  @Column({ type: 'text', nullable: true }) status!: PermitRequestStatus | null;
  @Column({ type: 'text', nullable: true }) message!: string | null;
  @Column({ name: 'visible_to_family', type: 'boolean' }) visibleToFamily!: boolean;
  @Column({ name: 'actor_type', type: 'text' }) actorType!: 'AGENT' | 'FAMILY' | 'SYSTEM';
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId!: string | null;
}
