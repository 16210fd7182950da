import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import { DomainError } from '../common/domain-error';
import type { FieldError } from '../common/forms';
import type { Establishment } from '../establishments/establishment.entity';
import { EstablishmentsService } from '../establishments/establishments.service';
import { parseDay } from '../common/dates';
import type { VisitSettings } from './visit.rules';
import { DAYS, ROOM_KINDS, VisitsAdminService } from './visits-admin.service';
import { VisitsService } from './visits.service';

type Body_ = Record<string, string | undefined>;

function int(body: Body_, field: string, min: number, max: number, label: string, errors: FieldError[]): number {
  const v = Number(body[field]);
  if (!/^\d+$/.test(String(body[field] ?? '').trim()) || v < min || v > max)
    errors.push({ field, message: `${label} : un nombre entier entre ${min} et ${max}` });
  return v;
}

function day(raw: string | undefined): string | null {
  return raw ? parseDay(raw) : null;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "Parloirs": the establishment's booking settings, rooms, weekly slots and closures (ADMIN, self-service). */
@Controller('etablissements/:establishment/parloirs')
export class VisitsAdminController {
  constructor(
    private readonly admin: VisitsAdminService,
    private readonly visits: VisitsService,
    private readonly establishments: EstablishmentsService,
  ) {}

  @Get()
  @Roles('ADMIN')
  async page(@Param('establishment') code: string, @Query('fait') done: string | undefined, @Res() res: Response) {
    await this.render(res, await this.establishments.byCode(code), { done });
  }

  @Post('reglages')
  @Roles('ADMIN')
  async settings(@Param('establishment') code: string, @Body() body: Body_, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const errors: FieldError[] = [];
    const s: VisitSettings = {
      minNoticeHours: int(body, 'minNoticeHours', 0, 720, 'Délai minimum de réservation (heures)', errors),
      horizonDays: int(body, 'horizonDays', 1, 180, 'Réservation possible jusqu’à (jours)', errors),
      cancelDeadlineHours: int(body, 'cancelDeadlineHours', 0, 720, 'Annulation possible jusqu’à (heures avant)', errors),
      maxAdults: int(body, 'maxAdults', 1, 10, 'Adultes par visite', errors),
      maxChildren: int(body, 'maxChildren', 0, 10, 'Enfants par visite', errors),
      majorityAge: int(body, 'majorityAge', 12, 21, 'Âge de la majorité pour les visiteurs', errors),
      weeklyPrevenu: int(body, 'weeklyPrevenu', 3, 21, 'Visites par semaine pour un prévenu (3 au moins, article L341-2)', errors),
      weeklyCondamne: int(body, 'weeklyCondamne', 1, 21, 'Visites par semaine pour un condamné (1 au moins, article L341-3)', errors),
      onlineBooking: body.onlineBooking === 'oui',
      openOnHolidays: body.openOnHolidays === 'oui',
      waitlistOfferHours: int(body, 'waitlistOfferHours', 1, 72, 'Délai de réponse à une place proposée (heures)', errors),
    };
    if (errors.length) return this.render(res.status(400), establishment, { errors, values: body, form: 'settings' });
    await this.admin.saveSettings(actorOf(p), establishment.id, s);
    res.redirect(303, `/etablissements/${code}/parloirs?fait=reglages`);
  }

  @Post('salles')
  @Roles('ADMIN')
  async room(@Param('establishment') code: string, @Body() body: Body_, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const errors: FieldError[] = [];
    const name = String(body.name ?? '').trim();
    if (!name || name.length > 60) errors.push({ field: 'name', message: 'Nommez le parloir (60 caractères au plus)' });
    if (!(String(body.kind) in ROOM_KINDS)) errors.push({ field: 'kind', message: 'Choisissez le type de parloir' });
    const cabins = int(body, 'cabins', 1, 200, 'Nombre de cabines ou tables', errors);
    if (errors.length) return this.render(res.status(400), establishment, { errors, values: body, form: 'room' });
    await this.handle(
      res,
      establishment,
      body,
      'room',
      () => this.admin.addRoom(actorOf(p), establishment.id, { name, kind: body.kind as keyof typeof ROOM_KINDS, cabins }),
      'salle',
    );
  }

  @Post('creneaux')
  @Roles('ADMIN')
  async template(@Param('establishment') code: string, @Body() body: Body_, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const errors: FieldError[] = [];
    const dayOfWeek = int(body, 'dayOfWeek', 1, 7, 'Jour de la semaine', errors);
    const start = String(body.start ?? '').trim();
    const end = String(body.end ?? '').trim();
    if (!TIME.test(start)) errors.push({ field: 'start', message: 'Heure de début au format HH:MM, par exemple 14:00' });
    if (!TIME.test(end) || (TIME.test(start) && end <= start))
      errors.push({ field: 'end', message: 'Heure de fin au format HH:MM, après le début' });
    const capacity = int(body, 'capacity', 1, 200, 'Capacité (visites en même temps)', errors);
    const validFrom = day(body.validFrom);
    if (!validFrom) errors.push({ field: 'validFrom', message: 'Date de début au format JJ/MM/AAAA' });
    const validTo = body.validTo ? day(body.validTo) : null;
    if (body.validTo && (!validTo || (validFrom && validTo < validFrom)))
      errors.push({ field: 'validTo', message: 'Date de fin au format JJ/MM/AAAA, après le début (ou vide)' });
    if (errors.length) return this.render(res.status(400), establishment, { errors, values: body, form: 'template' });
    await this.handle(
      res,
      establishment,
      body,
      'template',
      () =>
        this.admin.addTemplate(actorOf(p), establishment.id, {
          roomId: String(body.roomId),
          dayOfWeek,
          start,
          end,
          capacity,
          validFrom: validFrom!,
          validTo,
        }),
      'creneau',
    );
  }

  @Post('fermetures')
  @Roles('ADMIN')
  async closure(@Param('establishment') code: string, @Body() body: Body_, @CurrentPrincipal() p: Principal, @Res() res: Response) {
    const establishment = await this.establishments.byCode(code);
    const errors: FieldError[] = [];
    const d = day(body.day);
    if (!d) errors.push({ field: 'day', message: 'Date au format JJ/MM/AAAA' });
    const reason = String(body.reason ?? '').trim();
    if (reason.length < 3) errors.push({ field: 'reason', message: 'Indiquez la raison de la fermeture (les familles la verront)' });
    if (errors.length) return this.render(res.status(400), establishment, { errors, values: body, form: 'closure' });
    await this.handle(
      res,
      establishment,
      body,
      'closure',
      () =>
        this.admin.addClosure(actorOf(p), establishment.id, {
          day: d!,
          roomId: body.roomId || null,
          templateId: body.templateId || null,
          reason,
        }),
      'fermeture',
    );
  }

  private async handle(res: Response, establishment: Establishment, body: Body_, form: string, action: () => Promise<void>, done: string) {
    try {
      await action();
    } catch (e) {
      if (e instanceof DomainError && e.status === 400)
        return this.render(res.status(400), establishment, {
          errors: [{ field: form === 'room' ? 'name' : form === 'template' ? 'capacity' : 'day', message: e.message }],
          values: body,
          form,
        });
      throw e;
    }
    res.redirect(303, `/etablissements/${establishment.code}/parloirs?fait=${done}`);
  }

  private async render(
    res: Response,
    establishment: Establishment,
    extra: { errors?: FieldError[]; values?: Body_; form?: string; done?: string },
  ) {
    const today = new Date().toISOString().slice(0, 10);
    const overview = await this.admin.overview(establishment.id, today);
    res.render('visits/admin.njk', {
      establishment,
      ...overview,
      settings: await this.visits.settings(establishment.id),
      roomKinds: ROOM_KINDS,
      days: DAYS,
      errors: [],
      values: {},
      ...extra,
    });
  }
}
