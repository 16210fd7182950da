import { Body, Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { formatInTimeZone } from 'date-fns-tz';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { whenLabel } from '../appointments/appointment.rules';
import type { Establishment } from '../establishments/establishment.entity';
import { EstablishmentsService } from '../establishments/establishments.service';
import { parseDay } from '../common/dates';
import { SignedTokens } from '../common/signed-tokens';
import { DAYS } from './visits-admin.service';
import {
  CHECK_LABELS,
  CheckStatus,
  checkError,
  REFUSAL_REASONS,
  RefusalReason,
  tokenFromScan,
  VISIT_LIST_COLUMNS,
  VISIT_STATUS_LABELS,
} from './visit-day.rules';
import { VisitDayService } from './visit-day.service';
import { VisitImportService } from './visit-import.service';
import { VisitsService } from './visits.service';

export const VISIT_TOKENS = Symbol('VISIT_TOKENS');
export const MAX_VISIT_LIST_BYTES = 2 * 1024 * 1024;

/** "14:00", in the establishment's time zone (overseas establishments are not on Paris time). */
function hhmm(instant: Date | string, timeZone: string) {
  return formatInTimeZone(new Date(instant), timeZone, 'HH:mm');
}
const DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

function dayLabel(day: string) {
  return DAY.format(new Date(`${day}T12:00:00Z`));
}

function shiftDay(day: string, days: number) {
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
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
    private readonly visits: VisitsService,
    private readonly imports: VisitImportService,
    private readonly establishments: EstablishmentsService,
    @Inject(VISIT_TOKENS) private readonly tokens: SignedTokens,
  ) {}

  private dayOf(e: Establishment, raw: unknown): string {
    return typeof raw === 'string' && parseDay(raw) ? raw : this.day.today(e.timeZone);
  }

  @Get()
  @Roles('PARLOIR_AGENT')
  async list(@Param('establishment') code: string, @Query('jour') rawDay: unknown, @Query('q') rawQ: unknown, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const day = this.dayOf(establishment, rawDay);
    const q = typeof rawQ === 'string' ? rawQ.trim().slice(0, 200) : '';
    const token = q ? tokenFromScan(q) : null;
    if (token) {
      const appointmentId = this.tokens.verify(token);
      const found = appointmentId ? await this.day.byAppointment(appointmentId) : null;
      if (found && found.establishment_code === code) return res.redirect(303, `/etablissements/${code}/parloir/visites/${found.id}`);
      return this.renderList(res.status(404), establishment, day, q, [], 'Ce code QR ne correspond à aucune visite de cet établissement.');
    }
    const visits = await this.day.day(establishment.id, establishment.timeZone, day, q);
    if (q && visits.length === 1) return res.redirect(303, `/etablissements/${code}/parloir/visites/${visits[0].id}`);
    return this.renderList(res, establishment, day, q, visits, null);
  }

  private renderList(
    res: Response,
    establishment: Establishment,
    day: string,
    q: string,
    visits: Awaited<ReturnType<VisitDayService['day']>>,
    scanError: string | null,
  ) {
    const slots = new Map<string, { label: string; room: string; visits: typeof visits }>();
    for (const v of visits) {
      const key = `${new Date(v.starts_at).toISOString()}|${v.room}`;
      if (!slots.has(key))
        slots.set(key, {
          label: `${hhmm(v.starts_at, establishment.timeZone)} – ${hhmm(v.ends_at, establishment.timeZone)}`,
          room: v.room,
          visits: [],
        });
      slots.get(key)!.visits.push(v);
    }
    const expected = visits.reduce((n, v) => n + v.visitors.length, 0);
    const arrived = visits.reduce((n, v) => n + v.visitors.filter((x) => x.check_status === 'ARRIVED').length, 0);
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
      expected,
      arrived,
      statusLabels: VISIT_STATUS_LABELS,
      checkLabels: CHECK_LABELS,
    });
  }

  @Get('imprimer')
  @Roles('PARLOIR_AGENT')
  async print(@Param('establishment') code: string, @Query('jour') rawDay: unknown, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const day = this.dayOf(establishment, rawDay);
    const visits = await this.day.day(establishment.id, establishment.timeZone, day);
    res.render('visits/day-print.njk', {
      establishment,
      day,
      dayLabel: dayLabel(day),
      visits: visits.map((v) => ({ ...v, time: hhmm(v.starts_at, establishment.timeZone) })),
      statusLabels: VISIT_STATUS_LABELS,
    });
  }

  /** The "mouvements": who to bring down from which building, at what time, in time order. */
  @Get('mouvements')
  @Roles('PARLOIR_AGENT')
  async movements(@Param('establishment') code: string, @Query('jour') rawDay: unknown, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const day = this.dayOf(establishment, rawDay);
    const visits = await this.day.day(establishment.id, establishment.timeZone, day);
    res.render('visits/movements.njk', {
      establishment,
      day,
      dayLabel: dayLabel(day),
      moves: visits.map((v) => ({
        time: hhmm(v.starts_at, establishment.timeZone),
        end: hhmm(v.ends_at, establishment.timeZone),
        detainee: v.detainee,
        ecrou: v.ecrou_number,
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
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('fait') done: string | undefined,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    await this.renderVisit(res, establishment, id, [], { done });
  }

  private async renderVisit(
    res: Response,
    establishment: Establishment,
    id: string,
    errors: { field: string; message: string }[],
    values: Record<string, unknown> = {},
  ) {
    const v = await this.day.visit(establishment.id, id);
    const day = this.day.today(establishment.timeZone, new Date(v.starts_at));
    res.render('visits/check.njk', {
      establishment,
      v,
      day,
      time: `${hhmm(v.starts_at, establishment.timeZone)} – ${hhmm(v.ends_at, establishment.timeZone)}`,
      when: whenLabel(new Date(v.starts_at), establishment.timeZone),
      checkable: day <= this.day.today(establishment.timeZone) && !['DONE', 'CANCELLED'].includes(v.status),
      changeable: v.status === 'BOOKED' && new Date(v.starts_at).getTime() > Date.now(),
      statusLabels: VISIT_STATUS_LABELS,
      checkLabels: CHECK_LABELS,
      reasons: REFUSAL_REASONS,
      errors,
      values,
    });
  }

  @Post('visites/:id/visiteurs/:visitorId')
  @Roles('PARLOIR_AGENT')
  async check(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('visitorId', new ParseUUIDPipe()) visitorId: string,
    @Body() body: { status?: string; reason?: string },
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const status = String(body.status ?? '');
    const reason = String(body.reason ?? '') || undefined;
    const problem = checkError(status, reason);
    if (problem)
      return this.renderVisit(res.status(400), establishment, id, [{ field: `reason-${visitorId}`, message: problem }], {
        openRefusal: visitorId,
      });
    try {
      await this.day.check(
        actorOf(p),
        establishment.id,
        establishment.timeZone,
        id,
        visitorId,
        status as CheckStatus,
        status === 'REFUSED' ? (reason as RefusalReason) : null,
      );
    } catch (e) {
      if (e instanceof DomainError && e.status === 409)
        return this.renderVisit(res.status(409), establishment, id, [{ field: `visitor-${visitorId}`, message: e.message }]);
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/parloir/visites/${id}#visitor-${visitorId}`);
  }

  @Post('visites/:id/terminer')
  @Roles('PARLOIR_AGENT')
  async finish(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    try {
      await this.day.finish(actorOf(p), establishment.id, id);
    } catch (e) {
      if (e instanceof DomainError && e.status === 409)
        return this.renderVisit(res.status(409), establishment, id, [{ field: 'finish', message: e.message }]);
      throw e;
    }
    const v = await this.day.visit(establishment.id, id);
    res.redirect(303, `/etablissements/${code}/parloir?jour=${this.day.today(establishment.timeZone, new Date(v.starts_at))}`);
  }

  /** A family calls to move its visit: the agent moves it (same checks, no deadline for staff). */
  @Get('visites/:id/deplacer')
  @Roles('PARLOIR_AGENT')
  async moveForm(@Param('establishment') code: string, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.renderMove(res, await this.establishments.byCode(code), id, {}, []);
  }

  @Post('visites/:id/deplacer')
  @Roles('PARLOIR_AGENT')
  async move(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: { slot?: string },
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    const [templateId, day] = String(body.slot ?? '').split('|');
    if (!templateId || !day)
      return this.renderMove(res.status(400), establishment, id, body, [{ field: 'slot', message: 'Choisissez le nouveau créneau' }]);
    await this.day.visit(establishment.id, id); // 404 unless it is a visit of this establishment
    try {
      await this.visits.move(actorOf(p), id, templateId, day, null);
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404)
        return this.renderMove(res.status(e.status === 409 ? 409 : 400), establishment, id, body, [{ field: 'slot', message: e.message }]);
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/parloir/visites/${id}?fait=deplacee`);
  }

  private async renderMove(
    res: Response,
    establishment: Establishment,
    id: string,
    values: Record<string, unknown>,
    errors: { field: string; message: string }[],
  ) {
    const v = await this.day.visit(establishment.id, id);
    if (v.status !== 'BOOKED') throw new NotFoundException('Cette visite n’est plus réservée.');
    const slots = (await this.visits.openSlots(establishment.id)).filter((s) => s.startsAt.getTime() !== new Date(v.starts_at).getTime());
    res.render('visits/move.njk', {
      action: `/etablissements/${establishment.code}/parloir/visites/${id}/deplacer`,
      back: `/etablissements/${establishment.code}/parloir/visites/${id}`,
      visit: { ...v, when: whenLabel(new Date(v.starts_at), establishment.timeZone) },
      slots: slots.map((s) => ({ ...s, when: whenLabel(s.startsAt, establishment.timeZone) })),
      values,
      errors,
    });
  }

  /** A family calls to cancel: the agent cancels after confirming; the family gets the cancellation message. */
  @Post('visites/:id/annuler')
  @Roles('PARLOIR_AGENT')
  async cancelVisit(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: { confirm?: string },
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    if (body.confirm !== 'oui')
      return this.renderVisit(res.status(400), establishment, id, [
        { field: 'confirm', message: 'Cochez la case pour confirmer l’annulation.' },
      ]);
    try {
      await this.visits.cancelByStaff(actorOf(p), establishment.id, id, 'Visite annulée par le parloir à la demande de la famille');
    } catch (e) {
      if (e instanceof DomainError && e.status === 409)
        return this.renderVisit(res.status(409), establishment, id, [{ field: 'confirm', message: e.message }]);
      throw e;
    }
    res.redirect(303, `/etablissements/${code}/parloir/visites/${id}?fait=annulee`);
  }

  @Get('import')
  @Roles('PARLOIR_AGENT')
  async importForm(@Param('establishment') code: string, @Res() res: Response) {
    res.render('visits/import.njk', {
      establishment: await this.establishments.byCode(code),
      columns: VISIT_LIST_COLUMNS,
      maxMegabytes: MAX_VISIT_LIST_BYTES / 1024 / 1024,
    });
  }

  /** The file is parsed by the multipart middleware (see VisitsModule) before the guard checks CSRF. */
  @Post('import')
  @Roles('PARLOIR_AGENT')
  async import(@Param('establishment') code: string, @Req() req: Request, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
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
  async review(@Param('establishment') code: string, @Query('fait') done: string | undefined, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    await this.renderReview(res, establishment, done, []);
  }

  private async renderReview(
    res: Response,
    establishment: Establishment,
    done: string | undefined,
    errors: { field: string; message: string }[],
  ) {
    const rows = await this.visits.reviewQueue(establishment.id);
    res.render('visits/review.njk', {
      establishment,
      visits: rows.map((r: { starts_at: Date }) => ({ ...r, when: whenLabel(new Date(r.starts_at), establishment.timeZone) })),
      done,
      errors,
    });
  }

  @Post('a-revoir/:id/garder')
  @Roles('PARLOIR_AGENT')
  async keep(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    await this.visits.keepReviewed(actorOf(p), establishment.id, id);
    res.redirect(303, `/etablissements/${code}/parloir/a-revoir?fait=gardee`);
  }

  @Post('a-revoir/:id/annuler')
  @Roles('PARLOIR_AGENT')
  async cancel(
    @Param('establishment') code: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: { confirm?: string },
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const establishment = await this.establishments.byCode(code);
    if (body.confirm !== 'oui')
      return this.renderReview(res.status(400), establishment, undefined, [
        { field: `confirm-${id}`, message: 'Cochez la case pour confirmer l’annulation.' },
      ]);
    const [row] = (await this.visits.reviewQueue(establishment.id)).filter((r: { id: string }) => r.id === id);
    if (!row) throw new NotFoundException();
    await this.visits.cancelByStaff(actorOf(p), establishment.id, id, `Visite annulée par l’établissement : ${row.review_reason}`);
    res.redirect(303, `/etablissements/${code}/parloir/a-revoir?fait=annulee`);
  }

  @Get('statistiques')
  @Roles('PARLOIR_AGENT', 'HEAD_OF_ESTABLISHMENT')
  async statistics(@Param('establishment') code: string, @Query('du') rawFrom: unknown, @Query('au') rawTo: unknown, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const today = this.day.today(establishment.timeZone);
    const to = typeof rawTo === 'string' && parseDay(rawTo) ? rawTo : today;
    const from = typeof rawFrom === 'string' && parseDay(rawFrom) && rawFrom <= to ? rawFrom : shiftDay(to, -55);
    const stats = await this.day.statistics(establishment.id, establishment.timeZone, from, to);
    res.render('visits/statistics.njk', { establishment, from, to, ...stats, days: DAYS, reasons: REFUSAL_REASONS });
  }
}

/** The link in a convocation's QR code, opened by the tablet's camera: straight to the arrival check. */
@Controller('parloir')
export class ConvocationScanController {
  constructor(
    private readonly day: VisitDayService,
    @Inject(VISIT_TOKENS) private readonly tokens: SignedTokens,
  ) {}

  @Get('convocation/:token')
  @Roles('PARLOIR_AGENT')
  async open(@Param('token') token: string, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const appointmentId = this.tokens.verify(token);
    const found = appointmentId ? await this.day.byAppointment(appointmentId) : null;
    if (
      !found ||
      p.kind !== 'agent' ||
      !p.grants.some((g) => g.role === 'PARLOIR_AGENT' && g.establishmentCode === found.establishment_code)
    ) {
      throw new NotFoundException('Ce code QR ne correspond à aucune visite de votre établissement.');
    }
    res.redirect(303, `/etablissements/${found.establishment_code}/parloir/visites/${found.id}`);
  }
}
