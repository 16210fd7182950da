import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { attempt, FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { EnactMeasureForm, MagistrateAnswerForm, ProposeMeasureForm, ReferForm } from './permit-measures.form';
import { LEGAL_STATUS_LABELS, MAGISTRATE_ANSWER_LABELS, MEASURE_LABELS, MEASURE_STATUS_LABELS } from './permit-measures.rules';
import { PermitMeasuresService } from './permit-measures.service';

type Mode = 'propose' | 'decide' | 'refer' | 'answer';

/** Which field of a measure form a refusal of the service is about. */
function fieldOf(e: DomainError, fallback: string): string {
  const fields: Record<string, string> = {
    GROUNDS: 'grounds',
    URGENCY: 'urgencyJustification',
    UNTIL: 'suspendedUntil',
    MAGISTRATE: 'magistrate',
  };
  return fields[e.code] ?? fallback;
}

/**
 * Measures on a permit, from its page: a suspension or a withdrawal intended then enacted (or
 * urgent), a magistrate's permit put on hold and referred, the magistrate's answer, the head's review.
 * Open to the permits office and the head; the service lets only a signatory (head or delegate) act.
 */
@Controller('etablissements/:establishment/permis/:permitId/mesures')
export class StaffPermitMeasuresController {
  constructor(private readonly measures: PermitMeasuresService) {}

  @Get('envisager')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async proposeForm(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Query('mesure') kind: unknown,
    @Query('motifs') grounds: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    // Opened from an incident report: the suspension and the start of its grounds prefilled (the head completes them).
    const values = {
      kind: kind === 'SUSPENSION' || kind === 'WITHDRAWAL' ? kind : '',
      grounds: typeof grounds === 'string' ? grounds.slice(0, 2000) : '',
    };
    await this.render(res, e, permitId, principal, 'propose', null, { values });
  }

  @Post('envisager')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async propose(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ProposeMeasureForm, body);
    if (!form.ok) return this.render(res.status(400), e, permitId, principal, 'propose', null, form);
    const f = form.value;
    const done = await attempt(
      () =>
        this.measures.propose(actorOf(principal), e.id, permitId, {
          kind: f.kind,
          grounds: f.grounds,
          suspendedUntil: f.kind === 'SUSPENSION' ? (f.suspendedUntil ?? null) : null,
          urgent: f.urgent === 'oui',
          urgencyJustification: f.urgencyJustification ?? null,
        }),
      (err) => fieldOf(err, 'kind'),
    );
    if (!done.ok) return this.render(res.status(done.status), e, permitId, principal, 'propose', null, { errors: done.errors, values: f });
    res.redirect(303, `/etablissements/${e.code}/permis/${permitId}`);
  }

  @Get('surseoir')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async referForm(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.render(res, e, permitId, principal, 'refer', null, {});
  }

  @Get(':measureId')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async decideForm(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Param('measureId', new ParseUUIDPipe()) measureId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.render(res, e, permitId, principal, 'decide', measureId, {});
  }

  @Post(':measureId/prendre')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async enact(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Param('measureId', new ParseUUIDPipe()) measureId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(EnactMeasureForm, body);
    if (!form.ok) return this.render(res.status(400), e, permitId, principal, 'decide', measureId, form);
    const done = await attempt(() => this.measures.enact(actorOf(principal), e.id, permitId, measureId), 'confirm');
    if (!done.ok) return this.render(res.status(done.status), e, permitId, principal, 'decide', measureId, { errors: done.errors });
    res.redirect(303, `/etablissements/${e.code}/permis/${permitId}`);
  }

  @Post(':measureId/abandonner')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async abandon(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Param('measureId', new ParseUUIDPipe()) measureId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const done = await attempt(() => this.measures.abandon(actorOf(principal), e.id, permitId, measureId), 'abandon');
    if (!done.ok) return this.render(res.status(done.status), e, permitId, principal, 'decide', measureId, { errors: done.errors });
    res.redirect(303, `/etablissements/${e.code}/permis/${permitId}`);
  }

  @Post('surseoir')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async refer(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ReferForm, body);
    if (!form.ok) return this.render(res.status(400), e, permitId, principal, 'refer', null, form);
    const f = form.value;
    const done = await attempt(
      () => this.measures.refer(actorOf(principal), e.id, permitId, { grounds: f.grounds, magistrate: f.magistrate ?? null }),
      (err) => fieldOf(err, 'grounds'),
    );
    if (!done.ok) return this.render(res.status(done.status), e, permitId, principal, 'refer', null, { errors: done.errors, values: f });
    res.redirect(303, `/etablissements/${e.code}/permis/${permitId}`);
  }

  @Get(':measureId/reponse')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async answerForm(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Param('measureId', new ParseUUIDPipe()) measureId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.render(res, e, permitId, principal, 'answer', measureId, {});
  }

  @Post(':measureId/reponse')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async answer(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Param('measureId', new ParseUUIDPipe()) measureId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(MagistrateAnswerForm, body);
    if (!form.ok) return this.render(res.status(400), e, permitId, principal, 'answer', measureId, form);
    const f = form.value;
    const done = await attempt(
      () => this.measures.answer(actorOf(principal), e.id, permitId, measureId, { answer: f.answer, note: f.note ?? null }),
      'answer',
    );
    if (!done.ok)
      return this.render(res.status(done.status), e, permitId, principal, 'answer', measureId, { errors: done.errors, values: f });
    res.redirect(303, `/etablissements/${e.code}/permis/${permitId}`);
  }

  @Post('revue')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async reviewed(
    @CurrentEstablishment() e: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.measures.markReviewed(actorOf(principal), e.id, permitId);
    res.redirect(303, `/etablissements/${e.code}/permis/${permitId}`);
  }

  private async render(
    res: Response,
    establishment: Establishment,
    permitId: string,
    principal: Principal,
    mode: Mode,
    measureId: string | null,
    page: { errors?: FieldError[]; values?: unknown },
  ) {
    const { permit, panel } = await this.measures.measurePage(establishment.id, permitId, principal.id);
    const measure = measureId ? (panel.measures.find((m) => m.id === measureId) ?? null) : null;
    if (measureId && !measure) throw new DomainError('NOT_FOUND', 'Mesure introuvable.', 404);
    res.render('permits/measure.njk', {
      establishment,
      p: permit,
      panel,
      mode,
      measure,
      measureLabels: MEASURE_LABELS,
      measureStatusLabels: MEASURE_STATUS_LABELS,
      answerLabels: MAGISTRATE_ANSWER_LABELS,
      legalStatusLabels: LEGAL_STATUS_LABELS,
      errors: page.errors ?? [],
      values: page.values ?? {},
    });
  }
}
