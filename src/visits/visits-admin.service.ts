import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { whenLabel } from '../appointments/appointment.rules';
import {
  calendarOf,
  closureOf,
  closuresListFrom,
  deleteClosure,
  lockCalendar,
  syncSlotCapacities,
  updateRoom,
  updateTemplate,
  type VisitAhead,
  visitsAhead,
  insertClosure,
  updateClosure,
  insertRoom,
  insertTemplate,
  lockSettings,
  type NewTemplate,
  roomNamed,
  roomNamedOther,
  roomOf,
  roomRowOf,
  roomsOf,
  saveSettings,
  settingsOrDefaults,
  templateOf,
  templateRoom,
  templatesFrom,
} from './calendar.queries';
import { applyChange, type CalendarChange, type Misfit, type MisfitCause, misfits, SMS_REASONS } from './calendar.rules';
import { VisitBookingService } from './visit-booking.service';
import { WaitlistService } from './waitlist.service';
import { localDay } from './visit-day.service';
import { capsBelowFloors, type VisitSettings } from './visit.rules';
import type { RoomKind } from './visiting-room.entity';

export const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** What the SMS says of why (no place, no person): a closure, or a change of the visiting room's calendar. */
/** A visit a change would cancel, as the administrator's read-back shows it. */
export interface HitVisit extends VisitAhead {
  when: string;
  reason: string;
  cause: MisfitCause;
}

type Establishment = { id: string; timeZone: string };

