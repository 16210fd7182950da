import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import { parsePage } from '../common/pagination';
import { type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { BookingForm, CancelForm, SlotForm } from './booking.form';
import { isDay } from './booking.rules';
import { type SlotChoice, VideoCallBookingService } from './booking.service';
import { addDays } from './calendar.rules';
import { euros } from './cost.rules';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A query-string value when it is one string of that shape (a real day for DAY), else undefined. */
function queryValue(v: unknown, shape: RegExp): string | undefined {
  if (typeof v !== 'string' || !shape.test(v)) return undefined;
  if (shape === DAY && !isDay(v)) return undefined;
  return v;
}

/**
 * "Visio — réserver": the activities officer (or the head of establishment) books a video call for a
 * detainee on the week's grid, reads it back, prints the voucher, cancels it; and the day's list of calls.
 */
@Controller('etablissements/:establishment/visio')
export class VideoCallBookingController {
  constructor(
    private readonly booking: VideoCallBookingService,
    private readonly audit: AuditService,
  ) {}

  @Get('reserver')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async grid(
    @CurrentEstablishment() establishment: Establishment,
    @Query('detenu') detenu: unknown,
    @Query('semaine') week: unknown,
    @Query('recherche') search: unknown,
    @Res() res: Response,
  ) {
    const detaineeId = queryValue(detenu, UUID);
    const text = typeof search === 'string' ? search.trim().slice(0, 100) : '';
    if (!detaineeId) {
      const found = text.length >= 2 ? await this.booking.findDetainees(establishment, text) : null;
      return res.render('video-calls/booking.njk', { establishment, search: text, found, grid: null });
    }
    const grid = await this.booking.grid(establishment, detaineeId, queryValue(week, DAY) ?? this.booking.today(establishment));
    res.render('video-calls/booking.njk', {
      establishment,
      search: text,
      found: null,
      grid,
      previousWeek: addDays(grid.monday, -7),
      nextWeek: addDays(grid.monday, 7),
      available: grid.account ? euros(grid.account.availableCents) : null,
      needed: grid.account ? euros(grid.account.neededCents) : null,
    });
  }

  /** A slot of the grid: its contacts to choose from (or why it cannot be booked). */
  @Get('reserver/creneau')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async slot(@CurrentEstablishment() establishment: Establishment, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const form = await validateForm(SlotForm, query);
    if (!form.ok) throw new DomainError('BAD_SLOT', 'Créneau introuvable.', 404);
    await this.slotPage(res, establishment, form.value, [], {});
  }

  /** The read-back of the booking, before it is made. */
  @Post('reserver/relire')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async readBack(@CurrentEstablishment() establishment: Establishment, @Body() body: Record<string, unknown>, @Res() res: Response) {
    const form = await validateForm(BookingForm, body);
    if (!form.ok) {
      const slot = await validateForm(SlotForm, body);
      if (!slot.ok) throw new DomainError('BAD_SLOT', 'Créneau introuvable.', 404);
      return this.slotPage(res.status(400), establishment, slot.value, form.errors, form.values);
    }
    const choice = await this.choiceOr(res, establishment, form.value);
    if (!choice) return;
    try {
      const contact = await this.booking.contactFor(choice, form.value.contact);
      res.status(200).render('video-calls/booking-confirm.njk', {
        establishment,
        choice,
        contact,
        values: form.value,
        blocked: euros(choice.blockedCents),
      });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      this.renderSlot(res.status(400), establishment, choice, [{ field: 'contact', message: e.message }], form.value);
    }
  }

  @Post('reserver')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async book(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form = await validateForm(BookingForm, body);
    if (!form.ok) throw new DomainError('BAD_BOOKING', 'Réservation incomplète : reprenez depuis la grille.', 400);
    const v = form.value;
    try {
      const id = await this.booking.book(actorOf(p), establishment, {
        detaineeId: v.detenu,
        day: v.jour,
        start: v.debut,
        contactId: v.contact,
      });
      res.redirect(303, `/etablissements/${establishment.code}/visio/appels/${id}?fait=reserve`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status === 404) throw e;
      this.refused(res.status(e.status), establishment, v.detenu, v.jour, e.message);
    }
  }

  @Get('appels/:id')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async call(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    const call = await this.booking.booking(establishment, id);
    res.render('video-calls/booking-call.njk', {
      establishment,
      call,
      done: done === 'reserve' || done === 'annule' || done === 'bilan' || done === 'non-envoye' ? done : null,
    });
  }

  /** The voucher (bon) to print and give to the detainee. */
  @Get('appels/:id/bon')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async voucher(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    const pdf = await this.booking.voucher(establishment, id);
    // It names the detainee and the person called: a staff read, logged before it is sent (issue #14).
    await this.audit.recordRead(actorOf(principal), {
      action: 'LETTER_READ',
      entityType: 'video_call_voucher',
      entityId: id,
      establishmentId: establishment.id,
    });
    res
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="bon-visio-${id.slice(0, 8)}.pdf"`,
        'Cache-Control': 'private, no-store',
      })
      .send(pdf);
  }

  @Get('appels/:id/annuler')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async confirmCancel(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    const call = await this.booking.booking(establishment, id);
    res.render('video-calls/booking-cancel.njk', { establishment, call, errors: [], values: {} });
  }

  @Post('appels/:id/annuler')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async cancel(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(CancelForm, body);
    if (!form.ok) {
      const call = await this.booking.booking(establishment, id);
      return res.status(400).render('video-calls/booking-cancel.njk', { establishment, call, errors: form.errors, values: form.values });
    }
    try {
      await this.booking.cancel(actorOf(p), establishment, id, form.value.motif);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status === 404) throw e;
      const call = await this.booking.booking(establishment, id);
      return res.status(e.status).render('video-calls/booking-cancel.njk', {
        establishment,
        call,
        errors: [{ field: 'motif', message: e.message }],
        values: form.value,
      });
    }
    res.redirect(303, `/etablissements/${establishment.code}/visio/appels/${id}?fait=annule`);
  }

  /** The day's calls, moves and cleaning, printable. */
  @Get('jour')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async day(
    @CurrentEstablishment() establishment: Establishment,
    @Query('date') date: unknown,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    const day = queryValue(date, DAY) ?? this.booking.today(establishment);
    res.render('video-calls/booking-day.njk', {
      establishment,
      ...(await this.booking.dayView(establishment, day)),
      done: done === 'code' || done === 'deja' ? done : null,
    });
  }

  /** « Appels à clôturer »: the calls past whose outcome was never recorded, oldest first, with their bilan's link. */
  @Get('a-cloturer')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async toClose(@CurrentEstablishment() establishment: Establishment, @Query('page') pageNumber: unknown, @Res() res: Response) {
    const list = await this.booking.toClose(establishment, parsePage(pageNumber));
    res.render('video-calls/to-close.njk', { establishment, ...list, base: `/etablissements/${establishment.code}/visio/a-cloturer` });
  }

  private async choiceOr(res: Response, establishment: Establishment, v: SlotForm): Promise<SlotChoice | null> {
    try {
      return await this.booking.choice(establishment, v.detenu, v.jour, v.debut);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status === 404) throw e;
      this.refused(res.status(e.status), establishment, v.detenu, v.jour, e.message);
      return null;
    }
  }

  private async slotPage(res: Response, establishment: Establishment, v: SlotForm, errors: FieldError[], values: unknown) {
    const choice = await this.choiceOr(res, establishment, v);
    if (choice) this.renderSlot(res, establishment, choice, errors, values);
  }

  private renderSlot(res: Response, establishment: Establishment, choice: SlotChoice, errors: FieldError[], values: unknown) {
    res.render('video-calls/booking-slot.njk', { establishment, choice, errors, values, blocked: euros(choice.blockedCents) });
  }

  private refused(res: Response, establishment: Establishment, detaineeId: string, day: string, message: string) {
    res.render('video-calls/booking-refused.njk', { establishment, detaineeId, day, message });
  }
}
