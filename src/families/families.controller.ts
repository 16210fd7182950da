import { Controller, Get, NotFoundException, Render } from '@nestjs/common';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { FamiliesService } from './families.service';

@Controller('mon-espace')
export class FamiliesController {
  constructor(private readonly families: FamiliesService) {}

  @Get()
  @Roles('FAMILY')
  @Render('families/home.njk')
  async home(@CurrentPrincipal() principal: Principal) {
    const account = await this.families.find(principal.id);
    if (!account) throw new NotFoundException();
    return { account };
  }
}