/** Self-service calendar of an establishment's visiting rooms: settings, rooms, slot templates, closures. */
@Injectable()
export class VisitsAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly booking: VisitBookingService,
    private readonly waitlist: WaitlistService,
  ) {}

  /** The "Parloirs" page: settings, rooms, the weekly slots still valid and the closures to come. */
  async overview(establishment: { id: string; timeZone: string }) {
    const db = this.dataSource.manager;
    const today = localDay(this.clock.now(), establishment.timeZone);
    const [settings, rooms, templates, closures] = await Promise.all([
      settingsOrDefaults(db, establishment.id),
      roomsOf(db, establishment.id),
      templatesFrom(db, establishment.id, today),
      closuresListFrom(db, establishment.id, today),
    ]);
    return { settings, rooms, templates, closures };
  }

  now(): Date {
    return this.clock.now();
  }

  /** A room of the establishment, for its edit page (404 for another's). */
  async room(establishmentId: string, roomId: string) {
    const room = await roomRowOf(this.dataSource.manager, establishmentId, roomId);
    if (!room) throw new DomainError('NOT_FOUND', 'Parloir introuvable.', 404);
    return room;
  }

  /** A weekly slot of the establishment with its room, for its edit page (404 for another's). */
  async template(establishmentId: string, templateId: string) {
    const t = await templateRoom(this.dataSource.manager, establishmentId, templateId);
    if (!t) throw new DomainError('NOT_FOUND', 'Créneau introuvable.', 404);
    return t;
  }

  /**
   * A closure to come of the establishment, for its edit page, with the rooms and weekly slots it may
   * name instead (404 for another's; a past closure is history and stays as it is: 409).
   */
  async closure(establishment: Establishment, closureId: string) {
    const db = this.dataSource.manager;
    const today = localDay(this.clock.now(), establishment.timeZone);
    const closure = await this.editableClosure(db, establishment.id, closureId, today);
    const [rooms, templates] = await Promise.all([roomsOf(db, establishment.id), templatesFrom(db, establishment.id, today)]);
    return { closure, rooms, templates };
  }

  async saveSettings(actor: Actor, establishmentId: string, s: VisitSettings): Promise<void> {
    // The law's weekly figures are floors: a cap below them is refused (the form says it first, a check constraint last).
    const belowFloor = capsBelowFloors(s);
    if (belowFloor) throw new DomainError('CAP_BELOW_FLOOR', belowFloor.message);
    await this.dataSource.transaction(async (m) => {
      const before = await lockSettings(m, establishmentId);
      await saveSettings(m, establishmentId, s);
      await this.audit.record(
        {
          actor,
          action: 'VISIT_SETTINGS_CHANGED',
          entityType: 'visit_settings',
          entityId: establishmentId,
          establishmentId,
          before,
          after: s,
        },
        m,
      );
    });
  }

  async addRoom(actor: Actor, establishmentId: string, room: { name: string; kind: RoomKind; cabins: number }): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (await roomNamed(m, establishmentId, room.name)) throw new DomainError('ROOM_EXISTS', 'Un parloir porte déjà ce nom.');
      const id = await insertRoom(m, establishmentId, room);
      await this.audit.record(
        { actor, action: 'VISITING_ROOM_CREATED', entityType: 'visiting_room', entityId: id, establishmentId, after: room },
        m,
      );
    });
  }

  async addTemplate(actor: Actor, establishmentId: string, t: NewTemplate): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const room = await roomOf(m, establishmentId, t.roomId);
      if (!room) throw new DomainError('NO_ROOM', 'Choisissez un parloir de l’établissement.');
      if (t.capacity > room.cabins)
        throw new DomainError(
          'CAPACITY',
          `Le parloir n’a que ${room.cabins} cabine(s) : la capacité du créneau ne peut pas dépasser ce nombre.`,
        );
      const id = await insertTemplate(m, t);
      await this.audit.record(
        { actor, action: 'SLOT_TEMPLATE_CREATED', entityType: 'slot_template', entityId: id, establishmentId, after: t },
        m,
      );
    });
  }

  /**
   * The read-back of a change of the calendar: the booked visits it would cancel (none: it may be
   * made at once). Refuses what the change itself would refuse (another establishment's room…).
   */
  async impact(establishment: Establishment, change: CalendarChange): Promise<HitVisit[]> {
    const m = this.dataSource.manager;
    const now = this.clock.now();
    await this.checkChange(m, establishment.id, change, localDay(now, establishment.timeZone));
    return this.hits(m, establishment, change, now);
  }

  /**
   * Makes the change, under the calendar's exclusive lock (no booking meanwhile): the visits that no
   * longer fit are cancelled, their families told why (e-mail, SMS) with a link to choose another
   * slot, and the slots to come take their new capacity; one audit entry says what was cancelled.
   * `shown`: the visits the administrator confirmed; if the change would now cancel another one
   * (booked since the read-back), nothing is done (IMPACT_CHANGED, 409).
   */
  async change(actor: Actor, establishment: Establishment, change: CalendarChange, shown: string[]): Promise<HitVisit[]> {
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction(async (m) => {
        await lockCalendar(m, establishment.id, 'EXCLUSIVE');
        await this.checkChange(m, establishment.id, change, localDay(now, establishment.timeZone));
        const before = change.kind === 'EDIT_CLOSURE' ? await closureOf(m, establishment.id, change.closureId) : undefined;
        const hit = await this.hits(m, establishment, change, now);
        if (hit.some((v) => !shown.includes(v.id)))
          throw new DomainError('IMPACT_CHANGED', 'Des visites ont été réservées entre-temps : vérifiez la liste avant de confirmer.', 409);
        for (const v of hit) {
          const reason = v.cause === 'CLOSURE' ? `Fermeture du parloir : ${v.reason}` : `Visite annulée par l’établissement : ${v.reason}`;
          await this.booking.cancelForCalendar(m, actor, v.id, now, {
            reason,
            smsReason: SMS_REASONS[v.cause],
            rebookPath: '/visites/reserver',
          });
        }
        const entityId = await this.write(m, establishment.id, change);
        await syncSlotCapacities(m, establishment.id, now);
        // Nobody waits any more for an occurrence the calendar took away: each family is told, a place offered is released.
        const closedEntries = await this.waitlist.closeGone(
          m,
          actor,
          establishment.id,
          await calendarOf(m, establishment.id, localDay(now, establishment.timeZone)),
          now,
        );
        await this.audit.record(
          {
            actor,
            action: AUDIT_ACTIONS[change.kind],
            entityType: change.kind === 'TEMPLATE' ? 'slot_template' : change.kind === 'ROOM' ? 'visiting_room' : 'closure',
            entityId,
            establishmentId: establishment.id,
            before,
            after: { ...change, cancelledVisits: hit.map((v) => v.reference), closedWaitlistEntries: closedEntries },
          },
          m,
        );
        return hit;
      });
    } catch (e) {
      if (e instanceof QueryFailedError && (e as { driverError?: { code?: string } }).driverError?.code === '23514')
        throw new DomainError(
          'PLACES_HELD',
          'Une place de ce créneau est proposée à une famille de la liste d’attente : attendez sa réponse avant de réduire les places.',
          409,
        );
      throw e;
    }
  }

  /** The booked visits still to come that the calendar after the change no longer allows. */
  private async hits(m: EntityManager, establishment: Establishment, change: CalendarChange, now: Date): Promise<HitVisit[]> {
    const today = localDay(now, establishment.timeZone);
    const [calendar, visits] = await Promise.all([calendarOf(m, establishment.id, today), visitsAhead(m, establishment.id, now)]);
    const out = new Map<string, Misfit>(misfits(visits, applyChange(calendar, change)).map((x) => [x.visitId, x]));
    return visits
      .filter((v) => out.has(v.id))
      .map((v) => ({
        ...v,
        when: whenLabel(v.startsAt, establishment.timeZone),
        reason: out.get(v.id)!.reason,
        cause: out.get(v.id)!.cause,
      }));
  }

  /** The change names the establishment's own room, weekly slot or closure, and keeps a slot within its room's cabins. */
  private async checkChange(m: EntityManager, establishmentId: string, change: CalendarChange, today: string): Promise<void> {
    switch (change.kind) {
      case 'CLOSE': {
        const c = change.closure;
        if (c.roomId && !(await roomOf(m, establishmentId, c.roomId))) throw new DomainError('NO_ROOM', 'Parloir inconnu.');
        if (c.templateId && !(await templateOf(m, establishmentId, c.templateId))) throw new DomainError('NO_TEMPLATE', 'Créneau inconnu.');
        return;
      }
      case 'EDIT_CLOSURE': {
        await this.editableClosure(m, establishmentId, change.closureId, today);
        const c = change.closure;
        if (c.day < today)
          throw new DomainError('DAY_PAST', 'Choisissez un jour à venir : une fermeture ne peut pas être déplacée dans le passé.');
        if (c.roomId && !(await roomOf(m, establishmentId, c.roomId))) throw new DomainError('NO_ROOM', 'Parloir inconnu.');
        if (c.templateId && !(await templateOf(m, establishmentId, c.templateId))) throw new DomainError('NO_TEMPLATE', 'Créneau inconnu.');
        return;
      }
      case 'LIFT':
        if (!(await closureOf(m, establishmentId, change.closureId))) throw new DomainError('NOT_FOUND', 'Fermeture introuvable.', 404);
        return;
      case 'ROOM': {
        if (!(await roomOf(m, establishmentId, change.roomId))) throw new DomainError('NOT_FOUND', 'Parloir introuvable.', 404);
        const other = await roomNamedOther(m, establishmentId, change.room.name, change.roomId);
        if (other) throw new DomainError('ROOM_EXISTS', 'Un parloir porte déjà ce nom.');
        return;
      }
      case 'TEMPLATE': {
        const t = await templateRoom(m, establishmentId, change.templateId);
        if (!t) throw new DomainError('NOT_FOUND', 'Créneau introuvable.', 404);
        if (change.template.capacity > t.cabins)
          throw new DomainError(
            'CAPACITY',
            `Le parloir n’a que ${t.cabins} cabine(s) : la capacité du créneau ne peut pas dépasser ce nombre.`,
          );
        return;
      }
    }
  }

  /** A closure of the establishment (404 for another's) still to come (a past one cannot be edited: 409). */
  private async editableClosure(m: EntityManager, establishmentId: string, closureId: string, today: string) {
    const closure = await closureOf(m, establishmentId, closureId);
    if (!closure) throw new DomainError('NOT_FOUND', 'Fermeture introuvable.', 404);
    if (closure.day < today) throw new DomainError('CLOSURE_PAST', 'Cette fermeture est passée : elle ne peut plus être modifiée.', 409);
    return closure;
  }

  /** The change written; the id of what it changed. */
  private async write(m: EntityManager, establishmentId: string, change: CalendarChange): Promise<string> {
    switch (change.kind) {
      case 'CLOSE':
        return insertClosure(m, establishmentId, change.closure);
      case 'LIFT':
        await deleteClosure(m, change.closureId);
        return change.closureId;
      case 'EDIT_CLOSURE':
        await updateClosure(m, change.closureId, change.closure);
        return change.closureId;
      case 'ROOM':
        await updateRoom(m, change.roomId, change.room);
        return change.roomId;
      case 'TEMPLATE':
        await updateTemplate(m, change.templateId, change.template);
        return change.templateId;
    }
  }
}

const AUDIT_ACTIONS: Record<CalendarChange['kind'], string> = {
  CLOSE: 'CLOSURE_CREATED',
  LIFT: 'CLOSURE_LIFTED',
  EDIT_CLOSURE: 'CLOSURE_CHANGED',
  ROOM: 'VISITING_ROOM_CHANGED',
  TEMPLATE: 'SLOT_TEMPLATE_CHANGED',
};
