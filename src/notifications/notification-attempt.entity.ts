import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AttemptOutcome = 'SENT' | 'ERROR' | 'DROPPED';

/** One delivery attempt of a notification and its outcome (`notification_attempts`). */
@Entity('notification_attempts')
export class NotificationAttempt {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'notification_id', type: 'uuid' }) notificationId!: string;
  @Column({ type: 'integer' }) attempt!: number;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  @Column({ name: 'finished_at', type: 'timestamptz' }) finishedAt!: Date;
  @Column({ type: 'text' }) outcome!: AttemptOutcome;
  @Column({ type: 'text', nullable: true }) detail!: string | null;
}
