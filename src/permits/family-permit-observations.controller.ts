import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt, FieldError, validateForm } from '../common/forms';
import { ObservationsForm } from './permit-measures.form';
import { PermitMeasuresService } from './permit-measures.service';

/**
 * The holder's answer to an intended suspension or withdrawal of its own permit (CRPA L121-1,
 * L122-1): the intended measure, its grounds and its letter, and a form until the due day included.
 */
@Controller('permis/:permitId/observations')
export class FamilyPermitObservationsController {
  constructor(private readonly measures: PermitMeasuresService) {}

  @Get()
  @Roles('FAMILY')
  async show(@Param('permitId', new ParseUUIDPipe()) permitId: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    await this.render(res, principal, permitId, {});
  }

  @Post()
  @Roles('FAMILY')
  async send(
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ObservationsForm, body);
    if (!form.ok) return this.render(res.status(400), principal, permitId, form);
    const done = await attempt(
      () => this.measures.submitObservations(actorOf(principal), permitId, form.value.observations),
      'observations',
    );
    if (!done.ok) return this.render(res.status(done.status), principal, permitId, { errors: done.errors, values: form.value });
    res.redirect(303, `/permis/${permitId}/observations`);
  }

  private async render(res: Response, principal: Principal, permitId: string, page: { errors?: FieldError[]; values?: unknown }) {
    const { permit, measure, letterId, open } = await this.measures.observationsPage(principal.id, permitId);
    res.render('permits/observations.njk', {
      visitor: `${permit.visitorGivenName} ${permit.visitorFamilyName}`,
      detainee: permit.detaineeName,
      establishmentName: permit.establishmentName,
      permitId,
      withdrawal: measure.kind === 'WITHDRAWAL',
      grounds: measure.grounds,
      // Calendar days (AAAA-MM-JJ): the page writes them in the family's language (dateFr).
      suspendedUntil: measure.suspendedUntil,
      due: measure.observationsDue,
      observations: measure.observations,
      observationsAt: measure.observationsAt,
      letterId,
      open,
      errors: page.errors ?? [],
      values: page.values ?? {},
    });
  }
}
