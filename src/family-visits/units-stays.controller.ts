import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import { parseDate } from '../common/dates';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { BookStayForm, BookTwoSlotsForm, CancelStayForm, EARLY_END_CAUSES, EarlyEndForm, PriorityForm, StayEventForm } from './units.form';
import { changeProblem, INTERVENTION_CAUSES, KIND_LABELS, STAY_EVENT_LABELS, STAY_STATUS_LABELS } from './units.rules';
import { UnitsService } from './units.service';
import { IdParam } from '../common/params';

/** Where a refusal of the times asked (booking or move) is shown on its form. */
const TIMES_ERROR_FIELDS: Record<string, string> = {
  PAST: 'day',
  UNTIL: 'day',
  DETAINEE_TAKEN: 'day',
  DETAINEE_GONE: 'global',
  PERMIT: 'global',
  PF_HOURS: 'time',
  FIRST_SLOT: 'firstDuration',
  SECOND_SLOT: 'secondTime',
  OUTSIDE_WISH: 'outsideWish',
  EXCEPTIONAL: 'exceptionalHours',
};
/** Where a refusal of a move is shown on its form. */
const MOVE_ERROR_FIELDS: Record<string, string> = { ...TIMES_ERROR_FIELDS, SAME: 'day', STATUS: 'global', NOT_AUTHORISED: 'global' };

/** The booking / move form of the visit: a PF granted in two cumulated slots asks for both slots; any other, for its start. */
const stayForm = (slots: 1 | 2) => (slots === 2 ? BookTwoSlotsForm : BookStayForm);

