import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { familyStayLabels } from './family-texts';
import { UnitsService } from './units.service';
import { IdParam } from '../common/params';

/**
 * The family's page of its booked UVF / PF stay: when and where, and what to bring and what is
 * forbidden (note DAP 2014) with the unit's own rules. Only for a family holding a granted request of
 * the stay's case; anyone else gets 404.
 */
@Controller('uvf/sejours')
export class FamilyStaysController {
  constructor(private readonly units: UnitsService) {}

  @Get(':stayId')
  @Roles('FAMILY')
  async show(@CurrentPrincipal() principal: Principal, @IdParam('stayId') stayId: string, @Res() res: Response) {
    res.render('family-visits/units-family-stay.njk', {
      ...(await this.units.familyStay(principal.id, stayId)),
      ...familyStayLabels(),
    });
  }
}
