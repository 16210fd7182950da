import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import type { DomainError } from '../common/domain-error';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { ClosureForm, RoomForm, SettingsForm, TemplateForm } from './visit.form';
import { DAYS, VisitsAdminService } from './visits-admin.service';
import { ROOM_KINDS } from './visiting-room.entity';

type FormName = 'settings' | 'room' | 'template' | 'closure';

const DONE = { settings: 'reglages', room: 'salle', template: 'creneau', closure: 'fermeture' } as const;

/** The field a refusal of the calendar's rules belongs to. */
function fieldOf(e: DomainError): string {
  switch (e.code) {
    case 'ROOM_EXISTS':
      return 'name';
    case 'NO_ROOM':
      return 'roomId';
    case 'NO_TEMPLATE':
      return 'templateId';
    case 'CAPACITY':
      return 'capacity';
    default:
      return 'day';
  }
}

/** "Parloirs": the establishment's booking settings, rooms, weekly slots and closures (ADMIN, self-service). */
@Controller('etablissements/:establishment/parloirs')
export class VisitsAdminController {
  constructor(private readonly admin: VisitsAdminService) {}

  @Get()
  @Roles('ADMIN')
  async page(@CurrentEstablishment() establishment: Establishment, @Query('fait') done: unknown, @Res() res: Response) {
    await this.render(res, establishment, { done: typeof done === 'string' ? done : undefined });
  }

  @Post('reglages')
  @Roles('ADMIN')
  async settings(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(SettingsForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, { errors: form.errors, values: form.values, form: 'settings' });
    await this.admin.saveSettings(actorOf(p), establishment.id, form.value.settings());
    this.done(res, establishment, 'settings');
  }

  @Post('salles')
  @Roles('ADMIN')
  async room(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(RoomForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, { errors: form.errors, values: form.values, form: 'room' });
    const { name, kind, cabins } = form.value;
    const added = await attempt(() => this.admin.addRoom(actorOf(p), establishment.id, { name, kind, cabins }), fieldOf);
    if (!added.ok) return this.render(res.status(400), establishment, { errors: added.errors, values: body, form: 'room' });
    this.done(res, establishment, 'room');
  }

  @Post('creneaux')
  @Roles('ADMIN')
  async template(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(TemplateForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, { errors: form.errors, values: form.values, form: 'template' });
    const added = await attempt(() => this.admin.addTemplate(actorOf(p), establishment.id, form.value.template()), fieldOf);
    if (!added.ok) return this.render(res.status(400), establishment, { errors: added.errors, values: body, form: 'template' });
    this.done(res, establishment, 'template');
  }

  @Post('fermetures')
  @Roles('ADMIN')
  async closure(
    @CurrentEstablishment() establishment: Establishment,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ClosureForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, { errors: form.errors, values: form.values, form: 'closure' });
    const added = await attempt(() => this.admin.addClosure(actorOf(p), establishment.id, form.value.closure()), fieldOf);
    if (!added.ok) return this.render(res.status(400), establishment, { errors: added.errors, values: body, form: 'closure' });
    this.done(res, establishment, 'closure');
  }

  private done(res: Response, establishment: Establishment, form: FormName) {
    res.redirect(303, `/etablissements/${establishment.code}/parloirs?fait=${DONE[form]}`);
  }

  private async render(
    res: Response,
    establishment: Establishment,
    extra: { errors?: FieldError[]; values?: unknown; form?: FormName; done?: string },
  ) {
    res.render('visits/admin.njk', {
      establishment,
      ...(await this.admin.overview(establishment)),
      roomKinds: ROOM_KINDS,
      days: DAYS,
      errors: [],
      values: {},
      ...extra,
    });
  }
}
