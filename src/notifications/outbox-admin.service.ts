import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { pageInfo, type Page } from '../common/pagination';
import { latestCaptured, type CapturedMessage } from './demo-inbox.queries';
import { NOTIFICATION_STATUSES, type NotificationStatus } from './notification.entity';
import { countOutbox, optOutOfReminders, outboxPage, recipientByToken, type OutboxMessage, type RecipientOptOut } from './outbox.queries';

export const STATUS_LABELS: Record<NotificationStatus, string> = {
  PENDING: 'En attente',
  SENDING: 'En cours d’envoi',
  SENT: 'Envoyé',
  FAILED: 'Échec',
  CANCELLED: 'Annulé',
  DROPPED: 'Abandonné',
};

/** The status filter of "Messages envoyés": a known status, else none (every message). */
export function statusFilter(raw: unknown): NotificationStatus | null {
  return NOTIFICATION_STATUSES.find((s) => s === raw) ?? null;
}

export interface OutboxListing {
  messages: OutboxMessage[];
  pager: Page;
}

/** Opt-out tokens are 12 base64url characters (up to 24 allowed); anything else is no token. */
const TOKEN = /^[A-Za-z0-9_-]{8,24}$/;

const NOT_FOUND = () => new DomainError('NOT_FOUND', 'Ce lien n’est pas valable.', 404);

/** Reading the outbox for "Messages envoyés", and the reminders opt-out. */
@Injectable()
export class OutboxAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** One page of an establishment's messages, newest first, with their attempts. */
  async list(establishmentId: string, status: NotificationStatus | null, page: number, pageSize: number): Promise<OutboxListing> {
    const db = this.dataSource.manager;
    const total = await countOutbox(db, establishmentId, status);
    const messages = await outboxPage(db, establishmentId, status, pageSize, (page - 1) * pageSize);
    return { messages, pager: pageInfo(page, pageSize, total) };
  }

  /** Demo mode: what the local SMTP server and SMS endpoint received from this establishment's messages (no other's). */
  captured(establishmentId: string, limit = 30): Promise<CapturedMessage[]> {
    return latestCaptured(this.dataSource.manager, establishmentId, limit);
  }

  /** The recipient of an opt-out link; 404 for a token that is not one. */
  async recipient(token: string): Promise<RecipientOptOut> {
    const found = TOKEN.test(token) ? await recipientByToken(this.dataSource.manager, token) : null;
    if (!found) throw NOT_FOUND();
    return found;
  }

  /** Records the opt-out once (audited); reminders to this recipient are then dropped at sending time. */
  async optOut(token: string): Promise<void> {
    if (!TOKEN.test(token)) throw NOT_FOUND();
    await this.dataSource.transaction(async (m) => {
      const recipient = await recipientByToken(m, token);
      if (!recipient) throw NOT_FOUND();
      if (!(await optOutOfReminders(m, recipient.id, this.clock.now()))) return;
      await this.audit.record(
        {
          actor: { type: 'SYSTEM', label: 'lien de désinscription' },
          action: 'REMINDERS_OPTED_OUT',
          entityType: 'notification_recipient',
          entityId: recipient.id,
        },
        m,
      );
    });
  }
}
