import { Controller, Get, Inject, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public, Roles } from '../auth/access.decorator';
import { pageInfo, parsePage } from '../common/pagination';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EstablishmentsService } from '../establishments/establishments.service';
import { OutboxAdminService, STATUS_LABELS } from './outbox-admin.service';

const PAGE_SIZE = 25;

@Controller()
export class NotificationsController {
  constructor(
    private readonly outbox: OutboxAdminService,
    private readonly establishments: EstablishmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** "Messages envoyés": the outbox of the establishment, with attempts and rendered content. */
  @Get('etablissements/:establishment/messages')
  @Roles('ADMIN')
  @Render('notifications/outbox.njk')
  async list(@Param('establishment') code: string, @Query('page') rawPage: string, @Query('statut') status?: string) {
    const establishment = await this.establishments.byCode(code);
    const page = parsePage(rawPage);
    const filter = status && STATUS_LABELS[status] ? status : null;
    const { total, messages } = await this.outbox.list(establishment.id, filter, page, PAGE_SIZE);
    return {
      establishment,
      messages,
      captured: this.config.notifications.demo ? await this.outbox.captured() : null,
      statusLabels: STATUS_LABELS,
      status: filter,
      pager: pageInfo(page, PAGE_SIZE, total),
    };
  }

  /** The short link in every SMS: stop reminders (decisions, confirmations and codes still come). */
  @Get('stop/:token')
  @Public()
  async optOutForm(@Param('token') token: string, @Res() res: Response) {
    const recipient = await this.outbox.recipientByToken(token);
    if (!recipient) return res.status(404).render('errors/404.njk');
    res.render('notifications/opt-out.njk', { token, done: Boolean(recipient.reminders_opted_out_at) });
  }

  @Post('stop/:token')
  @Public()
  async optOut(@Param('token') token: string, @Res() res: Response) {
    const recipient = await this.outbox.recipientByToken(token);
    if (!recipient) return res.status(404).render('errors/404.njk');
    await this.outbox.optOut(recipient.id);
    res.redirect(303, `/stop/${token}`);
  }
}
