import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/access.decorator';
import { actorOf, type Principal } from '../auth/principal';
import type { DomainError } from '../common/domain-error';
import { IdParam } from '../common/params';
import { attempt, type FieldError, validateForm } from '../common/forms';
import { CurrentEstablishment } from '../establishments/current-establishment';
import type { Establishment } from '../establishments/establishment.entity';
import type { CalendarChange } from './calendar.rules';
import { localDay } from './visit-day.service';
import { ClosureForm, ConfirmForm, RoomEditForm, RoomForm, SettingsForm, TemplateForm, TemplateTimesForm } from './visit.form';
import { DAYS, type HitVisit, VisitsAdminService } from './visits-admin.service';
import { ROOM_KINDS } from './visiting-room.entity';

type FormName = 'settings' | 'room' | 'template' | 'closure' | 'closureEdit';

const DONE = {
  settings: 'reglages',
  room: 'salle',
  template: 'creneau',
  closure: 'fermeture',
  closureEdit: 'fermeture-modifiee',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the administrator confirmed on the read-back: `confirme=oui` and the visits shown (`visites`). */
function confirmation(body: unknown): { confirmed: boolean; shown: string[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  const raw = Array.isArray(b.visites) ? (b.visites as unknown[]) : [b.visites];
  return { confirmed: b.confirme === 'oui', shown: raw.filter((v): v is string => typeof v === 'string' && UUID.test(v)) };
}

/** The fields the read-back posts back with its confirmation: what was typed, as typed. */
function typedFields(body: unknown): [string, string][] {
  return Object.entries((body ?? {}) as Record<string, unknown>).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && !['_csrf', 'confirme', 'visites'].includes(e[0]),
  );
}

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
    case 'PLACES_HELD':
      return 'capacity';
    case 'IMPACT_CHANGED':
      return 'confirm';
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
  async page(
    @CurrentEstablishment() establishment: Establishment,
    @Query('fait') done: unknown,
    @Query('annulees') cancelled: unknown,
    @Res() res: Response,
  ) {
    const n = typeof cancelled === 'string' && /^\d{1,4}$/.test(cancelled) ? Number(cancelled) : 0;
    await this.render(res, establishment, { done: typeof done === 'string' ? done : undefined, cancelled: n });
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

  /** A closure: the booked visits it hits are read back first; confirmed, they are cancelled and the families told. */
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
    const change: CalendarChange = { kind: 'CLOSE', closure: form.value.closure() };
    const back = (status: number, errors: FieldError[]) =>
      this.render(res.status(status), establishment, { errors, values: body, form: 'closure' });
    await this.changeCalendar(res, p, establishment, change, body, 'closure', back);
  }

  @Get('fermetures/:id')
  @Roles('ADMIN')
  async closureForm(@CurrentEstablishment() establishment: Establishment, @IdParam() id: string, @Res() res: Response) {
    await this.renderClosure(res, establishment, id, null, []);
  }

  /**
   * A closure edited (day, room, slot, reason) as one change: the visits the closure as edited would
   * cancel are read back first; confirmed, they are cancelled and the families told its new reason.
   */
  @Post('fermetures/:id')
  @Roles('ADMIN')
  async editClosure(
    @CurrentEstablishment() establishment: Establishment,
    @IdParam() id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(ClosureForm, body);
    if (!form.ok) return this.renderClosure(res.status(400), establishment, id, form.values, form.errors);
    const change: CalendarChange = { kind: 'EDIT_CLOSURE', closureId: id, closure: form.value.closure() };
    const back = (status: number, errors: FieldError[]) => this.renderClosure(res.status(status), establishment, id, body, errors);
    await this.changeCalendar(res, p, establishment, change, body, 'closureEdit', back);
  }

  /** Lifting a closure reopens the slots it closed (no visit is hit). */
  @Post('fermetures/:id/lever')
  @Roles('ADMIN')
  async lift(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    await this.admin.change(actorOf(p), establishment, { kind: 'LIFT', closureId: id }, []);
    res.redirect(303, `/etablissements/${establishment.code}/parloirs?fait=levee`);
  }

  @Get('salles/:id')
  @Roles('ADMIN')
  async roomForm(@CurrentEstablishment() establishment: Establishment, @Param('id', new ParseUUIDPipe()) id: string, @Res() res: Response) {
    await this.renderRoom(res, establishment, id, {}, []);
  }

  /** A room edited or deactivated: the visits that would no longer fit are read back first. */
  @Post('salles/:id')
  @Roles('ADMIN')
  async editRoom(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(RoomEditForm, body);
    if (!form.ok) return this.renderRoom(res.status(400), establishment, id, form.values, form.errors);
    const { name, kind, cabins, active } = form.value;
    const change: CalendarChange = { kind: 'ROOM', roomId: id, room: { name, kind, cabins, active: active === true } };
    const back = (status: number, errors: FieldError[]) => this.renderRoom(res.status(status), establishment, id, body, errors);
    await this.changeCalendar(res, p, establishment, change, body, 'room', back);
  }

  @Get('creneaux/:id')
  @Roles('ADMIN')
  async templateForm(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ) {
    await this.renderTemplate(res, establishment, id, null, []);
  }

  /** A weekly slot edited (day, hours, places, validity): the visits that would no longer fit are read back first. */
  @Post('creneaux/:id')
  @Roles('ADMIN')
  async editTemplate(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const form = await validateForm(TemplateTimesForm, body);
    if (!form.ok) return this.renderTemplate(res.status(400), establishment, id, form.values, form.errors);
    const change: CalendarChange = { kind: 'TEMPLATE', templateId: id, template: form.value.times() };
    const back = (status: number, errors: FieldError[]) => this.renderTemplate(res.status(status), establishment, id, body, errors);
    await this.changeCalendar(res, p, establishment, change, body, 'template', back);
  }

  /** A weekly slot deactivated: it ends yesterday (its visits from today on are read back first). */
  @Post('creneaux/:id/desactiver')
  @Roles('ADMIN')
  async deactivateTemplate(
    @CurrentEstablishment() establishment: Establishment,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const t = await this.admin.template(establishment.id, id);
    const form = await validateForm(ConfirmForm, body);
    const back = (status: number, errors: FieldError[]) =>
      this.renderTemplate(
        res.status(status),
        establishment,
        id,
        null,
        errors.map((e) => ({ ...e, field: 'confirm' })),
      );
    if (!form.ok) return back(400, form.errors);
    const yesterday = shiftDay(localDay(this.admin.now(), establishment.timeZone), -1);
    const change: CalendarChange = {
      kind: 'TEMPLATE',
      templateId: id,
      template: {
        dayOfWeek: t.dayOfWeek,
        start: t.start,
        end: t.end,
        capacity: t.capacity,
        validFrom: t.validFrom < yesterday ? t.validFrom : yesterday,
        validTo: yesterday,
      },
    };
    await this.changeCalendar(res, p, establishment, change, body, 'template', back);
  }

  /**
   * The one sequence of a calendar change: without `confirme=oui`, the visits it would cancel are
   * read back (none: it is made at once); confirmed, it is made, unless another visit would now be
   * cancelled (read back again, 409).
   */
  private async changeCalendar(
    res: Response,
    p: Principal,
    establishment: Establishment,
    change: CalendarChange,
    body: unknown,
    form: FormName,
    back: (status: number, errors: FieldError[]) => Promise<void>,
  ) {
    const { confirmed, shown } = confirmation(body);
    if (!confirmed) {
      const hit = await attempt(() => this.admin.impact(establishment, change), fieldOf);
      if (!hit.ok) return back(hit.status === 409 ? 409 : 400, hit.errors);
      if (hit.value.length) return this.renderImpact(res.status(200), establishment, change, hit.value, body, null);
    }
    const made = await attempt(() => this.admin.change(actorOf(p), establishment, change, confirmed ? shown : []), fieldOf);
    if (!made.ok) {
      const again = await attempt(() => this.admin.impact(establishment, change), fieldOf);
      if (made.errors.some((e) => e.field === 'confirm') && again.ok && again.value.length)
        return this.renderImpact(res.status(409), establishment, change, again.value, body, made.errors[0].message);
      return back(made.status === 409 ? 409 : 400, made.errors);
    }
    const cancelled = made.value.length;
    res.redirect(303, `/etablissements/${establishment.code}/parloirs?fait=${DONE[form]}${cancelled ? `&annulees=${cancelled}` : ''}`);
  }

  private renderImpact(
    res: Response,
    establishment: Establishment,
    change: CalendarChange,
    visits: HitVisit[],
    body: unknown,
    warning: string | null,
  ) {
    const path = res.req.path;
    res.render('visits/admin-impact.njk', {
      establishment,
      change,
      days: DAYS,
      visits,
      visitors: visits.reduce((n, v) => n + v.visitors.length, 0),
      unreachable: visits.filter((v) => !v.contactEmail && !v.contactPhone).length,
      action: path,
      back: `/etablissements/${establishment.code}/parloirs`,
      hidden: typedFields(body),
      warning,
    });
  }

  private async renderRoom(res: Response, establishment: Establishment, id: string, values: unknown, errors: FieldError[]) {
    const room = await this.admin.room(establishment.id, id);
    res.render('visits/admin-room.njk', {
      establishment,
      room,
      roomKinds: ROOM_KINDS,
      values: Object.keys(values ?? {}).length ? values : { ...room, active: room.active ? 'oui' : '' },
      errors,
    });
  }

  private async renderClosure(res: Response, establishment: Establishment, id: string, values: unknown, errors: FieldError[]) {
    const { closure, rooms, templates } = await this.admin.closure(establishment, id);
    res.render('visits/admin-closure.njk', {
      establishment,
      closure,
      rooms,
      templates,
      days: DAYS,
      values: values ?? {
        day: frDay(closure.day),
        roomId: closure.roomId ?? '',
        templateId: closure.templateId ?? '',
        reason: closure.reason,
      },
      errors,
    });
  }

  private async renderTemplate(res: Response, establishment: Establishment, id: string, values: unknown, errors: FieldError[]) {
    const t = await this.admin.template(establishment.id, id);
    res.render('visits/admin-template.njk', {
      establishment,
      template: t,
      days: DAYS,
      values: values ?? { ...t, dayOfWeek: String(t.dayOfWeek), validFrom: frDay(t.validFrom), validTo: t.validTo ? frDay(t.validTo) : '' },
      errors,
    });
  }

  private done(res: Response, establishment: Establishment, form: FormName) {
    res.redirect(303, `/etablissements/${establishment.code}/parloirs?fait=${DONE[form]}`);
  }

  private async render(
    res: Response,
    establishment: Establishment,
    extra: { errors?: FieldError[]; values?: unknown; form?: FormName; done?: string; cancelled?: number },
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

function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
}

/** YYYY-MM-DD as typed in the forms: JJ/MM/AAAA. */
function frDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}
