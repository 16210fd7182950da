import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { formatInTimeZone } from 'date-fns-tz';
import { whenLabel } from '../appointments/appointment.rules';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { parseDay } from '../common/dates';
import { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import type { DayVisit } from './visit-day.queries';
import { CHECK_LABELS, REFUSAL_REASONS, tokenFromScan, VISIT_LIST_COLUMNS, VISIT_STATUS_LABELS } from './visit-day.rules';
import { localDay, VisitDayService } from './visit-day.service';
import { VisitBookingService } from './visit-booking.service';
import { VisitImportService } from './visit-import.service';
import { VisitReadService } from './visit-read.service';
import { VisitTokens } from './visit-tokens';
import {
  CancelVisitForm,
  CheckForm,
  ConfirmForm,
  IncidentForm,
  MoveVisitForm,
  slotChoice,
  STAFF_CANCEL_REASONS,
  type StaffCancelReason,
} from './visit.form';
import { VisitIncidentsService } from './visit-incidents.service';
import { INCIDENT_REASONS } from './visit-incident.rules';
import { DAYS } from './visits-admin.service';

export const MAX_VISIT_LIST_BYTES = 2 * 1024 * 1024;

/** "14:00", in the establishment's time zone (overseas establishments are not on Paris time). */
function hhmm(instant: Date, timeZone: string) {
  return formatInTimeZone(instant, timeZone, 'HH:mm');
}
const DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

function dayLabel(day: string) {
  return DAY.format(new Date(`${day}T12:00:00Z`));
}

function shiftDay(day: string, days: number) {
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
}

/**
 * What the family is told of a cancellation by the visiting room: the reason chosen (and, for
 * « Autre », the words typed) in the e-mail; in the SMS, only words that name no place or person.
 */
function staffCancelNotice(reason: StaffCancelReason, details: string | undefined) {
  const said: Record<StaffCancelReason, string> = {
    FAMILY_REQUEST: 'à votre demande',
    DETAINEE_PREVENTED: 'la personne détenue est empêchée de vous recevoir',
    ROOM_CLOSED: 'fermeture du parloir',
    SECURITY: 'mesure de sécurité',
    OTHER: details ?? '',
  };
  const sms: Record<StaffCancelReason, string> = {
    FAMILY_REQUEST: 'à votre demande',
    DETAINEE_PREVENTED: 'personne visitée indisponible',
    ROOM_CLOSED: 'fermeture exceptionnelle',
    SECURITY: 'raison de sécurité',
    OTHER: "décision de l'établissement",
  };
  return {
    reason: `Visite annulée par l’établissement : ${said[reason]}`,
    smsReason: sms[reason],
    rebookPath: reason === 'FAMILY_REQUEST' ? undefined : '/visites/reserver',
  };
}

/** A `?jour=` that is a real day, as is. */
function dayParam(raw: unknown): string | null {
  return typeof raw === 'string' && parseDay(raw) ? raw : null;
}

/**
 * The visiting rooms on the day (PARLOIR_AGENT, tablet first): the day's list per slot, the
 * arrival check, the printable list and the "mouvements", the GENESIS import, the "À revoir" queue
 * and the statistics.
 */
@Controller('etablissements/:establishment/parloir')
export class ParloirController {
  constructor(
    private readonly day: VisitDayService,
    private readonly booking: VisitBookingService,
    private readonly reads: VisitReadService,
    private readonly imports: VisitImportService,
    private readonly tokens: VisitTokens,
    private readonly incidents: VisitIncidentsService,
    private readonly clock: Clock,
  ) {}

  private dayOf(e: Establishment, raw: unknown): string {
    return dayParam(raw) ?? this.day.today(e.timeZone);
  }

  /** The day's list; a search for one visit (or a scanned convocation QR code) opens it directly. */
  @Get()
  @Roles('PARLOIR_AGENT')
  async list(
    @CurrentEstablishment() establishment: Establishment,
    @Query('jour') rawDay: unknown,
    @Query('q') rawQ: unknown,
    @Res() res: Response,
  ) {
    const day = this.dayOf(establishment, rawDay);
    const q = typeof rawQ === 'string' ? rawQ.trim().slice(0, 200) : '';
    const visitPage = (id: string) => `/etablissements/${establishment.code}/parloir/visites/${id}`;
    const token = q ? tokenFromScan(q) : null;
    if (token) {
      const appointmentId = this.tokens.verify(token);
      const found = appointmentId ? await this.day.byAppointment(appointmentId) : null;
      if (found && found.establishmentCode === establishment.code) return res.redirect(303, visitPage(found.id));
      return this.renderList(res.status(404), establishment, day, q, [], 'Ce code QR ne correspond à aucune visite de cet établissement.');
    }
    const visits = await this.day.day(establishment, day, q);
    if (q && visits.length === 1) return res.redirect(303, visitPage(visits[0].id));
    return this.renderList(res, establishment, day, q, visits, null);
  }

  private renderList(res: Response, establishment: Establishment, day: string, q: string, visits: DayVisit[], scanError: string | null) {
    const slots = new Map<string, { label: string; room: string; visits: DayVisit[] }>();
    for (const v of visits) {
      const key = `${v.startsAt.toISOString()}|${v.room}`;
      const slot = slots.get(key) ?? {
        label: `${hhmm(v.startsAt, establishment.timeZone)} – ${hhmm(v.endsAt, establishment.timeZone)}`,
        room: v.room,
        visits: [],
      };
      slot.visits.push(v);
      slots.set(key, slot);
    }
    res.render('visits/day.njk', {
      establishment,
      day,
      dayLabel: dayLabel(day),
      previous: shiftDay(day, -1),
      next: shiftDay(day, 1),
      isToday: day === this.day.today(establishment.timeZone),
      q,
      scanError,
      slots: [...slots.values()],
      count: visits.length,
      expected: visits.reduce((n, v) => n + v.visitors.length, 0),
      arrived: visits.reduce((n, v) => n + v.visitors.filter((x) => x.checkStatus === 'ARRIVED').length, 0),
      statusLabels: VISIT_STATUS_LABELS,
      checkLabels: CHECK_LABELS,
    });
  }

  @Get('imprimer')
  @Roles('PARLOIR_AGENT')
  async print(@CurrentEstablishment() establishment: Establishment, @Query('jour') rawDay: unknown, @Res() res: Response) {
    const day = this.dayOf(establishment, rawDay);
    const visits = await this.day.day(establishment, day);
    res.render('visits/day-print.njk', {
      establishment,
      day,
      dayLabel: dayLabel(day),
      visits: visits.map((v) => ({ ...v, time: hhmm(v.startsAt, establishment.timeZone) })),
      statusLabels: VISIT_STATUS_LABELS,
    });
  }

  /** The "mouvements": who to bring down from which building, at what time, in time order. */
  @Get('mouvements')
  @Roles('PARLOIR_AGENT')
  async movements(@CurrentEstablishment() establishment: Establishment, @Query('jour') rawDay: unknown, @Res() res: Response) {
    const day = this.dayOf(establishment, rawDay);
    const visits = await this.day.day(establishment, day);
    res.render('visits/movements.njk', {
      establishment,
      day,
      dayLabel: dayLabel(day),
      moves: visits.map((v) => ({
        time: hhmm(v.startsAt, establishment.timeZone),
        end: hhmm(v.endsAt, establishment.timeZone),
        detainee: v.detainee,
        ecrou: v.ecrouNumber,
        housing: v.housing,
        room: v.room,
        status: v.status,
      })),
      statusLabels: VISIT_STATUS_LABELS,
    });
  }

  @Get('visites/:id')
  @Roles('PARLOIR_AGENT')
  async visit(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    await this.renderVisit(res, establishment, id, [], { done: typeof done === 'string' ? done : undefined });
  }

  private async renderVisit(
    res: Response,
    establishment: Establishment,
    id: string,
    errors: FieldError[],
    values: Record<string, unknown> = {},
  ) {
    const v = await this.day.visit(establishment, id);
    const day = localDay(v.startsAt, establishment.timeZone);
    const today = this.day.today(establishment.timeZone);
    res.render('visits/check.njk', {
      establishment,
      v,
      day,
      time: `${hhmm(v.startsAt, establishment.timeZone)} – ${hhmm(v.endsAt, establishment.timeZone)}`,
      when: whenLabel(v.startsAt, establishment.timeZone),
      checkable: day <= this.day.today(establishment.timeZone) && !['DONE', 'CANCELLED'].includes(v.status),
      changeable: v.status === 'BOOKED' && v.startsAt.getTime() > this.clock.now().getTime(),
      statusLabels: VISIT_STATUS_LABELS,
      checkLabels: CHECK_LABELS,
      reasons: REFUSAL_REASONS,
      incidentReasons: INCIDENT_REASONS,
      incidents: (await this.incidents.ofVisit(v.id)).map((i) => ({
        ...i,
        writtenTime: hhmm(i.writtenAt, establishment.timeZone),
        interruptedTime: i.interruptedAt ? hhmm(i.interruptedAt, establishment.timeZone) : null,
      })),
      reportable: day <= today && v.status !== 'CANCELLED',
      preventable: v.status === 'BOOKED' && day >= today,
      cancelReasons: STAFF_CANCEL_REASONS,
      errors,
      values,
    });
  }

  /**
   * An incident: the agent interrupts the visit in progress (R341-12), or reports without
   * interrupting, and writes the report attached to the visit (audited; the head reads it).
   */
  @Post('visites/:id/incident')
  @Roles('PARLOIR_AGENT')
  async incident(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(IncidentForm, body);
    const open = { openIncident: true };
    const prefixed = (errors: FieldError[]) => errors.map((e) => ({ ...e, field: `incident-${e.field}` }));
    if (!form.ok) return this.renderVisit(res.status(400), establishment, id, prefixed(form.errors), { ...form.values, ...open });
    const f = form.value;
    const done = await attempt(
      () =>
        this.incidents.report(actorOf(p), establishment, id, {
          reason: f.reason,
          visitorId: f.visitorId ?? null,
          report: f.report,
          interrupt: f.interrupt === 'oui',
        }),
      (e) => (e.code === 'REPORT' ? 'report' : e.code === 'VISITOR' ? 'visitorId' : 'reason'),
    );
    if (!done.ok) return this.renderVisit(res.status(done.status), establishment, id, prefixed(done.errors), { ...f, ...open });
    res.redirect(
      303,
      `/etablissements/${establishment.code}/parloir/visites/${id}?fait=${f.interrupt === 'oui' ? 'interrompue' : 'incident'}`,
    );
  }

  /** One tap: a visitor arrived or absent; a refusal with its reason. */
  @Post('visites/:id/visiteurs/:visitorId')
  @Roles('PARLOIR_AGENT')
  async check(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('visitorId', new ParseUUIDPipe()) visitorId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(CheckForm, body);
    if (!form.ok) {
      const errors = form.errors.map((e) => ({ field: `reason-${visitorId}`, message: e.message }));
      return this.renderVisit(res.status(400), establishment, id, errors, { openRefusal: visitorId });
    }
    const { status, reason } = form.value;
    const checked = await attempt(
      () => this.day.check(actorOf(p), establishment, id, visitorId, status, status === 'REFUSED' ? (reason ?? null) : null),
      `visitor-${visitorId}`,
    );
    if (!checked.ok) return this.renderVisit(res.status(409), establishment, id, checked.errors);
    res.redirect(303, `/etablissements/${establishment.code}/parloir/visites/${id}#visitor-${visitorId}`);
  }

  @Post('visites/:id/terminer')
  @Roles('PARLOIR_AGENT')
  async finish(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const finished = await attempt(() => this.day.finish(actorOf(p), establishment, id), 'finish');
    if (!finished.ok) return this.renderVisit(res.status(409), establishment, id, finished.errors);
    res.redirect(303, `/etablissements/${establishment.code}/parloir?jour=${finished.value}`);
  }

  /** A family calls to move its visit: the agent moves it (same checks, no deadline for staff). */
  @Get('visites/:id/deplacer')
  @Roles('PARLOIR_AGENT')
  async moveForm(@CurrentEstablishment() establishment: Establishment, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.renderMove(res, establishment, id, {}, []);
  }

  @Post('visites/:id/deplacer')
  @Roles('PARLOIR_AGENT')
  async move(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(MoveVisitForm, body);
    if (!form.ok) return this.renderMove(res.status(400), establishment, id, form.values, form.errors);
    const moved = await attempt(
      () => this.booking.move(actorOf(p), { establishmentId: establishment.id }, id, slotChoice(form.value.slot)),
      'slot',
    );
    if (!moved.ok) return this.renderMove(res.status(moved.status === 409 ? 409 : 400), establishment, id, { ...form.value }, moved.errors);
    res.redirect(303, `/etablissements/${establishment.code}/parloir/visites/${id}?fait=deplacee`);
  }

  private async renderMove(res: Response, establishment: Establishment, id: string, values: Record<string, unknown>, errors: FieldError[]) {
    const { visit, days } = await this.reads.staffMoveForm(establishment, id);
    res.render('visits/move.njk', {
      action: `/etablissements/${establishment.code}/parloir/visites/${id}/deplacer`,
      back: `/etablissements/${establishment.code}/parloir/visites/${id}`,
      visit,
      days,
      values,
      errors,
    });
  }

  /** A family calls to cancel: the agent cancels after confirming; the family gets the cancellation message. */
  @Post('visites/:id/annuler')
  @Roles('PARLOIR_AGENT')
  async cancelVisit(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(CancelVisitForm, body);
    if (!form.ok) return this.renderVisit(res.status(400), establishment, id, form.errors, { cancel: form.values });
    const { reason, details } = form.value;
    const notice = staffCancelNotice(reason, details);
    const cancelled = await attempt(() => this.booking.cancelByStaff(actorOf(p), establishment.id, id, notice.reason, notice), 'confirm');
    if (!cancelled.ok) return this.renderVisit(res.status(409), establishment, id, cancelled.errors);
    res.redirect(303, `/etablissements/${establishment.code}/parloir/visites/${id}?fait=annulee`);
  }

  @Get('import')
  @Roles('PARLOIR_AGENT')
  async importForm(@CurrentEstablishment() establishment: Establishment, @Res() res: Response) {
    res.render('visits/import.njk', { establishment, columns: VISIT_LIST_COLUMNS, maxMegabytes: MAX_VISIT_LIST_BYTES / 1024 / 1024 });
  }

  /** The file is parsed by the multipart middleware (see VisitsModule) before the guard checks CSRF. */
  @Post('import')
  @Roles('PARLOIR_AGENT')
  async import(
    @CurrentEstablishment() establishment: Establishment,
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const render = (status: number, extra: Record<string, unknown>) =>
      res.status(status).render('visits/import.njk', {
        establishment,
        columns: VISIT_LIST_COLUMNS,
        maxMegabytes: MAX_VISIT_LIST_BYTES / 1024 / 1024,
        ...extra,
      });
    if (req.uploadError) return render(400, { fileError: req.uploadError });
    const file = req.file;
    if (!file || file.size === 0) return render(400, { fileError: 'Choisissez le fichier CSV de la liste des visites exporté de GENESIS' });
    const text = file.buffer.toString('utf8');
    if (text.includes('\u0000') || text.includes('\uFFFD'))
      return render(400, { fileError: 'Le fichier n’est pas un texte CSV encodé en UTF-8' });
    const report = await this.imports.import(actorOf(p), establishment, file.originalname, text);
    return render(report.created + report.existing > 0 ? 200 : 422, { report, fileName: file.originalname });
  }

  @Get('a-revoir')
  @Roles('PARLOIR_AGENT')
  async review(@CurrentEstablishment() establishment: Establishment, @Query('fait') done: unknown, @Res() res: Response) {
    await this.renderReview(res, establishment, typeof done === 'string' ? done : undefined, []);
  }

  private async renderReview(res: Response, establishment: Establishment, done: string | undefined, errors: FieldError[]) {
    res.render('visits/review.njk', { establishment, visits: await this.reads.reviewQueue(establishment), done, errors });
  }

  @Post('a-revoir/:id/garder')
  @Roles('PARLOIR_AGENT')
  async keep(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    await this.booking.keepReviewed(actorOf(p), establishment.id, id);
    res.redirect(303, `/etablissements/${establishment.code}/parloir/a-revoir?fait=gardee`);
  }

  @Post('a-revoir/:id/annuler')
  @Roles('PARLOIR_AGENT')
  async cancel(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ConfirmForm, body);
    if (!form.ok)
      return this.renderReview(res.status(400), establishment, undefined, [{ field: `confirm-${id}`, message: form.errors[0].message }]);
    await this.booking.cancelReviewed(actorOf(p), establishment.id, id);
    res.redirect(303, `/etablissements/${establishment.code}/parloir/a-revoir?fait=annulee`);
  }

  @Get('statistiques')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async statistics(
    @CurrentEstablishment() establishment: Establishment,
    @Query('du') rawFrom: unknown,
    @Query('au') rawTo: unknown,
    @Res() res: Response,
  ) {
    const to = dayParam(rawTo) ?? this.day.today(establishment.timeZone);
    const asked = dayParam(rawFrom);
    const from = asked && asked <= to ? asked : shiftDay(to, -55);
    const stats = await this.day.statistics(establishment, from, to);
    res.render('visits/statistics.njk', { establishment, from, to, ...stats, days: DAYS, reasons: REFUSAL_REASONS });
  }
}

/** The link in a convocation's QR code, opened by the tablet's camera: straight to the arrival check. */
@Controller('parloir')
export class ConvocationScanController {
  constructor(
    private readonly day: VisitDayService,
    private readonly tokens: VisitTokens,
  ) {}

  @Get('convocation/:token')
  @Roles('PARLOIR_AGENT')
  async open(@Param('token') token: string, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const appointmentId = this.tokens.verify(token);
    const found = appointmentId ? await this.day.byAppointment(appointmentId) : null;
    if (
      !found ||
      p.kind !== 'agent' ||
      !p.grants.some((g) => g.role === 'PARLOIR_AGENT' && g.establishmentCode === found.establishmentCode)
    ) {
      throw new DomainError('NOT_FOUND', 'Ce code QR ne correspond à aucune visite de votre établissement.', 404);
    }
    res.redirect(303, `/etablissements/${found.establishmentCode}/parloir/visites/${found.id}`);
  }
}
