import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel } from '../config/reminder-offsets';

/** Demo mode only: a message the local SMTP server or SMS endpoint received (`demo_inbox`). */
@Entity('demo_inbox')
export class DemoInboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'text' }) channel!: Channel;
  @Column({ type: 'text' }) recipient!: string;
  @Column({ type: 'text', nullable: true }) subject!: string | null;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) attachments!: string[];
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt!: Date;
}
