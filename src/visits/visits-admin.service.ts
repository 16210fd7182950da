import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import {
  closuresListFrom,
  insertClosure,
  insertRoom,
  insertTemplate,
  lockSettings,
  type NewClosure,
  type NewTemplate,
  roomNamed,
  roomOf,
  roomsOf,
  saveSettings,
  settingsOrDefaults,
  templateOf,
  templatesFrom,
} from './calendar.queries';
import { localDay } from './visit-day.service';
import { capsBelowFloors, type VisitSettings } from './visit.rules';
import type { RoomKind } from './visiting-room.entity';

export const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** Self-service calendar of an establishment's visiting rooms: settings, rooms, slot templates, closures. */
@Injectable()
export class VisitsAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
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

  async addClosure(actor: Actor, establishmentId: string, c: NewClosure): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (c.roomId && !(await roomOf(m, establishmentId, c.roomId))) throw new DomainError('NO_ROOM', 'Parloir inconnu.');
      if (c.templateId && !(await templateOf(m, establishmentId, c.templateId))) throw new DomainError('NO_TEMPLATE', 'Créneau inconnu.');
      const id = await insertClosure(m, establishmentId, c);
      await this.audit.record({ actor, action: 'CLOSURE_CREATED', entityType: 'closure', entityId: id, establishmentId, after: c }, m);
    });
  }
}
