import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { CONDITION_CHOICES, PermitConditionsChangeForm, termsOf } from './permit-conditions.form';
import { PermitConditionsService } from './permit-conditions.service';
import { PermitInstructionService } from './permit-instruction.service';

/**
 * The head of establishment or the greffe changes a permit's limits and conditions (R341-1): a restriction
 * needs a signatory, a magistrate's permit only the magistrate's decision (see PermitConditionsService).
 */
@Controller('etablissements/:establishment/permis/:permitId/conditions')
export class PermitConditionsController {
  constructor(
    private readonly conditions: PermitConditionsService,
    private readonly instruction: PermitInstructionService,
  ) {}

  @Get()
  @Roles('HEAD_OF_ESTABLISHMENT', 'PERMITS_OFFICER')
  async form(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Res() res: Response,
  ) {
    const p = await this.instruction.permit(establishment.id, permitId);
    const values = {
      maxVisits: p.maxVisits ?? '',
      roomCondition: p.roomCondition ?? '',
      allowedDays: (p.allowedDays ?? []).map(String),
      allowedFrom: p.allowedFrom ?? '',
      allowedTo: p.allowedTo ?? '',
      conditionsNote: p.conditionsNote ?? '',
    };
    await this.render(res, establishment, permitId, [], values);
  }

  @Post()
  @Roles('HEAD_OF_ESTABLISHMENT', 'PERMITS_OFFICER')
  async change(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(PermitConditionsChangeForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, permitId, form.errors, body);
    const done = await attempt(
      () =>
        this.conditions.change(actorOf(principal), establishment.id, permitId, termsOf(form.value), form.value.magistrateDecision ?? null),
      (e) => (e.code === 'MAGISTRATE_DECISION' ? 'magistrateDecision' : 'maxVisits'),
    );
    if (!done.ok) return this.render(res.status(done.status), establishment, permitId, done.errors, body);
    res.redirect(303, `/etablissements/${establishment.code}/permis/${permitId}`);
  }

  private async render(res: Response, establishment: Establishment, permitId: string, errors: FieldError[], values: unknown) {
    const p = await this.instruction.permit(establishment.id, permitId);
    const authority = await this.conditions.authority(establishment.id, permitId);
    res.render('permits/conditions.njk', { establishment, p, authority, ...CONDITION_CHOICES, errors, values: values ?? {} });
  }
}
