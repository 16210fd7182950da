import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppointmentsService } from '../appointments/appointments.service';
import { newReference } from '../appointments/appointment.rules';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import { canCancel, checkVisitors, checkWindow, DEFAULT_SETTINGS, occurrence, templateClosedOn, VisitSettings, weekOf, weeklyEntitlement } from './visit.rules';

export interface BookVisitInput {
  /** The family booking online, or null when staff book on a family's behalf. */
  familyAccountId: string | null;
  templateId: string;
  day: string; // YYYY-MM-DD, local to the establishment
  detaineeId: string;
  permitIds: string[];
  channel: 'ONLINE' | 'PHONE' | 'IN_PERSON';
  idempotencyKey?: string;
  contact?: { email: string | null; phone: string | null };
}

export interface BookedVisit {
  id: string;
  reference: string;
  startsAt: Date;
  existing: boolean;
}

const SETTINGS_COLUMNS = `min_notice_hours AS "minNoticeHours", horizon_days AS "horizonDays", cancel_deadline_hours AS "cancelDeadlineHours",
  max_adults AS "maxAdults", max_children AS "maxChildren", majority_age AS "majorityAge", weekly_prevenu AS "weeklyPrevenu",
  weekly_condamne AS "weeklyCondamne", online_booking AS "onlineBooking", open_on_holidays AS "openOnHolidays"`;

/**
 * Booking a visit. Every rule is checked in one transaction that locks the slot's row; the database
 * has the last word (capacity CHECK, exclusion constraints, idempotency key), so no interleaving of
 * concurrent requests can overbook a slot or double-book a detainee or a visitor.
 */
