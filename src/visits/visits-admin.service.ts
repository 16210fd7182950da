import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import type { VisitSettings } from './visit.rules';

export const ROOM_KINDS = {
  ORDINARY: 'Ordinaire',
  SEPARATION: 'Avec dispositif de séparation',
  ACCESSIBLE: 'Accessible (mobilité réduite)',
} as const;
export const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** Self-service calendar of an establishment's visiting rooms: settings, rooms, slot templates, closures. */
@Injectable()
export class VisitsAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async overview(establishmentId: string, today: string) {
    const [rooms, templates, closures] = await Promise.all([
      this.dataSource.query(`SELECT id, name, kind, cabins, active FROM visiting_rooms WHERE establishment_id = $1 ORDER BY name`, [
        establishmentId,
      ]),
      this.dataSource.query(
        `SELECT t.id, r.name AS room, t.day_of_week, to_char(t.start_time, 'HH24:MI') AS start, to_char(t.end_time, 'HH24:MI') AS "end", t.capacity,
                to_char(t.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(t.valid_to, 'YYYY-MM-DD') AS valid_to
           FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id
          WHERE r.establishment_id = $1 AND (t.valid_to IS NULL OR t.valid_to >= $2) ORDER BY t.day_of_week, t.start_time, r.name`,
        [establishmentId, today],
      ),
      this.dataSource.query(
        `SELECT c.id, to_char(c.day, 'YYYY-MM-DD') AS day, c.reason, r.name AS room, to_char(t.start_time, 'HH24:MI') AS slot_start
           FROM closures c LEFT JOIN visiting_rooms r ON r.id = c.room_id LEFT JOIN slot_templates t ON t.id = c.template_id
          WHERE c.establishment_id = $1 AND c.day >= $2 ORDER BY c.day LIMIT 100`,
        [establishmentId, today],
      ),
    ]);
    return { rooms, templates, closures };
  }

  async saveSettings(actor: Actor, establishmentId: string, s: VisitSettings) {
    await this.dataSource.transaction(async (m) => {
      const [before] = await m.query(`SELECT * FROM visit_settings WHERE establishment_id = $1 FOR UPDATE`, [establishmentId]);
      await m.query(
        `INSERT INTO visit_settings (establishment_id, min_notice_hours, horizon_days, cancel_deadline_hours, max_adults, max_children, majority_age, weekly_prevenu, weekly_condamne, online_booking, open_on_holidays, waitlist_offer_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (establishment_id) DO UPDATE SET min_notice_hours = $2, horizon_days = $3, cancel_deadline_hours = $4, max_adults = $5, max_children = $6,
           majority_age = $7, weekly_prevenu = $8, weekly_condamne = $9, online_booking = $10, open_on_holidays = $11, waitlist_offer_hours = $12`,
        [
          establishmentId,
          s.minNoticeHours,
          s.horizonDays,
          s.cancelDeadlineHours,
          s.maxAdults,
          s.maxChildren,
          s.majorityAge,
          s.weeklyPrevenu,
          s.weeklyCondamne,
          s.onlineBooking,
          s.openOnHolidays,
          s.waitlistOfferHours,
        ],
      );
      await this.audit.record(
        {
          actor,
          action: 'VISIT_SETTINGS_CHANGED',
          entityType: 'visit_settings',
          entityId: establishmentId,
          establishmentId,
          before: before ?? null,
          after: s,
        },
        m,
      );
    });
  }

  async addRoom(actor: Actor, establishmentId: string, room: { name: string; kind: keyof typeof ROOM_KINDS; cabins: number }) {
    await this.dataSource.transaction(async (m) => {
      const [exists] = await m.query(`SELECT 1 FROM visiting_rooms WHERE establishment_id = $1 AND name = $2`, [
        establishmentId,
        room.name,
      ]);
      if (exists) throw new DomainError('ROOM_EXISTS', 'Un parloir porte déjà ce nom.');
      const [r] = await m.query(`INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, $2, $3, $4) RETURNING id`, [
        establishmentId,
        room.name,
        room.kind,
        room.cabins,
      ]);
      await this.audit.record(
        { actor, action: 'VISITING_ROOM_CREATED', entityType: 'visiting_room', entityId: r.id, establishmentId, after: room },
        m,
      );
    });
  }

  async addTemplate(
    actor: Actor,
    establishmentId: string,
    t: { roomId: string; dayOfWeek: number; start: string; end: string; capacity: number; validFrom: string; validTo: string | null },
  ) {
    await this.dataSource.transaction(async (m) => {
      const [room] = await m.query(`SELECT id, cabins FROM visiting_rooms WHERE id = $1 AND establishment_id = $2`, [
        t.roomId,
        establishmentId,
      ]);
      if (!room) throw new DomainError('NO_ROOM', 'Choisissez un parloir de l’établissement.');
      if (t.capacity > room.cabins)
        throw new DomainError(
          'CAPACITY',
          `Le parloir n’a que ${room.cabins} cabine(s) : la capacité du créneau ne peut pas dépasser ce nombre.`,
        );
      const [row] = await m.query(
        `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [t.roomId, t.dayOfWeek, t.start, t.end, t.capacity, t.validFrom, t.validTo],
      );
      await this.audit.record(
        { actor, action: 'SLOT_TEMPLATE_CREATED', entityType: 'slot_template', entityId: row.id, establishmentId, after: t },
        m,
      );
    });
  }

  async addClosure(
    actor: Actor,
    establishmentId: string,
    c: { day: string; roomId: string | null; templateId: string | null; reason: string },
  ) {
    await this.dataSource.transaction(async (m) => {
      if (
        c.roomId &&
        !(await m.query(`SELECT 1 FROM visiting_rooms WHERE id = $1 AND establishment_id = $2`, [c.roomId, establishmentId])).length
      )
        throw new DomainError('NO_ROOM', 'Parloir inconnu.');
      if (
        c.templateId &&
        !(
          await m.query(
            `SELECT 1 FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id WHERE t.id = $1 AND r.establishment_id = $2`,
            [c.templateId, establishmentId],
          )
        ).length
      ) {
        throw new DomainError('NO_TEMPLATE', 'Créneau inconnu.');
      }
      const [row] = await m.query(
        `INSERT INTO closures (establishment_id, day, room_id, template_id, reason) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [establishmentId, c.day, c.roomId, c.templateId, c.reason],
      );
      await this.audit.record({ actor, action: 'CLOSURE_CREATED', entityType: 'closure', entityId: row.id, establishmentId, after: c }, m);
    });
  }
}
