import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, familyOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { tr } from '../common/translate';
import { weekNavigation } from './booking-weeks.rules';
import { VisitBookingService } from './visit-booking.service';
import { BookVisitForm, MoveVisitForm, slotChoice } from './visit.form';
import { VisitReadService } from './visit-read.service';
import { WaitlistService } from './waitlist.service';

/** A status of a re-rendered form: 409 when the slot or the visit changed meanwhile, 400 otherwise. */
const statusOf = (s: number) => (s === 409 ? 409 : 400);

/** Families book their visits: who they visit, who comes, which slot; they move them and answer waiting-list offers. */
@Controller('visites')
export class FamilyVisitsController {
  constructor(
    private readonly booking: VisitBookingService,
    private readonly reads: VisitReadService,
    private readonly waitlist: WaitlistService,
  ) {}

  /** « Mes visites » is now « Mes visites et rendez-vous » (family-space): the old address and its notices lead there. */
  @Get()
  @Roles('FAMILY')
  mine(@Query() q: Record<string, unknown>, @Res() res: Response) {
    const notice = new URLSearchParams();
    for (const key of ['reservee', 'deplacee', 'attente']) {
      const value = textOf(q[key]);
      if (value !== undefined) notice.set(key, value);
    }
    const query = notice.toString();
    res.redirect(302, query ? `/mes-rendez-vous?${query}` : '/mes-rendez-vous');
  }

  @Get(':id/deplacer')
  @Roles('FAMILY')
  async moveForm(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.renderMove(res, p, id, {}, []);
  }

  @Post(':id/deplacer')
  @Roles('FAMILY')
  async move(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(MoveVisitForm, body);
    if (!form.ok) return this.renderMove(res.status(400), p, id, form.values, form.errors);
    const moved = await attempt(() => this.booking.move(actorOf(p), { familyId: p.id }, id, slotChoice(form.value.slot)), 'slot');
    if (!moved.ok) return this.renderMove(res.status(statusOf(moved.status)), p, id, { ...form.value }, moved.errors);
    res.redirect(303, `/visites?deplacee=${moved.value.reference}`);
  }

  private async renderMove(res: Response, p: Principal, id: string, values: Record<string, unknown>, errors: FieldError[]) {
    const { visit, days } = await this.reads.familyMoveForm(p.id, id);
    res.render('visits/move.njk', { action: `/visites/${id}/deplacer`, back: '/visites', visit, days, values, errors });
  }

  @Get('liste-attente/:id')
  @Roles('FAMILY')
  async offer(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.renderOffer(res, p, id, []);
  }

  /** The offer page; after a failed confirmation the entry may be over (expired): the reason is still shown. */
  private async renderOffer(res: Response, p: Principal, id: string, errors: FieldError[]) {
    const w = await this.waitlist.findForFamily(p.id, id);
    if (!w && errors.length === 0) throw new DomainError('NOT_FOUND', tr('visits:errors.NOT_WAITING'), 404);
    res.render('visits/waitlist-offer.njk', { w, errors });
  }

  @Post('liste-attente/:id/confirmer')
  @Roles('FAMILY')
  async accept(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    const visit = await attempt(() => this.waitlist.accept(actorOf(p), p.id, id), 'global');
    if (!visit.ok) return this.renderOffer(res.status(409), p, id, visit.errors);
    res.redirect(303, `/visites?reservee=${visit.value.reference}`);
  }

  @Post('liste-attente/:id/retirer')
  @Roles('FAMILY')
  async withdraw(@CurrentPrincipal() p: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.waitlist.withdraw(actorOf(p), p.id, id);
    res.redirect(303, '/visites');
  }

  /**
   * The booking page, one question at a time: whom (`detenu`), who comes (`visiteurs`; `etape=visiteurs`
   * to change them), then the slots for them, one week at a time (`semaine`: any day of it; by default
   * the first week with a slot they may take), by day, each saying why it cannot be taken.
   */
  @Get('reserver')
  @Roles('FAMILY')
  async form(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>, @Res() res: Response) {
    const detaineeId = textOf(q.detenu);
    const visitorIds = 'visiteurs' in q ? textsOf(q.visiteurs) : undefined;
    if (q.etape === 'visiteurs') return this.render(res, p, detaineeId, [], { visiteurs: visitorIds ?? [] }, []);
    if (q.etape === 'creneaux' && !visitorIds?.length)
      return this.render(res.status(400), p, detaineeId, [], {}, [{ field: 'visiteurs', message: 'visits:errors.chooseWhoComes' }]);
    await this.render(res, p, detaineeId, visitorIds, { semaine: q.semaine }, []);
  }

  /** Books the slot chosen, or joins the waiting list of a full one (its button `attente`, or `action=wait`). */
  @Post('reserver')
  @Roles('FAMILY')
  async book(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(BookVisitForm, body);
    if (!form.ok)
      return this.render(res.status(400), p, textOf(form.values.detaineeId), textsOf(form.values.permitIds), form.values, form.errors);
    const { detaineeId, permitIds, slot, attente, key, action } = form.value;
    // The week the form showed (a hidden field): shown again when no slot of it was chosen.
    const semaine = (body as Record<string, unknown>).semaine;
    const again = (status: number, errors: FieldError[]) =>
      this.render(res.status(statusOf(status)), p, detaineeId, permitIds, { ...form.value, semaine }, errors);
    if (attente !== undefined || action === 'wait') {
      const request = { ...slotChoice(attente ?? slot), detaineeId, permitIds };
      const joined = await attempt(() => this.waitlist.join(actorOf(p), p.id, request), 'slot');
      if (!joined.ok) return again(joined.status, joined.errors);
      return res.redirect(303, '/visites?attente=1');
    }
    const request = { ...slotChoice(slot), detaineeId, permitIds };
    const booked = await attempt(() => this.booking.bookOnline(actorOf(p), familyOf(p), { ...request, idempotencyKey: key }), 'slot');
    if (!booked.ok) return again(booked.status, booked.errors);
    res.redirect(303, `/visites?reservee=${booked.value.reference}`);
  }

  private async render(
    res: Response,
    p: Principal,
    detaineeId: string | undefined,
    visitorIds: string[] | undefined,
    values: Record<string, unknown>,
    errors: FieldError[],
  ) {
    // The week of the slot chosen (or of the full slot whose waiting list was asked), else the week asked.
    const choices = await this.reads.bookingForm(p.id, detaineeId, visitorIds, {
      semaine: values.semaine,
      slot: values.attente ?? values.slot,
    });
    const { chosen, coming, week } = choices;
    const here = chosen && `/visites/reserver?detenu=${chosen.detaineeId}${coming.map((v) => `&visiteurs=${v.id}`).join('')}&semaine=`;
    res.render('visits/book.njk', {
      ...choices,
      weeks: week && here ? weekNavigation(week.weeks, week.current, (monday) => `${here}${monday}`) : null,
      values,
      errors,
      key: typeof values.key === 'string' ? values.key : randomUUID(),
    });
  }
}

/** A query or form value that is one text, else undefined. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A query or form value that is one text or several (checkboxes), as a list of texts. */
function textsOf(value: unknown): string[] {
  return (Array.isArray(value) ? (value as unknown[]) : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}
