import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { formatInTimeZone } from 'date-fns-tz';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import type { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { localDay } from './visit-day.service';
import { PREVENTION_CAUSES, RESTRICTION_KINDS, DETAINEE_UNAVAILABLE_REASON } from './visit-restriction.rules';
import { type RestrictionPreview, VisitRestrictionsService } from './visit-restrictions.service';
import { ConfirmRestrictionForm, EndRestrictionForm, RestrictionForm } from './visit.form';
import { Clock } from '../common/clock';

/** The field a refusal of the period's rules belongs to. */
function fieldOf(e: DomainError): string {
  switch (e.code) {
    case 'UNKNOWN_ECROU':
      return 'ecrou';
    case 'FROM':
    case 'OVERLAP':
      return 'from';
    case 'TO':
      return 'to';
    default:
      return 'kind';
  }
}

/**
 * "Empêchements et cellule disciplinaire": the periods when a detainee cannot receive the visits
 * booked (R341-3 2° and 3°). The greffe and the head record any period; the visiting-room agent, a
 * prevention on the day. Each is read back with the visits it cancels before it is confirmed.
 */
@Controller('etablissements/:establishment/restrictions-visites')
export class VisitRestrictionsController {
  constructor(
    private readonly restrictions: VisitRestrictionsService,
    private readonly clock: Clock,
  ) {}

  /** Only the visiting-room role here: a prevention on the day. */
  private onTheDay(p: Principal, e: Establishment): boolean {
    return !holdsRole(p, e.id, ['PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT']);
  }

  @Get()
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async page(
    @CurrentEstablishment() e: Establishment,
    @Query('ecrou') ecrou: unknown,
    @Query('fait') done: unknown,
    @Query('annulees') cancelled: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const today = localDay(this.clock.now(), e.timeZone);
    const values = {
      ecrou: typeof ecrou === 'string' ? ecrou.slice(0, 20) : '',
      kind: this.onTheDay(p, e) ? 'PREVENTED' : '',
      from: today,
      to: today,
    };
    await this.render(res, e, p, {
      values,
      done: typeof done === 'string' ? done : undefined,
      cancelled: typeof cancelled === 'string' && /^\d{1,4}$/.test(cancelled) ? Number(cancelled) : 0,
    });
  }

  /** The read-back: the visits the period would cancel, before confirming. */
  @Post('verifier')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async check(@CurrentEstablishment() e: Establishment, @Body() body: unknown, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const form = await validateForm(RestrictionForm, body);
    if (!form.ok) return this.render(res.status(400), e, p, { errors: form.errors, values: form.values });
    const preview = await attempt(() => this.restrictions.preview(e, form.value.input(), this.onTheDay(p, e)), fieldOf);
    if (!preview.ok) return this.render(res.status(preview.status), e, p, { errors: preview.errors, values: form.value });
    this.renderConfirm(res.status(200), e, preview.value, []);
  }

  @Post()
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async record(@CurrentEstablishment() e: Establishment, @Body() body: unknown, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const form = await validateForm(ConfirmRestrictionForm, body);
    if (!form.ok) {
      const period = await validateForm(RestrictionForm, body);
      if (!period.ok) return this.render(res.status(400), e, p, { errors: period.errors, values: period.values });
      const preview = await attempt(() => this.restrictions.preview(e, period.value.input(), this.onTheDay(p, e)), fieldOf);
      if (!preview.ok) return this.render(res.status(preview.status), e, p, { errors: preview.errors, values: period.value });
      return this.renderConfirm(res.status(400), e, preview.value, form.errors);
    }
    const done = await attempt(() => this.restrictions.record(actorOf(p), e, form.value.input(), this.onTheDay(p, e)), fieldOf);
    if (!done.ok) return this.render(res.status(done.status), e, p, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${e.code}/restrictions-visites?fait=enregistree&annulees=${done.value.cancelled}`);
  }

  @Post(':id/fin')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'PARLOIR_AGENT')
  async end(
    @CurrentEstablishment() e: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(EndRestrictionForm, body);
    if (!form.ok) return this.render(res.status(400), e, p, { errors: [{ field: `end-${id}`, message: form.errors[0].message }] });
    const done = await attempt(() => this.restrictions.end(actorOf(p), e, id, this.onTheDay(p, e)), `end-${id}`);
    if (!done.ok) return this.render(res.status(done.status), e, p, { errors: done.errors });
    res.redirect(303, `/etablissements/${e.code}/restrictions-visites?fait=terminee`);
  }

  private async render(
    res: Response,
    e: Establishment,
    p: Principal,
    page: { errors?: FieldError[]; values?: unknown; done?: string; cancelled?: number },
  ) {
    const now = this.clock.now();
    const rows = await this.restrictions.list(e);
    res.render('visits/restrictions.njk', {
      establishment: e,
      restrictions: rows.map((r) => ({
        ...r,
        period: this.period(e, r.startsAt, r.endsAt),
        inForce: r.endsAt.getTime() > now.getTime(),
        endable: r.endsAt.getTime() > now.getTime() && (!this.onTheDay(p, e) || r.kind === 'PREVENTED'),
      })),
      onTheDay: this.onTheDay(p, e),
      kinds: RESTRICTION_KINDS,
      causes: PREVENTION_CAUSES,
      errors: page.errors ?? [],
      values: page.values ?? {},
      done: page.done,
      cancelled: page.cancelled ?? 0,
    });
  }

  private renderConfirm(res: Response, e: Establishment, preview: RestrictionPreview, errors: FieldError[]) {
    res.render('visits/restriction-confirm.njk', {
      establishment: e,
      preview,
      period: this.period(e, preview.from, preview.to),
      visits: preview.cancelled.map((v) => ({ ...v, when: formatInTimeZone(v.startsAt, e.timeZone, "dd/MM/yyyy 'à' HH'h'mm") })),
      kinds: RESTRICTION_KINDS,
      causes: PREVENTION_CAUSES,
      familyReason: DETAINEE_UNAVAILABLE_REASON,
      errors,
    });
  }

  /** "du 24/11/2026 au 25/11/2026 inclus", local days (an early end shows its time). */
  private period(e: Establishment, from: Date, to: Date): string {
    const last = new Date(to.getTime() - 1);
    const endsAtMidnight = formatInTimeZone(to, e.timeZone, 'HH:mm') === '00:00';
    const start = formatInTimeZone(from, e.timeZone, 'dd/MM/yyyy');
    const end = endsAtMidnight
      ? `${formatInTimeZone(last, e.timeZone, 'dd/MM/yyyy')} inclus`
      : formatInTimeZone(to, e.timeZone, "dd/MM/yyyy 'à' HH'h'mm");
    return `du ${start} au ${end}`;
  }
}
