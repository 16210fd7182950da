import { Body, Controller, Get, NotFoundException, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import { FamiliesService } from './families.service';

@Controller('mon-espace')
export class FamiliesController {
  constructor(private readonly families: FamiliesService) {}

  @Get()
  @Roles('FAMILY')
  @Render('families/home.njk')
  async home(@CurrentPrincipal() principal: Principal, @Query('fait') done?: string) {
    const account = await this.families.find(principal.id);
    if (!account) throw new NotFoundException();
    return { account, done };
  }

  @Get('telephone')
  @Roles('FAMILY')
  @Render('families/phone.njk')
  async phoneForm(@CurrentPrincipal() principal: Principal) {
    const account = await this.families.find(principal.id);
    return { values: { phone: account?.mobilePhone ?? '' }, errors: [] };
  }

  @Post('telephone')
  @Roles('FAMILY')
  async setPhone(@CurrentPrincipal() principal: Principal, @Body('phone') phone: unknown, @Res() res: Response) {
    const raw = typeof phone === 'string' ? phone.slice(0, 40) : '';
    try {
      await this.families.setMobilePhone(principal.id, raw);
    } catch (e) {
      if (e instanceof DomainError)
        return res.status(400).render('families/phone.njk', { values: { phone: raw }, errors: [{ field: 'phone', message: e.message }] });
      throw e;
    }
    res.redirect(303, '/mon-espace?fait=telephone');
  }
}
