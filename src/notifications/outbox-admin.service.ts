import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { returnedRows } from '../common/sql';

export const STATUS_LABELS: Record<string, string> = {
  PENDING: 'En attente',
  SENDING: 'En cours d’envoi',
  SENT: 'Envoyé',
  FAILED: 'Échec',
  CANCELLED: 'Annulé',
  DROPPED: 'Abandonné',
};

/** Reading the outbox for "Messages envoyés", and the reminders opt-out. */
@Injectable()
export class OutboxAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(establishmentId: string, status: string | null, page: number, pageSize: number) {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM notifications WHERE establishment_id = $1 AND ($2::text IS NULL OR status = $2)`,
      [establishmentId, status],
    );
    const messages = await this.dataSource.query(
      `SELECT n.id, n.channel, n.template, n.category, n.status, n.status_reason, n.attempts, n.send_after, n.sent_at, n.created_at,
              n.subject, n.body_text, r.address,
              coalesce((SELECT json_agg(json_build_object('attempt', t.attempt, 'outcome', t.outcome, 'detail', t.detail, 'at', t.finished_at) ORDER BY t.attempt)
                          FROM notification_attempts t WHERE t.notification_id = n.id), '[]') AS tries
         FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
        WHERE n.establishment_id = $1 AND ($2::text IS NULL OR n.status = $2)
        ORDER BY n.created_at DESC, n.id LIMIT $3 OFFSET $4`,
      [establishmentId, status, pageSize, (page - 1) * pageSize],
    );
    return { total: total as number, messages };
  }

  /** Demo mode: what the local SMTP server and SMS endpoint received. */
  captured(limit = 30) {
    return this.dataSource.query(
      `SELECT channel, recipient, subject, body, attachments, received_at FROM demo_inbox ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }

  async recipientByToken(token: string): Promise<{ id: string; reminders_opted_out_at: Date | null } | undefined> {
    if (!/^[A-Za-z0-9_-]{8,24}$/.test(token)) return undefined;
    const rows = await this.dataSource.query(`SELECT id, reminders_opted_out_at FROM notification_recipients WHERE optout_token = $1`, [
      token,
    ]);
    return rows[0];
  }

  /** Records the opt-out once (audited); reminders to this recipient are then dropped at sending time. */
  async optOut(recipientId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const updated = returnedRows(
        await m.query(
          `UPDATE notification_recipients SET reminders_opted_out_at = now() WHERE id = $1 AND reminders_opted_out_at IS NULL RETURNING id`,
          [recipientId],
        ),
      );
      if (updated.length) {
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: 'lien de désinscription' },
            action: 'REMINDERS_OPTED_OUT',
            entityType: 'notification_recipient',
            entityId: recipientId,
          },
          m,
        );
      }
    });
  }
}
