import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { KIND_LABELS, whenLabel } from './appointment.rules';
import { AppointmentsService } from './appointments.service';

@Controller('mes-rendez-vous')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get()
  @Roles('FAMILY')
  @Render('appointments/list.njk')
  async list(@CurrentPrincipal() principal: Principal, @Query('annule') cancelled?: string) {
    const now = Date.now();
    const all = await this.appointments.listForFamily(principal.id);
    const view = all.map((a) => ({
      ...a,
      kindLabel: KIND_LABELS[a.kind],
      when: whenLabel(new Date(a.startsAt), a.timeZone),
      upcoming: a.status === 'BOOKED' && new Date(a.startsAt).getTime() > now,
    }));
    return { upcoming: view.filter((a) => a.upcoming), others: view.filter((a) => !a.upcoming), annule: cancelled === '1' };
  }

  @Get(':id/annuler')
  @Roles('FAMILY')
  async confirmCancel(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const a = await this.appointments.findForFamily(principal.id, id);
    if (!a) return res.status(404).render('errors/404.njk');
    res.render('appointments/confirm-cancel.njk', {
      appointment: a,
      kindLabel: KIND_LABELS[a.kind],
      when: whenLabel(new Date(a.startsAt), a.timeZone),
    });
  }

  @Post(':id/annuler')
  @Roles('FAMILY')
  async cancel(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    try {
      await this.appointments.cancel({ type: 'FAMILY', id: principal.id }, id, 'Annulé par la famille', new Date(), principal.id);
    } catch (e) {
      if (e instanceof DomainError && e.status === 404) return res.status(404).render('errors/404.njk');
      if (e instanceof DomainError) {
        const a = await this.appointments.findForFamily(principal.id, id);
        return res.status(e.status).render('appointments/confirm-cancel.njk', {
          appointment: a,
          kindLabel: a ? KIND_LABELS[a.kind] : '',
          when: a ? whenLabel(new Date(a.startsAt), a.timeZone) : '',
          error: e.message,
        });
      }
      throw e;
    }
    res.redirect(303, '/mes-rendez-vous?annule=1');
  }
}