@Injectable()
export class VisitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly appointments: AppointmentsService,
  ) {
    this.appointments.onCancel('VISIT', (m, a, actor, now) => this.cancelForAppointment(m, a.id, actor, now));
  }

  /**
   * A visit's appointment is cancelled: the visit is cancelled and its place freed, in the same
   * transaction. Families may cancel until the deadline; staff at any time.
   */
  private async cancelForAppointment(m: EntityManager, appointmentId: string, actor: Actor, now: Date) {
    const [v] = await m.query(`SELECT id, slot_id, establishment_id, status, lower(during) AS starts_at FROM visits WHERE appointment_id = $1 FOR UPDATE`, [appointmentId]);
    if (!v || v.status !== 'BOOKED') return;
    const settings = await this.settings(v.establishment_id, m);
    if (actor.type === 'FAMILY' && !canCancel(new Date(v.starts_at), now, settings)) {
      throw new DomainError('TOO_LATE', `Une visite s’annule en ligne au plus tard ${settings.cancelDeadlineHours} heures avant : appelez le parloir de l’établissement.`, 409);
    }
    await m.query(`SELECT id FROM visit_slots WHERE id = $1 FOR UPDATE`, [v.slot_id]);
    await m.query(`UPDATE visits SET status = 'CANCELLED', cancelled_at = $2 WHERE id = $1`, [v.id, now]);
    await m.query(`UPDATE visit_visitors SET active = false WHERE visit_id = $1`, [v.id]);
    await m.query(`UPDATE visit_slots SET booked = booked - 1 WHERE id = $1`, [v.slot_id]);
    await this.audit.record({ actor, action: 'VISIT_CANCELLED', entityType: 'visit', entityId: v.id, establishmentId: v.establishment_id, before: { status: 'BOOKED' }, after: { status: 'CANCELLED' } }, m);
  }

  async settings(establishmentId: string, m: EntityManager = this.dataSource.manager): Promise<VisitSettings> {
    const [row] = await m.query(`SELECT ${SETTINGS_COLUMNS} FROM visit_settings WHERE establishment_id = $1`, [establishmentId]);
    return row ?? DEFAULT_SETTINGS;
  }

  /** The slots a family can choose: open templates inside the booking window, with the places left. */
  async openSlots(establishmentId: string, now = new Date()) {
    const settings = await this.settings(establishmentId);
    const [{ time_zone: timeZone }] = await this.dataSource.query(`SELECT time_zone FROM establishments WHERE id = $1`, [establishmentId]);
    const templates = await this.dataSource.query(
      `SELECT t.id, t.room_id AS "roomId", t.day_of_week AS "dayOfWeek", t.start_time::text AS "startTime", t.end_time::text AS "endTime", t.capacity,
              to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo", r.name AS room
         FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id WHERE r.establishment_id = $1 AND r.active`,
      [establishmentId],
    );
    const closures = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, room_id AS "roomId", template_id AS "templateId", reason FROM closures WHERE establishment_id = $1 AND day >= $2::date`,
      [establishmentId, now.toISOString().slice(0, 10)],
    );
    const booked = new Map<string, number>(
      (await this.dataSource.query(`SELECT room_id, starts_at, booked FROM visit_slots s JOIN visiting_rooms r ON r.id = s.room_id WHERE r.establishment_id = $1 AND starts_at > $2`, [establishmentId, now])).map(
        (r: { room_id: string; starts_at: Date; booked: number }) => [`${r.room_id}|${new Date(r.starts_at).toISOString()}`, r.booked],
      ),
    );
    const slots: { templateId: string; day: string; startsAt: Date; room: string; free: number }[] = [];
    for (let d = 0; d <= settings.horizonDays; d++) {
      const day = new Date(now.getTime() + d * 86400_000).toISOString().slice(0, 10);
      for (const t of templates) {
        if (templateClosedOn(t, day, closures, settings)) continue;
        const { startsAt } = occurrence(t, day, timeZone);
        if (checkWindow(startsAt, now, settings)) continue;
        const free = t.capacity - (booked.get(`${t.roomId}|${startsAt.toISOString()}`) ?? 0);
        slots.push({ templateId: t.id, day, startsAt, room: t.room, free });
      }
    }
    return slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  }

  /** The family's active permits, by detainee (only those can be booked). */
  async familyPermits(familyId: string) {
    return this.dataSource.query(
      `SELECT p.id, p.visitor_given_name || ' ' || p.visitor_family_name AS visitor, p.detainee_id, d.first_name || ' ' || d.last_name AS detainee, d.establishment_id, e.name AS establishment
         FROM permits p JOIN detainees d ON d.id = p.detainee_id JOIN establishments e ON e.id = d.establishment_id
        WHERE p.family_account_id = $1 AND p.status = 'ACTIVE' AND d.custody_status = 'PRESENT' ORDER BY detainee, visitor`,
      [familyId],
    );
  }

  /** Staff booking on a family's behalf: the detainee by écrou, with every active permit for them. */
  async detaineeWithPermits(establishmentId: string, ecrou: string) {
    const [d] = await this.dataSource.query(
      `SELECT id, first_name || ' ' || last_name AS name, ecrou_number FROM detainees WHERE establishment_id = $1 AND ecrou_number = $2 AND custody_status = 'PRESENT'`,
      [establishmentId, ecrou.trim().toUpperCase()],
    );
    if (!d) return null;
    const permits = await this.dataSource.query(
      `SELECT id, visitor_given_name || ' ' || visitor_family_name AS visitor, family_account_id FROM permits WHERE detainee_id = $1 AND status = 'ACTIVE' ORDER BY visitor`,
      [d.id],
    );
    return { detainee: d, permits };
  }

  async familyVisits(familyId: string) {
    return this.dataSource.query(
      `SELECT v.id, v.reference, v.status, lower(v.during) AS starts_at, d.first_name || ' ' || d.last_name AS detainee, r.name AS room, e.name AS establishment
         FROM visits v JOIN detainees d ON d.id = v.detainee_id JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id JOIN establishments e ON e.id = v.establishment_id
        WHERE v.family_account_id = $1 ORDER BY lower(v.during) DESC LIMIT 100`,
      [familyId],
    );
  }

  async book(actor: Actor, input: BookVisitInput, now = new Date()): Promise<BookedVisit> {
    if (input.familyAccountId && input.idempotencyKey) {
      const existing = await this.byIdempotencyKey(input.familyAccountId, input.idempotencyKey);
      if (existing) return existing;
    }
    try {
      return await this.dataSource.transaction((m) => this.bookIn(m, actor, input, now));
    } catch (e) {
      const code = (e as { driverError?: { code?: string; constraint?: string } }).driverError;
      if (e instanceof QueryFailedError && code?.code === '23505' && code.constraint === 'visits_idempotency' && input.familyAccountId && input.idempotencyKey) {
        const existing = await this.byIdempotencyKey(input.familyAccountId, input.idempotencyKey);
        if (existing) return existing; // a concurrent retry won: same booking
      }
      if (e instanceof QueryFailedError && code?.code === '23P01') {
        throw code.constraint === 'visits_detainee_no_overlap'
          ? new DomainError('DETAINEE_BUSY', 'La personne détenue a déjà une visite à ce moment-là.', 409)
          : new DomainError('VISITOR_BUSY', 'Un des visiteurs a déjà une visite à ce moment-là.', 409);
      }
      throw e;
    }
  }

  private async byIdempotencyKey(familyId: string, key: string): Promise<BookedVisit | null> {
    const [v] = await this.dataSource.query(`SELECT id, reference, lower(during) AS starts_at FROM visits WHERE family_account_id = $1 AND idempotency_key = $2`, [familyId, key]);
    return v ? { id: v.id, reference: v.reference, startsAt: new Date(v.starts_at), existing: true } : null;
  }

  private async bookIn(m: EntityManager, actor: Actor, input: BookVisitInput, now: Date): Promise<BookedVisit> {
    const [t] = await m.query(
      `SELECT t.id, t.room_id AS "roomId", t.day_of_week AS "dayOfWeek", t.start_time::text AS "startTime", t.end_time::text AS "endTime", t.capacity,
              to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo",
              r.establishment_id, r.name AS room_name, r.active, e.time_zone, e.name AS establishment_name
         FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id JOIN establishments e ON e.id = r.establishment_id WHERE t.id = $1`,
      [input.templateId],
    );
    if (!t || !t.active) throw new DomainError('NO_SLOT', 'Ce créneau n’existe pas.', 404);
    const settings = await this.settings(t.establishment_id, m);
    if (input.familyAccountId && !settings.onlineBooking) throw new DomainError('STAFF_ONLY', 'Dans cet établissement, les visites se réservent auprès du parloir, par téléphone ou sur place.');
    const closures = await m.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, room_id AS "roomId", template_id AS "templateId", reason FROM closures WHERE establishment_id = $1 AND day = $2`,
      [t.establishment_id, input.day],
    );
    const closed = templateClosedOn(t, input.day, closures, settings);
    if (closed) throw new DomainError(closed.code, closed.message);
    const { startsAt, endsAt } = occurrence(t, input.day, t.time_zone);
    const window = checkWindow(startsAt, now, settings);
    if (window) throw new DomainError(window.code, window.message);

    const [detainee] = await m.query(`SELECT id, legal_status, custody_status, establishment_id FROM detainees WHERE id = $1 FOR SHARE`, [input.detaineeId]);
    if (!detainee || detainee.establishment_id !== t.establishment_id || detainee.custody_status !== 'PRESENT') {
      throw new DomainError('NO_DETAINEE', 'La personne détenue n’est pas dans cet établissement.');
    }
    const ids = [...new Set(input.permitIds)];
    const permits = await m.query(
      `SELECT id, status, detainee_id, family_account_id, to_char(visitor_birthdate, 'YYYY-MM-DD') AS birthdate, valid_from, valid_to
         FROM permits WHERE id = ANY($1::uuid[]) FOR SHARE`,
      [ids],
    );
    if (permits.length !== ids.length || permits.some((p: { detainee_id: string }) => p.detainee_id !== input.detaineeId)) {
      throw new DomainError('NO_PERMIT', 'Chaque visiteur doit avoir un permis de visite pour cette personne détenue.');
    }
    if (input.familyAccountId && permits.some((p: { family_account_id: string | null }) => p.family_account_id !== input.familyAccountId)) {
      throw new DomainError('NO_PERMIT', 'Chaque visiteur doit avoir un permis de visite pour cette personne détenue.');
    }
    const inactive = permits.find((p: { status: string }) => p.status !== 'ACTIVE');
    if (inactive) throw new DomainError('PERMIT_SUSPENDED', inactive.status === 'SUSPENDED' ? 'Un des permis est suspendu.' : 'Un des permis est retiré.');
    const visitors = checkVisitors(permits.map((p: { birthdate: string }) => p.birthdate), input.day, settings);
    if (visitors) throw new DomainError(visitors.code, visitors.message);

    // Lock the detainee's week to count the entitlement, then the slot to count its places.
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`visits:${input.detaineeId}`]);
    const week = weekOf(startsAt, t.time_zone);
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM visits WHERE detainee_id = $1 AND status <> 'CANCELLED' AND lower(during) >= $2 AND lower(during) < $3`,
      [input.detaineeId, week.from, week.to],
    );
    if (n >= weeklyEntitlement(detainee.legal_status, settings)) {
      throw new DomainError('ENTITLEMENT_USED', 'Le nombre de visites de la semaine pour cette personne détenue est atteint.', 409);
    }
    await m.query(
      `INSERT INTO visit_slots (room_id, template_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room_id, starts_at) DO NOTHING`,
      [t.roomId, t.id, startsAt, endsAt, t.capacity],
    );
    const [slot] = await m.query(`SELECT id, capacity, booked FROM visit_slots WHERE room_id = $1 AND starts_at = $2 FOR UPDATE`, [t.roomId, startsAt]);
    if (slot.booked >= slot.capacity) throw new DomainError('FULL', 'Ce créneau est complet. Choisissez un autre créneau.', 409);
    await m.query(`UPDATE visit_slots SET booked = booked + 1 WHERE id = $1`, [slot.id]);

    const reference = newReference();
    const range = `[${startsAt.toISOString()},${endsAt.toISOString()})`;
    const [visit] = await m.query(
      `INSERT INTO visits (establishment_id, slot_id, detainee_id, family_account_id, reference, channel, idempotency_key, during, booked_by_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::tstzrange, $9) RETURNING id`,
      [t.establishment_id, slot.id, input.detaineeId, input.familyAccountId, reference, input.channel, input.idempotencyKey ?? null, range, actor.type === 'AGENT' ? actor.id : null],
    );
    for (const id of ids) await m.query(`INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [visit.id, id, range]);
    if (input.contact && (input.contact.email || input.contact.phone)) {
      const appointment = await this.appointments.book(
        actor,
        { kind: 'VISIT', establishmentId: t.establishment_id, familyAccountId: input.familyAccountId, contactEmail: input.contact.email, contactPhone: input.contact.phone, startsAt, endsAt, place: t.room_name, address: t.establishment_name },
        now,
        m,
      );
      await m.query(`UPDATE visits SET appointment_id = $2 WHERE id = $1`, [visit.id, appointment.id]);
    }
    await this.audit.record({ actor, action: 'VISIT_BOOKED', entityType: 'visit', entityId: visit.id, establishmentId: t.establishment_id, after: { reference, startsAt: startsAt.toISOString(), visitors: ids.length, channel: input.channel } }, m);
    return { id: visit.id, reference, startsAt, existing: false };
  }
}
