import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { FieldError, validateForm } from '../common/forms';
import { familyLabels } from './family-texts';
import { ClaimForm } from './permit-claims.form';
import { PermitClaimsService } from './permit-claims.service';

/** One message for a wrong code and for an identity that does not match: nobody learns which (keys of permits.json). */
export const CLAIM_REFUSED = 'permits:errors.claimRefused';
export const CLAIM_TOO_MANY = 'permits:errors.claimTooMany';

/** « Mes permis »: the family's permits, and linking a permit recorded by an establishment with its code. */
@Controller('permis')
export class MyPermitsController {
  constructor(private readonly claims: PermitClaimsService) {}

  @Get()
  @Roles('FAMILY')
  async mine(@CurrentPrincipal() principal: Principal, @Query('lie') linked: unknown, @Res() res: Response) {
    const { permits, letters } = await this.claims.myPermits(principal.id);
    res.render('permits/my-permits.njk', { permits, letters, linked: linked === '1', ...familyLabels() });
  }

  @Get('lier')
  @Roles('FAMILY')
  claimForm(@Res() res: Response) {
    res.render('permits/claim.njk', { errors: [], values: {} });
  }

  @Post('lier')
  @Roles('FAMILY')
  async claim(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Res() res: Response) {
    const fail = (errors: FieldError[], status: number) => res.status(status).render('permits/claim.njk', { errors, values: body ?? {} });
    const form = await validateForm(ClaimForm, body);
    if (!form.ok) return fail(form.errors, 400);
    const result = await this.claims.claim({ ...actorOf(principal), id: principal.id }, form.value.code);
    if (result.ok) return res.redirect(303, '/permis?lie=1');
    if (result.reason === 'RATE_LIMITED') return fail([{ field: 'code', message: CLAIM_TOO_MANY }], 429);
    return fail([{ field: 'code', message: CLAIM_REFUSED }], 400);
  }
}
