import { Controller, Get, Inject, Param, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public, Roles } from '../auth/access.decorator';
import { parsePage } from '../common/pagination';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { OutboxAdminService, STATUS_LABELS, statusFilter } from './outbox-admin.service';

const PAGE_SIZE = 25;

@Controller()
export class NotificationsController {
  constructor(
    private readonly outbox: OutboxAdminService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** "Messages envoyés": the outbox of the establishment, with attempts and rendered content. */
  @Get('etablissements/:establishment/messages')
  @Roles('ADMIN')
  @Render('notifications/outbox.njk')
  async list(@CurrentEstablishment() establishment: Establishment, @Query('page') rawPage: unknown, @Query('statut') rawStatus: unknown) {
    const status = statusFilter(rawStatus);
    const { messages, pager } = await this.outbox.list(establishment.id, status, parsePage(rawPage), PAGE_SIZE);
    return {
      establishment,
      messages,
      captured: this.config.notifications.demo ? await this.outbox.captured(establishment.id) : null,
      statusLabels: STATUS_LABELS,
      status,
      pager,
    };
  }

  /** The short link in every SMS: stop reminders (decisions, confirmations and codes still come). */
  @Get('stop/:token')
  @Public()
  @Render('notifications/opt-out.njk')
  async optOutForm(@Param('token') token: string) {
    const recipient = await this.outbox.recipient(token);
    return { token, done: recipient.remindersOptedOutAt !== null };
  }

  @Post('stop/:token')
  @Public()
  async optOut(@Param('token') token: string, @Res() res: Response) {
    await this.outbox.optOut(token);
    res.redirect(303, `/stop/${token}`);
  }
}
