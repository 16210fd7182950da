import { Body, Controller, Get, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { parseDate } from '../common/dates';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { BookStayForm, EARLY_END_CAUSES, EarlyEndForm, StayEventForm } from './units.form';
import { KIND_LABELS, STAY_EVENT_LABELS, STAY_STATUS_LABELS } from './units.rules';
import { UnitsService } from './units.service';

const Id = (name = 'id') => Param(name, new ParseUUIDPipe({ errorHttpStatusCode: HttpStatus.NOT_FOUND }));

/**
 * The stays in the UVF / PF units, run by the establishment's staff who run the visits: the parloir
 * agents and the head of establishment. Planning per unit, ranked waiting list, booking, today's
 * stays and each stay's registers.
 */
@Controller('etablissements/:establishment/uvf')
export class UnitsStaysController {
  constructor(private readonly units: UnitsService) {}

  @Get('planning')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async planning(@CurrentEstablishment() establishment: Establishment, @Query('semaine') week: unknown, @Res() res: Response) {
    const day = typeof week === 'string' ? (parseDate(week) ?? undefined) : undefined;
    res.render('family-visits/units-planning.njk', {
      establishment,
      kinds: KIND_LABELS,
      ...(await this.units.planning(establishment, day)),
    });
  }

  @Get('reserver/:caseId')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async bookPage(@CurrentEstablishment() establishment: Establishment, @Id('caseId') caseId: string, @Res() res: Response) {
    await this.renderBooking(res, establishment, caseId, {});
  }

  @Post('reserver/:caseId')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async book(
    @CurrentEstablishment() establishment: Establishment,
    @Id('caseId') caseId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(BookStayForm, body);
    if (!form.ok) return this.renderBooking(res.status(400), establishment, caseId, { errors: form.errors, values: form.values });
    const done = await attempt(
      () => this.units.book(actorOf(p), establishment, caseId, form.value),
      (e) => (e.code === 'PAST' ? 'day' : 'unitId'),
    );
    if (!done.ok) return this.renderBooking(res.status(done.status), establishment, caseId, { errors: done.errors, values: body });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/planning?semaine=${form.value.day}`);
  }

  @Get('sejours')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async today(@CurrentEstablishment() establishment: Establishment, @Res() res: Response) {
    res.render('family-visits/units-today.njk', {
      establishment,
      stays: await this.units.today(establishment),
      statuses: STAY_STATUS_LABELS,
    });
  }

  @Get('sejours/:id')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async stay(@CurrentEstablishment() establishment: Establishment, @Id() id: string, @Res() res: Response) {
    await this.renderStay(res, establishment, id, {});
  }

  @Post('sejours/:id/registre')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async record(
    @CurrentEstablishment() establishment: Establishment,
    @Id() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(StayEventForm, body);
    if (!form.ok) return this.renderStay(res.status(400), establishment, id, { errors: form.errors, values: form.values, form: 'event' });
    const done = await attempt(() => this.units.record(actorOf(p), establishment, id, form.value.kind, form.value.notes), 'kind');
    if (!done.ok) return this.renderStay(res.status(done.status), establishment, id, { errors: done.errors, values: body, form: 'event' });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/sejours/${id}`);
  }

  @Post('sejours/:id/debut')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async start(
    @CurrentEstablishment() establishment: Establishment,
    @Id() id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    await this.moveTo(res, establishment, id, p, 'IN_PROGRESS');
  }

  @Post('sejours/:id/fin')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async end(
    @CurrentEstablishment() establishment: Establishment,
    @Id() id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    await this.moveTo(res, establishment, id, p, 'ENDED');
  }

  @Post('sejours/:id/fin-anticipee')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async endEarly(
    @CurrentEstablishment() establishment: Establishment,
    @Id() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(EarlyEndForm, body);
    if (!form.ok) return this.renderStay(res.status(400), establishment, id, { errors: form.errors, values: form.values, form: 'early' });
    // Confirmation step: any exit is final.
    if (form.value.confirm !== 'oui')
      return this.renderStay(res.status(200), establishment, id, { values: body, form: 'early', confirming: true });
    const reason = `${EARLY_END_CAUSES[form.value.cause]} : ${form.value.reason}`;
    await this.moveTo(res, establishment, id, p, 'ENDED_EARLY', reason);
  }

  private async moveTo(
    res: Response,
    establishment: Establishment,
    id: string,
    p: Principal,
    next: 'IN_PROGRESS' | 'ENDED' | 'ENDED_EARLY',
    reason?: string,
  ) {
    const done = await attempt(() => this.units.move(actorOf(p), establishment, id, next, reason), 'global');
    if (!done.ok) return this.renderStay(res.status(done.status), establishment, id, { errors: done.errors });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/sejours/${id}`);
  }

  private async renderBooking(
    res: Response,
    establishment: Establishment,
    caseId: string,
    extra: { errors?: FieldError[]; values?: unknown },
  ) {
    res.render('family-visits/units-book.njk', {
      establishment,
      ...(await this.units.bookingForm(establishment, caseId)),
      kinds: KIND_LABELS,
      errors: [],
      values: {},
      ...extra,
    });
  }

  private async renderStay(
    res: Response,
    establishment: Establishment,
    id: string,
    extra: { errors?: FieldError[]; values?: unknown; form?: string; confirming?: boolean },
  ) {
    res.render('family-visits/units-stay.njk', {
      establishment,
      ...(await this.units.stay(establishment, id)),
      eventKinds: STAY_EVENT_LABELS,
      statuses: STAY_STATUS_LABELS,
      causes: EARLY_END_CAUSES,
      errors: [],
      values: {},
      ...extra,
    });
  }
}
