import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, holdsRole, type Principal } from '../auth/principal';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { parsePage } from '../common/pagination';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import { DeviceForm, euros, formValues, planCodesChanged, planLabel, VideoCallSettingsForm, WEEKDAYS } from './video-call-settings.form';
import { VideoCallSettingsService } from './video-call-settings.service';

/** The posted values of the list fields as lists (a single value arrives as a string), for the form shown again. */
function withLists(values: unknown): Record<string, unknown> {
  const v = { ...((values ?? {}) as Record<string, unknown>) };
  for (const key of ['weekdays', 'planCode', 'perMinute', 'connection']) {
    const x = v[key];
    v[key] = Array.isArray(x) ? x.map(String) : typeof x === 'string' ? [x] : [];
  }
  return v;
}

type FormName = 'settings' | 'device' | 'rename';

const DONE = ['reglages', 'inchanges', 'appareil', 'renomme', 'desactive'] as const;
type Done = (typeof DONE)[number];

/**
 * "Visio — paramètres": the establishment's video-call settings (ACTIVITIES_OFFICER and
 * HEAD_OF_ESTABLISHMENT edit them) and its call rooms / devices (ADMIN and HEAD_OF_ESTABLISHMENT).
 */
@Controller('etablissements/:establishment/visio/parametres')
export class VideoCallSettingsController {
  constructor(private readonly settings: VideoCallSettingsService) {}

  @Get()
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT', 'ADMIN')
  async page(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Query('page') pageNumber: unknown,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    const known = DONE.find((d) => d === done);
    await this.render(res, establishment, p, { pageNumber: parsePage(pageNumber), done: known });
  }

  @Post()
  @Roles('ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT')
  async save(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(VideoCallSettingsForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, p, { errors: form.errors, values: form.values, form: 'settings' });
    const posted = form.value.settings();
    const planError = planCodesChanged((await this.settings.inForce(establishment.id)).settings.plans, posted.plans);
    if (planError)
      return this.render(res.status(400), establishment, p, {
        errors: [{ field: 'plans', message: planError }],
        values: body,
        form: 'settings',
      });
    const changed = await this.settings.save(actorOf(p), establishment.id, posted);
    this.done(res, establishment, changed ? 'reglages' : 'inchanges');
  }

  @Post('appareils')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async addDevice(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(DeviceForm, body);
    if (!form.ok) return this.render(res.status(400), establishment, p, { errors: form.errors, values: form.values, form: 'device' });
    const added = await attempt(() => this.settings.addDevice(actorOf(p), establishment.id, form.value.name), 'name');
    if (!added.ok) return this.render(res.status(400), establishment, p, { errors: added.errors, values: form.value, form: 'device' });
    this.done(res, establishment, 'appareil');
  }

  @Post('appareils/:id/nom')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async renameDevice(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @Res() res: Response,
  ) {
    const form = await validateForm(DeviceForm, body);
    const rename = (errors: FieldError[], values: unknown) =>
      this.render(res.status(400), establishment, p, {
        errors: errors.map((e) => ({ ...e, field: `rename-${id}` })),
        values,
        form: 'rename',
        deviceId: id,
      });
    if (!form.ok) {
      await this.settings.device(establishment.id, id);
      return rename(form.errors, form.values);
    }
    const renamed = await attempt(() => this.settings.renameDevice(actorOf(p), establishment.id, id, form.value.name), 'name');
    if (!renamed.ok) return rename(renamed.errors, form.value);
    this.done(res, establishment, 'renomme');
  }

  /** The read-back before deactivating a device. */
  @Get('appareils/:id/desactiver')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async confirmDeactivation(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    const device = await this.settings.device(establishment.id, id);
    res.render('video-calls/settings-deactivate.njk', { establishment, device });
  }

  @Post('appareils/:id/desactiver')
  @Roles('ADMIN', 'HEAD_OF_ESTABLISHMENT')
  async deactivate(
    @CurrentEstablishment() establishment: Establishment,
    @CurrentPrincipal() p: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    await this.settings.deactivateDevice(actorOf(p), establishment.id, id);
    this.done(res, establishment, 'desactive');
  }

  private done(res: Response, establishment: Establishment, done: Done) {
    res.redirect(303, `/etablissements/${establishment.code}/visio/parametres?fait=${done}`);
  }

  private async render(
    res: Response,
    establishment: Establishment,
    p: Principal,
    extra: { errors?: FieldError[]; values?: unknown; form?: FormName; done?: Done; pageNumber?: number; deviceId?: string },
  ) {
    const overview = await this.settings.overview(establishment, extra.pageNumber ?? 1);
    const s = overview.current.settings;
    res.render('video-calls/settings.njk', {
      establishment,
      ...overview,
      settings: s,
      plans: s.plans.map((plan) => ({
        code: plan.code,
        label: planLabel(plan.code),
        perMinute: euros(plan.centsPerMinute),
        connection: euros(plan.connectionCents),
      })),
      planLabels: Object.fromEntries(s.plans.map((plan) => [plan.code, planLabel(plan.code)])),
      weekdays: WEEKDAYS,
      mayEdit: holdsRole(p, establishment.id, ['ACTIVITIES_OFFICER', 'HEAD_OF_ESTABLISHMENT']),
      mayManageDevices: holdsRole(p, establishment.id, ['ADMIN', 'HEAD_OF_ESTABLISHMENT']),
      errors: [],
      ...extra,
      values: extra.form === 'settings' ? withLists(extra.values) : formValues(s),
      deviceValues: extra.form === 'device' || extra.form === 'rename' ? extra.values : {},
    });
  }
}
