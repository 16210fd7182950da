import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { attempt, FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import { Establishment } from '../establishments/establishment.entity';
import { identityMatches } from './permit-claim.rules';
import { LinkAccountForm, LinkConfirmForm } from './permit-claims.form';
import { PermitClaimsService } from './permit-claims.service';
import { PermitInstructionService } from './permit-instruction.service';

/**
 * Who holds a recorded permit in P2V, on the staff side: « Générer un code » (and its letter), and
 * linking the permit to the account of the person present at the greffe (e-mail, identity document
 * checked, confirmation showing the account holder's identity).
 */
@Controller('etablissements/:establishment/permis/:permitId')
export class PermitHolderController {
  constructor(
    private readonly claims: PermitClaimsService,
    private readonly instruction: PermitInstructionService,
  ) {}

  @Post('code-de-liaison')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async generateCode(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    await this.claims.generateCode(actorOf(principal), establishment.id, permitId);
    res.redirect(303, `/etablissements/${establishment.code}/permis/${permitId}#titulaire`);
  }

  @Get('titulaire')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async linkForm(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Res() res: Response,
  ) {
    await this.renderForm(res, establishment, permitId, [], {});
  }

  /** The e-mail typed: the confirmation page with the account holder's identity beside the permit's. */
  @Post('titulaire')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async linkCheck(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(LinkAccountForm, body);
    if (!form.ok) return this.renderForm(res.status(400), establishment, permitId, form.errors, form.values);
    const found = await attempt(() => this.claims.linkCandidate(establishment.id, permitId, form.value.email), 'email');
    if (!found.ok) return this.renderForm(res.status(found.status), establishment, permitId, found.errors, form.value);
    const { permit, account } = found.value;
    res.status(200).render('permits/link-confirm.njk', {
      establishment,
      permit,
      account,
      email: form.value.email,
      sameIdentity: identityMatches(
        { givenName: permit.visitorGivenName, familyName: permit.visitorFamilyName, birthdate: permit.visitorBirthdate },
        account,
      ),
      errors: [],
    });
  }

  @Post('titulaire/confirmer')
  @Roles('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async link(
    @CurrentEstablishment() establishment: Establishment,
    @Param('permitId', new ParseUUIDPipe()) permitId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(LinkConfirmForm, body);
    if (!form.ok) return this.renderForm(res.status(400), establishment, permitId, form.errors, {});
    const done = await attempt(
      () => this.claims.linkByStaff(actorOf(principal), establishment.id, permitId, form.value.email, form.value.accountId),
      'email',
    );
    if (!done.ok) return this.renderForm(res.status(done.status), establishment, permitId, done.errors, {});
    res.redirect(303, `/etablissements/${establishment.code}/permis/${permitId}#titulaire`);
  }

  private async renderForm(res: Response, establishment: Establishment, permitId: string, errors: FieldError[], values: unknown) {
    const permit = await this.instruction.permit(establishment.id, permitId);
    res.render('permits/link-account.njk', { establishment, p: permit, errors, values });
  }
}
