import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel } from '../config/reminder-offsets';

export type Category = 'TRANSACTIONAL' | 'REMINDER';
export const NOTIFICATION_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED', 'DROPPED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One message of the outbox (`notifications`), written in the transaction of the change that causes
 * it, rendered at once, delivered by the OutboxWorker. Read and written through outbox.queries.ts.
 */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'recipient_id', type: 'uuid' }) recipientId!: string;
  @Column({ type: 'text' }) channel!: Channel;
  @Column({ type: 'text' }) template!: string;
  @Column({ type: 'text' }) category!: Category;
  @Column({ type: 'jsonb', default: () => "'{}'" }) data!: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) subject!: string | null;
  @Column({ name: 'body_text', type: 'text' }) bodyText!: string;
  @Column({ name: 'body_html', type: 'text', nullable: true }) bodyHtml!: string | null;
  @Column({ name: 'entity_type', type: 'text', nullable: true }) entityType!: string | null;
  @Column({ name: 'entity_id', type: 'uuid', nullable: true }) entityId!: string | null;
  @Column({ name: 'establishment_id', type: 'uuid', nullable: true }) establishmentId!: string | null;
  @Column({ name: 'send_after', type: 'timestamptz' }) sendAfter!: Date;
  @Column({ type: 'text', default: 'PENDING' }) status!: NotificationStatus;
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason!: string | null;
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt!: Date;
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true }) leaseUntil!: Date | null;
  @Column({ name: 'provider_message_id', type: 'text', nullable: true }) providerMessageId!: string | null;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
