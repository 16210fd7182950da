import { Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { PermitRegisterService } from './permit-register.service';
import { familyLabels } from './family-texts';

/** A family withdraws its own pending request, or deletes its draft: a confirmation page, then the change. */
@Controller('demandes')
export class PermitWithdrawalController {
  constructor(private readonly register: PermitRegisterService) {}

  @Get(':id/retirer')
  @Roles('FAMILY')
  async confirm(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const request = await this.register.withdrawable(principal.id, id);
    res.render('permits/withdraw.njk', { r: request, ...familyLabels() });
  }

  @Post(':id/retirer')
  @Roles('FAMILY')
  async withdraw(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response) {
    const outcome = await this.register.withdraw({ type: 'FAMILY', id: principal.id, label: principal.displayName }, id);
    res.redirect(303, outcome === 'deleted' ? '/demandes?supprimee=1' : `/demandes/${id}?retiree=1`);
  }
}
