import { Controller, Get, Inject, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public, Roles } from '../auth/access.decorator';
import { AuditService } from '../common/audit.service';
import { pageInfo, parsePage } from '../common/pagination';
import { returnedRows } from '../common/sql';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsService } from '../establishments/establishments.service';

const PAGE_SIZE = 25;
const STATUS_LABELS: Record<string, string> = {
  PENDING: 'En attente',
  SENDING: 'En cours d’envoi',
  SENT: 'Envoyé',
  FAILED: 'Échec',
  CANCELLED: 'Annulé',
  DROPPED: 'Abandonné',
};

@Controller()
export class NotificationsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly establishments: EstablishmentsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** "Messages envoyés": the outbox of the establishment, with attempts and rendered content. */
  @Get('etablissements/:establishment/messages')
  @Roles('ADMIN')
  @Render('notifications/outbox.njk')
  async outbox(@Param('establishment') code: string, @Query('page') rawPage: string, @Query('statut') status?: string) {
    const establishment = await this.establishments.byCode(code);
    const page = parsePage(rawPage);
    const filter = status && STATUS_LABELS[status] ? status : null;
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM notifications WHERE establishment_id = $1 AND ($2::text IS NULL OR status = $2)`,
      [establishment.id, filter],
    );
    const messages = await this.dataSource.query(
      `SELECT n.id, n.channel, n.template, n.category, n.status, n.status_reason, n.attempts, n.send_after, n.sent_at, n.created_at,
              n.subject, n.body_text, r.address,
              coalesce((SELECT json_agg(json_build_object('attempt', t.attempt, 'outcome', t.outcome, 'detail', t.detail, 'at', t.finished_at) ORDER BY t.attempt)
                          FROM notification_attempts t WHERE t.notification_id = n.id), '[]') AS tries
         FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
        WHERE n.establishment_id = $1 AND ($2::text IS NULL OR n.status = $2)
        ORDER BY n.created_at DESC, n.id LIMIT $3 OFFSET $4`,
      [establishment.id, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    );
    const captured = this.config.notifications.demo
      ? await this.dataSource.query(`SELECT channel, recipient, subject, body, attachments, received_at FROM demo_inbox ORDER BY id DESC LIMIT 30`)
      : null;
    return {
      establishment,
      messages,
      captured,
      statusLabels: STATUS_LABELS,
      status: filter,
      pager: pageInfo(page, PAGE_SIZE, total),
    };
  }

  /** The short link in every SMS: stop reminders (decisions and codes still come). */
  @Get('stop/:token')
  @Public()
  async optOutForm(@Param('token') token: string, @Res() res: Response) {
    const recipient = await this.recipient(token);
    if (!recipient) return res.status(404).render('errors/404.njk');
    res.render('notifications/opt-out.njk', { token, done: Boolean(recipient.reminders_opted_out_at) });
  }

  @Post('stop/:token')
  @Public()
  async optOut(@Param('token') token: string, @Res() res: Response) {
    const recipient = await this.recipient(token);
    if (!recipient) return res.status(404).render('errors/404.njk');
    await this.dataSource.transaction(async (m) => {
      const updated = returnedRows(await m.query(
        `UPDATE notification_recipients SET reminders_opted_out_at = now() WHERE id = $1 AND reminders_opted_out_at IS NULL RETURNING id`,
        [recipient.id],
      ));
      if (updated.length) {
        await this.audit.record({ actor: { type: 'SYSTEM', label: 'lien de désinscription' }, action: 'REMINDERS_OPTED_OUT', entityType: 'notification_recipient', entityId: recipient.id }, m);
      }
    });
    res.redirect(303, `/stop/${token}`);
  }

  private async recipient(token: string): Promise<{ id: string; reminders_opted_out_at: Date | null } | undefined> {
    if (!/^[A-Za-z0-9_-]{8,24}$/.test(token)) return undefined;
    const rows = await this.dataSource.query(`SELECT id, reminders_opted_out_at FROM notification_recipients WHERE optout_token = $1`, [token]);
    return rows[0];
  }
}
