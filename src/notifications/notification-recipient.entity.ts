import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel } from '../config/reminder-offsets';

/** An e-mail address or phone number messages go to, with its opt-out token and choice (`notification_recipients`). */
@Entity('notification_recipients')
export class NotificationRecipient {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) channel!: Channel;
  /** E-mail in lower case, or phone number in E.164. */
  @Column({ type: 'text' }) address!: string;
  @Column({ name: 'optout_token', type: 'varchar', length: 24, unique: true }) optoutToken!: string;
  @Column({ name: 'reminders_opted_out_at', type: 'timestamptz', nullable: true }) remindersOptedOutAt!: Date | null;
  /** The language messages to this address are written in (its family's, issue #16); null: French. */
  @Column({ type: 'text', nullable: true }) language!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
