import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { LiftForm, SanctionForm, SanctionSearchForm } from './record.form';
import type { SanctionEntry } from './record.queries';
import { ACCESS_GROUNDS, lastDay, phoneDisplay } from './record.rules';
import { sanctionField, VideoCallRecordService } from './record.service';

const DONE = { sanction: 'sanction', levee: 'levee' } as const;
type Done = keyof typeof DONE;

const agent = (p: Principal) => ({ ...actorOf(p), id: p.id });

const NOT_SIGNATORY = 'Seul le chef d’établissement ou un agent ayant sa délégation de signature peut prendre cette décision.';

/**
 * "Visio — numéros sanctionnés": the establishment's sanctions on numbers, in force first, with the
 * detainees whose active contacts use each number (ACTIVITIES_OFFICER and HEAD_OF_ESTABLISHMENT read);
 * sanctioning a number and lifting a sanction early by the head or a signature delegate (checked by the
 * service), each after a read-back. The sanction itself is `VideoCallRecordService.sanctionNumber`, as
 * from a detainee's record.
 */
@Controller('etablissements/:establishment/visio/sanctions')
export class VideoCallSanctionsController {
  constructor(private readonly records: VideoCallRecordService) {}

  @Get()
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async list(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Query() query: unknown,
    @Query('page') pageNumber: unknown,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(SanctionSearchForm, query);
    const q = form.ok ? form.value.q : '';
    await this.render(res, establishment, p, {
      q,
      page: parsePage(pageNumber),
      done: done === 'sanction' || done === 'levee' ? done : undefined,
    });
  }

  /** A sanction on any number: read back first (`confirm` absent), recorded on confirmation. */
  @Post()
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async sanction(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    if (!(await this.records.mayDecide(establishment, p.id))) return this.forbidden(res);
    const form = await validateForm(SanctionForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, p, { errors: form.errors, values: form.values });
    const f = form.value;
    const input = { phone: f.phone, untilDay: f.until ?? null, ground: f.ground, motivation: f.motivation };
    if (f.confirm !== 'oui') {
      const checked = await attempt(() => this.records.precheckSanction(establishment, input.phone, input.untilDay), sanctionField);
      if (!checked.ok) return this.render(res.status(checked.status), establishment, p, { errors: checked.errors, values: body });
      const cancelled = await this.records.callsToCancel(establishment, { phone: input.phone, untilDay: input.untilDay });
      return res.status(200).render('video-calls/record-confirm.njk', {
        cancelled,
        establishment,
        detainee: null,
        kind: 'sanction',
        input,
        phoneLabel: phoneDisplay(input.phone),
        grounds: ACCESS_GROUNDS,
        action: this.base(establishment),
        back: { href: this.base(establishment), label: 'Annuler, revenir aux numéros sanctionnés' },
      });
    }
    const done = await attempt(() => this.records.sanctionNumber(agent(p), establishment, null, input), sanctionField);
    if (!done.ok) {
      if (done.status === 403) return this.forbidden(res);
      return this.render(res.status(done.status), establishment, p, { errors: done.errors, values: body });
    }
    this.done(res, establishment, 'sanction');
  }

  /** The lifting's form: the sanction in force and the motivation to give. */
  @Get(':sanctionId/lever')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async liftForm(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('sanctionId', new ParseUUIDPipe()) sanctionId: string,
    @Res() res: Response,
  ) {
    await this.records.sanction(establishment.id, sanctionId);
    if (!(await this.records.mayDecide(establishment, p.id))) return this.forbidden(res);
    this.renderLift(res, establishment, await this.records.precheckLift(establishment, sanctionId), { step: 'form' });
  }

  /** An early lifting: read back first (`confirm` absent), recorded on confirmation. */
  @Post(':sanctionId/lever')
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async lift(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('sanctionId', new ParseUUIDPipe()) sanctionId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const sanction = await this.records.sanction(establishment.id, sanctionId);
    if (!(await this.records.mayDecide(establishment, p.id))) return this.forbidden(res);
    const form = await validateForm(LiftForm, body);
    if (!form.ok)
      return this.renderLift(res.status(400), establishment, sanction, { step: 'form', errors: form.errors, values: form.values });
    const motivation = form.value.motivation;
    if (form.value.confirm !== 'oui') {
      const checked = await attempt(() => this.records.precheckLift(establishment, sanctionId), 'motivation');
      if (!checked.ok)
        return this.renderLift(res.status(checked.status), establishment, sanction, { step: 'form', errors: checked.errors, values: body });
      return this.renderLift(res.status(200), establishment, checked.value, { step: 'confirm', values: { motivation } });
    }
    const lifted = await attempt(() => this.records.liftSanction(agent(p), establishment, sanctionId, motivation), 'motivation');
    if (!lifted.ok) {
      if (lifted.status === 403) return this.forbidden(res);
      return this.renderLift(res.status(lifted.status), establishment, sanction, { step: 'form', errors: lifted.errors, values: body });
    }
    this.done(res, establishment, 'levee');
  }

  private forbidden(res: Response) {
    res.status(403).render('errors/403.njk', { message: NOT_SIGNATORY });
  }

  private base(establishment: Establishment): string {
    return `/etablissements/${establishment.code}/visio/sanctions`;
  }

  private done(res: Response, establishment: Establishment, done: Done) {
    res.redirect(303, `${this.base(establishment)}?fait=${DONE[done]}`);
  }

  /** A sanction as the pages show it: the number as people read it, the last day (included) of a sanction with an end. */
  private view(establishment: Establishment, s: SanctionEntry) {
    return { ...s, phoneLabel: phoneDisplay(s.phone), lastDay: s.until ? lastDay(s.until, establishment.timeZone) : null };
  }

  private async render(
    res: Response,
    establishment: Establishment,
    p: Principal,
    o: { q?: string; page?: number; done?: Done; errors?: FieldError[]; values?: unknown },
  ) {
    const q = o.q ?? '';
    const [found, mayDecide] = await Promise.all([
      this.records.sanctions(establishment.id, q, o.page ?? 1),
      this.records.mayDecide(establishment, p.id),
    ]);
    const base = this.base(establishment);
    res.render('video-calls/sanctions.njk', {
      establishment,
      q,
      page: found.page,
      rows: found.rows.map((s) => this.view(establishment, s)),
      mayDecide,
      done: o.done,
      errors: o.errors ?? [],
      values: (o.values ?? {}) as Record<string, unknown>,
      grounds: ACCESS_GROUNDS,
      base,
      records: `/etablissements/${establishment.code}/visio/detenus`,
    });
  }

  private renderLift(
    res: Response,
    establishment: Establishment,
    sanction: SanctionEntry,
    o: { step: 'form' | 'confirm'; errors?: FieldError[]; values?: unknown },
  ) {
    res.render('video-calls/sanction-lift.njk', {
      establishment,
      sanction: this.view(establishment, sanction),
      step: o.step,
      errors: o.errors ?? [],
      values: (o.values ?? {}) as Record<string, unknown>,
      base: this.base(establishment),
      records: `/etablissements/${establishment.code}/visio/detenus`,
    });
  }
}