/**
 * The stays in the UVF / PF units, run by the establishment's staff who run the visits: the parloir
 * agents and the head of establishment. Planning per unit, ranked waiting list, booking, moving and
 * cancelling a stay, today's stays and each stay's registers; the waiting list's priority data, also
 * set by the SPIP counsellor.
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
  async bookPage(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('caseId') caseId: string,
    @Query('priorite') saved: unknown,
    @Res() res: Response,
  ) {
    await this.renderBooking(res, establishment, caseId, { prioritySaved: saved === 'oui' });
  }

  @Post('reserver/:caseId')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async book(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('caseId') caseId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(stayForm(await this.units.caseSlots(establishment, caseId)), body);
    if (!form.ok) return this.renderBooking(res.status(400), establishment, caseId, { errors: form.errors, values: form.values });
    const done = await attempt(
      () => this.units.book(actorOf(p), establishment, caseId, form.value),
      (e) => TIMES_ERROR_FIELDS[e.code] ?? 'unitId',
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
  async stay(@CurrentEstablishment() establishment: Establishment, @IdParam() id: string, @Res() res: Response) {
    await this.renderStay(res, establishment, id, {});
  }

  @Post('sejours/:id/registre')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async record(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(StayEventForm, body);
    if (!form.ok) return this.renderStay(res.status(400), establishment, id, { errors: form.errors, values: form.values, form: 'event' });
    const { kind, notes, interventionCause, decidedBy } = form.value;
    const done = await attempt(
      () => this.units.record(actorOf(p), establishment, id, kind, notes, { cause: interventionCause, decidedBy }),
      (e) => (e.code === 'DECIDER' ? 'decidedBy' : 'kind'),
    );
    if (!done.ok) return this.renderStay(res.status(done.status), establishment, id, { errors: done.errors, values: body, form: 'event' });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/sejours/${id}`);
  }

  @Post('sejours/:id/debut')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async start(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    await this.moveTo(res, establishment, id, p, 'IN_PROGRESS');
  }

  @Post('sejours/:id/fin')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async end(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    await this.moveTo(res, establishment, id, p, 'ENDED');
  }

  @Post('sejours/:id/fin-anticipee')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async endEarly(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
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

  @Get('priorite/:caseId')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR')
  async priorityPage(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('caseId') caseId: string,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    await this.renderPriority(res, establishment, caseId, { done: done === 'oui' });
  }

  @Post('priorite/:caseId')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT', 'SPIP_COUNSELLOR')
  async setPriority(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam('caseId') caseId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    // Sent from the booking page (parloir agents and the head only), the answer goes back there.
    const fromBooking =
      (body as { retour?: unknown } | undefined)?.retour === 'reserver' &&
      holdsRole(p, establishment.id, ['PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT']);
    const again = (status: number, extra: { errors: FieldError[]; values: unknown }) =>
      fromBooking
        ? this.renderBooking(res.status(status), establishment, caseId, { ...extra, form: 'priority' })
        : this.renderPriority(res.status(status), establishment, caseId, extra);
    const form = await validateForm(PriorityForm, body);
    if (!form.ok) return again(400, { errors: form.errors, values: form.values });
    const done = await attempt(
      () =>
        this.units.setPriority(actorOf(p), establishment, caseId, {
          noLeavePossible: form.value.noLeavePossible === true,
          distanceKm: form.value.distanceKm ?? null,
        }),
      'distanceKm',
    );
    if (!done.ok) return again(done.status, { errors: done.errors, values: body });
    const base = `/etablissements/${establishment.code}/uvf`;
    res.redirect(303, fromBooking ? `${base}/reserver/${caseId}?priorite=oui` : `${base}/priorite/${caseId}?fait=oui`);
  }

  @Get('sejours/:id/annuler')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async cancelPage(@CurrentEstablishment() establishment: Establishment, @IdParam() id: string, @Res() res: Response) {
    await this.renderCancel(res, establishment, id, {});
  }

  @Post('sejours/:id/annuler')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async cancel(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(CancelStayForm, body);
    if (!form.ok) return this.renderCancel(res.status(400), establishment, id, { errors: form.errors, values: form.values });
    const done = await attempt(() => this.units.cancel(actorOf(p), establishment, id, form.value.reason), 'global');
    if (!done.ok) return this.renderCancel(res.status(done.status), establishment, id, { errors: done.errors, values: body });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/sejours/${id}`);
  }

  @Get('sejours/:id/deplacer')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async movePage(@CurrentEstablishment() establishment: Establishment, @IdParam() id: string, @Res() res: Response) {
    await this.renderMove(res, establishment, id, {});
  }

  @Post('sejours/:id/deplacer')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async moveStay(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(stayForm(await this.units.staySlots(establishment, id)), body);
    if (!form.ok) return this.renderMove(res.status(400), establishment, id, { errors: form.errors, values: form.values });
    const done = await attempt(
      () => this.units.moveStay(actorOf(p), establishment, id, form.value),
      (e) => MOVE_ERROR_FIELDS[e.code] ?? 'unitId',
    );
    if (!done.ok) return this.renderMove(res.status(done.status), establishment, id, { errors: done.errors, values: body });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/sejours/${id}`);
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
    extra: { errors?: FieldError[]; values?: unknown; form?: 'priority'; prioritySaved?: boolean },
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

  private async renderPriority(
    res: Response,
    establishment: Establishment,
    caseId: string,
    extra: { errors?: FieldError[]; values?: unknown; done?: boolean },
  ) {
    res.render('family-visits/units-priority.njk', {
      establishment,
      ...(await this.units.priority(establishment, caseId)),
      kinds: KIND_LABELS,
      errors: [],
      values: {},
      ...extra,
    });
  }

  private async renderCancel(res: Response, establishment: Establishment, id: string, extra: { errors?: FieldError[]; values?: unknown }) {
    const { stay } = await this.units.stay(establishment, id);
    res.render('family-visits/units-cancel.njk', {
      establishment,
      stay,
      problem: changeProblem(stay.status, 'CANCEL'),
      errors: [],
      values: {},
      ...extra,
    });
  }

  private async renderMove(res: Response, establishment: Establishment, id: string, extra: { errors?: FieldError[]; values?: unknown }) {
    const view = await this.units.moveForm(establishment, id);
    res.render('family-visits/units-move.njk', {
      establishment,
      ...view,
      problem: changeProblem(view.stay.status, 'MOVE'),
      kinds: KIND_LABELS,
      errors: [],
      values: { unitId: view.stay.unitId },
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
      interventionCauses: INTERVENTION_CAUSES,
      errors: [],
      values: {},
      ...extra,
    });
  }
}
