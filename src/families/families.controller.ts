import { Body, Controller, Get, Post, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { attempt, validateForm } from '../common/forms';
import { normalizePhone } from '../notifications/notification.rules';
import { FamiliesService } from './families.service';
import { PhoneForm } from './family.form';

/** The family's mobile number for reminders; « Mon espace » itself is family-space's (it shows requests, permits and visits). */
@Controller('mon-espace')
export class FamiliesController {
  constructor(private readonly families: FamiliesService) {}

  @Get('telephone')
  @Roles('FAMILY')
  @Render('families/phone.njk')
  async phoneForm(@CurrentPrincipal() principal: Principal) {
    const account = await this.families.account(principal.id);
    return { values: { phone: account.mobilePhone ?? '' }, errors: [] };
  }

  @Post('telephone')
  @Roles('FAMILY')
  async setPhone(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Res() res: Response) {
    const form = await validateForm(PhoneForm, body);
    if (!form.ok) return res.status(400).render('families/phone.njk', { values: form.values, errors: form.errors });
    const phone = form.value.phone ?? '';
    // Said in the family's language here (the service's own refusal is French).
    if (phone && !normalizePhone(phone))
      return res.status(400).render('families/phone.njk', {
        values: { phone },
        errors: [{ field: 'phone', message: 'space:phone.errors.invalid', values: { phone } }],
      });
    const done = await attempt(() => this.families.setMobilePhone(principal.id, phone), 'phone');
    if (!done.ok) return res.status(400).render('families/phone.njk', { values: { phone }, errors: done.errors });
    res.redirect(303, '/mon-espace?fait=telephone');
  }
}
