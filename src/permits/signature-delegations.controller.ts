import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt, FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { ConfirmForm, DelegationForm, QualityForm } from './decisions.form';
import { SignatureDelegationsService } from './signature-delegations.service';

/** « Délégations de signature »: the head of establishment delegates the signature of permit decisions, and sets the agents' quality. */
@Controller('etablissements/:establishment/delegations')
export class SignatureDelegationsController {
  constructor(private readonly delegations: SignatureDelegationsService) {}

  @Get()
  @Roles('HEAD_OF_ESTABLISHMENT')
  async list(@CurrentEstablishment() establishment: Establishment, @Query('fait') done: unknown, @Res() res: Response) {
    await this.render(res, establishment, { done });
  }

  @Post()
  @Roles('HEAD_OF_ESTABLISHMENT')
  async create(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(DelegationForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, form);
    const { agentId, validFrom, validTo } = form.value;
    const done = await attempt(
      () => this.delegations.delegate(actorOf(principal), establishment.id, { agentId, validFrom, validTo: validTo ?? null }),
      'agentId',
    );
    if (!done.ok) return this.render(res.status(done.status), establishment, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/delegations?fait=delegation`);
  }

  @Post(':id/revocation')
  @Roles('HEAD_OF_ESTABLISHMENT')
  async revoke(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ConfirmForm, body);
    if (!form.ok)
      return this.render(res.status(400), establishment, { errors: form.errors.map((e) => ({ ...e, field: `confirm-${id}` })) });
    await this.delegations.revoke(actorOf(principal), establishment.id, id);
    res.redirect(303, `/etablissements/${establishment.code}/delegations?fait=revocation`);
  }

  @Post('qualite')
  @Roles('HEAD_OF_ESTABLISHMENT')
  async quality(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(QualityForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, form);
    const { agentId, quality } = form.value;
    const done = await attempt(
      () => this.delegations.setQuality(actorOf(principal), establishment.id, agentId, quality ?? null),
      'agentId',
    );
    if (!done.ok) return this.render(res.status(done.status), establishment, { errors: done.errors, values: form.value });
    res.redirect(303, `/etablissements/${establishment.code}/delegations?fait=qualite`);
  }

  private async render(res: Response, establishment: Establishment, page: { errors?: FieldError[]; values?: unknown; done?: unknown }) {
    const { delegations, agents } = await this.delegations.page(establishment);
    res.render('permits/delegations.njk', {
      establishment,
      delegations,
      agents,
      done: page.done,
      errors: page.errors ?? [],
      values: page.values ?? {},
    });
  }
}
