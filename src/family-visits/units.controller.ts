import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import type { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { EditUnitForm, NewUnitForm } from './units.form';
import { KIND_LABELS } from './units.rules';
import { UnitsService } from './units.service';
import { IdParam } from '../common/params';

const UNIT_ERROR_FIELDS: Record<string, string> = { CAPACITY: 'capacity', HOUSE_RULES: 'houseRules' };
const fieldOf = (e: DomainError) => UNIT_ERROR_FIELDS[e.code] ?? 'name';

/** « Logements UVF et parloirs familiaux »: the establishment's units (ADMIN; read for the head). */
@Controller('etablissements/:establishment/uvf/unites')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async page(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    await this.render(res, establishment, p, { done: done === 'oui' });
  }

  @Post()
  @Roles('ADMIN')
  async create(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(NewUnitForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, p, { errors: form.errors, values: form.values, form: 'new' });
    const done = await attempt(() => this.units.addUnit(actorOf(p), establishment.id, form.value), fieldOf);
    if (!done.ok) return this.render(res.status(done.status), establishment, p, { errors: done.errors, values: body, form: 'new' });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/unites?fait=oui`);
  }

  @Post(':id')
  @Roles('ADMIN')
  async edit(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(EditUnitForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, p, { errors: form.errors, values: form.values, form: id });
    const done = await attempt(() => this.units.editUnit(actorOf(p), establishment.id, id, form.value), fieldOf);
    if (!done.ok) return this.render(res.status(done.status), establishment, p, { errors: done.errors, values: body, form: id });
    res.redirect(303, `/etablissements/${establishment.code}/uvf/unites?fait=oui`);
  }

  private async render(
    res: Response,
    establishment: Establishment,
    p: Principal,
    extra: { errors?: FieldError[]; values?: unknown; form?: string; done?: boolean },
  ) {
    res.render('family-visits/units-admin.njk', {
      establishment,
      ...(await this.units.units(establishment.id)),
      canEdit: holdsRole(p, establishment.id, ['ADMIN']),
      kinds: KIND_LABELS,
      errors: [],
      values: {},
      ...extra,
    });
  }
}
