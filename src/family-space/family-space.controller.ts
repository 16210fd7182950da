import { Controller, Get, Query, Render } from '@nestjs/common';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { familyLabels } from '../permits/family-texts';
import { FamilySpaceService } from './family-space.service';

/** A query value that is one text, else undefined. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The family's two overview pages: « Mon espace » and « Mes visites et rendez-vous ». */
@Controller()
export class FamilySpaceController {
  constructor(private readonly space: FamilySpaceService) {}

  @Get('mon-espace')
  @Roles('FAMILY')
  @Render('family-space/home.njk')
  async home(@CurrentPrincipal() principal: Principal, @Query('fait') done: unknown) {
    return {
      ...(await this.space.overview(principal.id)),
      statusLabels: familyLabels().statusLabels,
      done: done === 'telephone' ? done : undefined,
    };
  }

  /** One list of what the family must attend; booking, moving, joining a waiting list and cancelling come back here. */
  @Get('mes-rendez-vous')
  @Roles('FAMILY')
  @Render('family-space/agenda.njk')
  async agenda(@CurrentPrincipal() principal: Principal, @Query() q: Record<string, unknown>) {
    return {
      ...(await this.space.agenda(principal.id)),
      booked: textOf(q.reservee),
      moved: textOf(q.deplacee),
      waiting: q.attente === '1',
      cancelled: q.annule === '1',
    };
  }
}
