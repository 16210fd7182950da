import { Controller, Get, Post, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt } from '../common/forms';
import { AppointmentScopes, AppointmentsService } from './appointments.service';
import { IdParam } from '../common/params';

/**
 * Cancelling one of the family's own appointments, after a read-back; the list itself, « Mes visites
 * et rendez-vous » (`/mes-rendez-vous`), is family-space's: it adds the visits and UVF / PF stays.
 * An appointment id that is not a UUID names no appointment: 404, as an unknown one.
 */
@Controller('mes-rendez-vous')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get(':id/annuler')
  @Roles('FAMILY')
  @Render('appointments/confirm-cancel.njk')
  async confirmCancel(@IdParam() id: string, @CurrentPrincipal() principal: Principal) {
    return { appointment: await this.appointments.cardForFamily(principal.id, id), errors: [] };
  }

  @Post(':id/annuler')
  @Roles('FAMILY')
  async cancel(@IdParam() id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const scope = AppointmentScopes.family(principal.id);
    const done = await attempt(() => this.appointments.cancel(actorOf(principal), scope, id, 'Annulé par la famille'), 'global');
    if (!done.ok) {
      const appointment = await this.appointments.cardForFamily(principal.id, id);
      return res.status(done.status).render('appointments/confirm-cancel.njk', { appointment, errors: done.errors });
    }
    res.redirect(303, '/mes-rendez-vous?annule=1');
  }
}
