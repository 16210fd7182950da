import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppointmentsService } from '../appointments/appointments.service';
import { newReference } from '../common/reference';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import {
  canCancel,
  checkVisitors,
  checkWindow,
  DEFAULT_SETTINGS,
  occurrence,
  templateClosedOn,
  VisitSettings,
  weekOf,
  weeklyEntitlement,
} from './visit.rules';

export interface BookVisitInput {
  /** The family booking online, or null when staff book on a family's behalf. */
  familyAccountId: string | null;
  templateId: string;
  day: string; // YYYY-MM-DD, local to the establishment
  detaineeId: string;
  permitIds: string[];
  channel: 'ONLINE' | 'PHONE' | 'IN_PERSON';
  idempotencyKey?: string;
  /** A place offered from the waiting list may be confirmed after the minimum notice. */
  fromWaitlist?: boolean;
  contact?: { email: string | null; phone: string | null };
}

export interface BookedVisit {
  id: string;
  reference: string;
  startsAt: Date;
  existing: boolean;
}

export const FULL_MESSAGE = 'Ce créneau est complet. Choisissez un autre créneau ou inscrivez-vous sur la liste d’attente.';

const SETTINGS_COLUMNS = `min_notice_hours AS "minNoticeHours", horizon_days AS "horizonDays", cancel_deadline_hours AS "cancelDeadlineHours",
  max_adults AS "maxAdults", max_children AS "maxChildren", majority_age AS "majorityAge", weekly_prevenu AS "weeklyPrevenu",
  weekly_condamne AS "weeklyCondamne", online_booking AS "onlineBooking", open_on_holidays AS "openOnHolidays", waitlist_offer_hours AS "waitlistOfferHours"`;

/** What happens, in the same transaction, when a place of a slot is freed (the waiting list offers it). */
export type PlaceFreedHook = (m: EntityManager, slotId: string, now: Date) => Promise<void>;

/**
 * Booking, moving and cancelling visits. Every rule is checked in one transaction that locks the
 * detainee's week (advisory lock), then the slot's row; the database has the last word (capacity
 * CHECK, exclusion constraints, idempotency key), so no interleaving of concurrent requests can
 * overbook a slot or double-book a detainee or a visitor.
 */
@Injectable()
export class VisitsService {
  private placeFreedHooks: PlaceFreedHook[] = [];

  onPlaceFreed(hook: PlaceFreedHook) {
    this.placeFreedHooks.push(hook);
  }

  /** One place of a locked slot is freed: counted, then offered to whoever waits for it. */
  private async releasePlace(m: EntityManager, slotId: string, now: Date) {
    await m.query(`UPDATE visit_slots SET booked = booked - 1 WHERE id = $1`, [slotId]);
    for (const hook of this.placeFreedHooks) await hook(m, slotId, now);
  }

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
    const [v] = await m.query(
      `SELECT id, slot_id, establishment_id, status, lower(during) AS starts_at FROM visits WHERE appointment_id = $1 FOR UPDATE`,
      [appointmentId],
    );
    if (!v || v.status !== 'BOOKED') return;
    const settings = await this.settings(v.establishment_id, m);
    if (actor.type === 'FAMILY' && !canCancel(new Date(v.starts_at), now, settings)) {
      throw new DomainError(
        'TOO_LATE',
        `Une visite s’annule en ligne au plus tard ${settings.cancelDeadlineHours} heures avant : appelez le parloir de l’établissement.`,
        409,
      );
    }
    await m.query(`SELECT id FROM visit_slots WHERE id = $1 FOR UPDATE`, [v.slot_id]);
    await m.query(`UPDATE visits SET status = 'CANCELLED', cancelled_at = $2 WHERE id = $1`, [v.id, now]);
    await m.query(`UPDATE visit_visitors SET active = false WHERE visit_id = $1`, [v.id]);
    await this.releasePlace(m, v.slot_id, now);
    await this.audit.record(
      {
        actor,
        action: 'VISIT_CANCELLED',
        entityType: 'visit',
        entityId: v.id,
        establishmentId: v.establishment_id,
        before: { status: 'BOOKED' },
        after: { status: 'CANCELLED' },
      },
      m,
    );
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
      (
        await this.dataSource.query(
          `SELECT room_id, starts_at, booked + held AS booked FROM visit_slots s JOIN visiting_rooms r ON r.id = s.room_id WHERE r.establishment_id = $1 AND starts_at > $2`,
          [establishmentId, now],
        )
      ).map((r: { room_id: string; starts_at: Date; booked: number }) => [`${r.room_id}|${new Date(r.starts_at).toISOString()}`, r.booked]),
    );
    const slots: { templateId: string; day: string; startsAt: Date; room: string; free: number; timeZone: string }[] = [];
    for (let d = 0; d <= settings.horizonDays; d++) {
      const day = new Date(now.getTime() + d * 86400_000).toISOString().slice(0, 10);
      for (const t of templates) {
        if (templateClosedOn(t, day, closures, settings)) continue;
        const { startsAt } = occurrence(t, day, timeZone);
        if (checkWindow(startsAt, now, settings)) continue;
        const free = t.capacity - (booked.get(`${t.roomId}|${startsAt.toISOString()}`) ?? 0);
        slots.push({ templateId: t.id, day, startsAt, room: t.room, free, timeZone });
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
      `SELECT v.id, v.reference, v.status, lower(v.during) AS starts_at, d.first_name || ' ' || d.last_name AS detainee, r.name AS room, e.name AS establishment,
              v.establishment_id, v.appointment_id, e.time_zone
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
      if (
        e instanceof QueryFailedError &&
        code?.code === '23505' &&
        code.constraint === 'visits_idempotency' &&
        input.familyAccountId &&
        input.idempotencyKey
      ) {
        const existing = await this.byIdempotencyKey(input.familyAccountId, input.idempotencyKey);
        if (existing) return existing; // a concurrent retry won: same booking
      }
      throw this.domainErrorOf(e);
    }
  }

  private async byIdempotencyKey(familyId: string, key: string): Promise<BookedVisit | null> {
    const [v] = await this.dataSource.query(
      `SELECT id, reference, lower(during) AS starts_at FROM visits WHERE family_account_id = $1 AND idempotency_key = $2`,
      [familyId, key],
    );
    return v ? { id: v.id, reference: v.reference, startsAt: new Date(v.starts_at), existing: true } : null;
  }

  /** The slot a template gives on a day, checked: exists, runs that day (holidays, closures), inside the booking window. */
  async resolveSlot(m: EntityManager, templateId: string, day: string, now: Date, byFamily: boolean, ignoreNotice = false) {
    const [t] = await m.query(
      `SELECT t.id, t.room_id AS "roomId", t.day_of_week AS "dayOfWeek", t.start_time::text AS "startTime", t.end_time::text AS "endTime", t.capacity,
              to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo",
              r.establishment_id, r.name AS room_name, r.active, e.time_zone, e.name AS establishment_name
         FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id JOIN establishments e ON e.id = r.establishment_id WHERE t.id = $1`,
      [templateId],
    );
    if (!t || !t.active || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new DomainError('NO_SLOT', 'Ce créneau n’existe pas.', 404);
    const settings = await this.settings(t.establishment_id, m);
    if (byFamily && !settings.onlineBooking)
      throw new DomainError(
        'STAFF_ONLY',
        'Dans cet établissement, les visites se réservent auprès du parloir, par téléphone ou sur place.',
      );
    const closures = await m.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, room_id AS "roomId", template_id AS "templateId", reason FROM closures WHERE establishment_id = $1 AND day = $2`,
      [t.establishment_id, day],
    );
    const closed = templateClosedOn(t, day, closures, settings);
    if (closed) throw new DomainError(closed.code, closed.message);
    const { startsAt, endsAt } = occurrence(t, day, t.time_zone);
    const window = checkWindow(startsAt, now, settings);
    if (window && !(ignoreNotice && window.code === 'TOO_SOON')) throw new DomainError(window.code, window.message);
    return { t, settings, startsAt, endsAt };
  }

  /** The slot row of an occurrence, created on first use, locked. */
  private async lockSlot(m: EntityManager, t: { id: string; roomId: string; capacity: number }, startsAt: Date, endsAt: Date) {
    await m.query(
      `INSERT INTO visit_slots (room_id, template_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room_id, starts_at) DO NOTHING`,
      [t.roomId, t.id, startsAt, endsAt, t.capacity],
    );
    const [slot] = await m.query(`SELECT id, capacity, booked, held FROM visit_slots WHERE room_id = $1 AND starts_at = $2 FOR UPDATE`, [
      t.roomId,
      startsAt,
    ]);
    return slot as { id: string; capacity: number; booked: number; held: number };
  }

  /** Serialises the bookings of one detainee (taken before any slot lock, so that lock order is always detainee, then slot). */
  async lockDetainee(m: EntityManager, detaineeId: string) {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`visits:${detaineeId}`]);
  }

  /** The detainee's visits in the week of an instant, under a lock on that detainee (entitlement). */
  private async visitsInWeek(
    m: EntityManager,
    detaineeId: string,
    startsAt: Date,
    timeZone: string,
    exceptVisit: string | null,
  ): Promise<number> {
    await this.lockDetainee(m, detaineeId);
    const week = weekOf(startsAt, timeZone);
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM visits WHERE detainee_id = $1 AND status <> 'CANCELLED' AND lower(during) >= $2 AND lower(during) < $3 AND id IS DISTINCT FROM $4`,
      [detaineeId, week.from, week.to, exceptVisit],
    );
    return n;
  }

  /** Books inside the caller's transaction (the waiting list confirms an offer this way). */
  bookWithin(m: EntityManager, actor: Actor, input: BookVisitInput, now: Date): Promise<BookedVisit> {
    return this.bookIn(m, actor, input, now);
  }

  private async bookIn(m: EntityManager, actor: Actor, input: BookVisitInput, now: Date): Promise<BookedVisit> {
    const { t, settings, startsAt, endsAt } = await this.resolveSlot(
      m,
      input.templateId,
      input.day,
      now,
      Boolean(input.familyAccountId),
      input.fromWaitlist,
    );

    const [detainee] = await m.query(`SELECT id, legal_status, custody_status, establishment_id FROM detainees WHERE id = $1 FOR SHARE`, [
      input.detaineeId,
    ]);
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
    if (inactive)
      throw new DomainError(
        'PERMIT_SUSPENDED',
        inactive.status === 'SUSPENDED' ? 'Un des permis est suspendu.' : 'Un des permis est retiré.',
      );
    const visitors = checkVisitors(
      permits.map((p: { birthdate: string }) => p.birthdate),
      input.day,
      settings,
    );
    if (visitors) throw new DomainError(visitors.code, visitors.message);

    // Lock the detainee's week to count the entitlement, then the slot to count its places.
    if ((await this.visitsInWeek(m, input.detaineeId, startsAt, t.time_zone, null)) >= weeklyEntitlement(detainee.legal_status, settings)) {
      throw new DomainError('ENTITLEMENT_USED', 'Le nombre de visites de la semaine pour cette personne détenue est atteint.', 409);
    }
    const slot = await this.lockSlot(m, t, startsAt, endsAt);
    if (slot.booked + slot.held >= slot.capacity) throw new DomainError('FULL', FULL_MESSAGE, 409);
    await m.query(`UPDATE visit_slots SET booked = booked + 1 WHERE id = $1`, [slot.id]);

    const reference = newReference();
    const range = `[${startsAt.toISOString()},${endsAt.toISOString()})`;
    const [visit] = await m.query(
      `INSERT INTO visits (establishment_id, slot_id, detainee_id, family_account_id, reference, channel, idempotency_key, during, booked_by_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::tstzrange, $9) RETURNING id`,
      [
        t.establishment_id,
        slot.id,
        input.detaineeId,
        input.familyAccountId,
        reference,
        input.channel,
        input.idempotencyKey ?? null,
        range,
        actor.type === 'AGENT' ? actor.id : null,
      ],
    );
    for (const id of ids)
      await m.query(`INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [visit.id, id, range]);
    if (input.contact && (input.contact.email || input.contact.phone)) {
      const appointment = await this.appointments.book(
        actor,
        {
          kind: 'VISIT',
          reference,
          establishmentId: t.establishment_id,
          familyAccountId: input.familyAccountId,
          contactEmail: input.contact.email,
          contactPhone: input.contact.phone,
          startsAt,
          endsAt,
          place: t.room_name,
          address: t.establishment_name,
        },
        now,
        m,
      );
      await m.query(`UPDATE visits SET appointment_id = $2 WHERE id = $1`, [visit.id, appointment.id]);
    }
    await this.audit.record(
      {
        actor,
        action: 'VISIT_BOOKED',
        entityType: 'visit',
        entityId: visit.id,
        establishmentId: t.establishment_id,
        after: { reference, startsAt: startsAt.toISOString(), visitors: ids.length, channel: input.channel },
      },
      m,
    );
    return { id: visit.id, reference, startsAt, existing: false };
  }

  /**
   * Moves a visit to another slot of the same establishment: same detainee, same visitors, same
   * reference. The new place is taken and the old one freed (and offered to the waiting list) in one
   * transaction; the convocation and its reminders follow. Families may move until the deadline.
   */
  async move(actor: Actor, visitId: string, templateId: string, day: string, onlyForFamily: string | null, now = new Date()) {
    try {
      return await this.dataSource.transaction(async (m) => {
        const [v] = await m.query(
          `SELECT id, slot_id, establishment_id, detainee_id, family_account_id, appointment_id, status, reference, lower(during) AS starts_at FROM visits WHERE id = $1 FOR UPDATE`,
          [visitId],
        );
        if (!v || (onlyForFamily && v.family_account_id !== onlyForFamily)) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
        if (v.status !== 'BOOKED')
          throw new DomainError('NOT_BOOKED', 'Cette visite n’est plus réservée : elle ne peut pas être déplacée.', 409);
        const { t, settings, startsAt, endsAt } = await this.resolveSlot(m, templateId, day, now, Boolean(onlyForFamily));
        if (t.establishment_id !== v.establishment_id) throw new DomainError('NO_SLOT', 'Ce créneau n’existe pas.', 404);
        if (onlyForFamily && !canCancel(new Date(v.starts_at), now, settings)) {
          throw new DomainError(
            'TOO_LATE',
            `Une visite se déplace en ligne au plus tard ${settings.cancelDeadlineHours} heures avant : appelez le parloir de l’établissement.`,
            409,
          );
        }
        const permits = await m.query(
          `SELECT p.status, to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS birthdate FROM visit_visitors vv JOIN permits p ON p.id = vv.permit_id WHERE vv.visit_id = $1 AND vv.active FOR SHARE OF p`,
          [v.id],
        );
        if (permits.some((p: { status: string }) => p.status !== 'ACTIVE'))
          throw new DomainError('PERMIT_SUSPENDED', 'Un des permis n’est plus valide : la visite ne peut pas être déplacée.');
        const visitors = checkVisitors(
          permits.map((p: { birthdate: string }) => p.birthdate),
          day,
          settings,
        );
        if (visitors) throw new DomainError(visitors.code, visitors.message);
        const [detainee] = await m.query(`SELECT legal_status, custody_status FROM detainees WHERE id = $1 FOR SHARE`, [v.detainee_id]);
        if (detainee.custody_status !== 'PRESENT')
          throw new DomainError('NO_DETAINEE', 'La personne détenue n’est plus dans cet établissement.');
        if (
          (await this.visitsInWeek(m, v.detainee_id, startsAt, t.time_zone, v.id)) >= weeklyEntitlement(detainee.legal_status, settings)
        ) {
          throw new DomainError('ENTITLEMENT_USED', 'Le nombre de visites de la semaine pour cette personne détenue est atteint.', 409);
        }
        // Lock both slots in a fixed order (no deadlock between two opposite moves).
        await m.query(
          `INSERT INTO visit_slots (room_id, template_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room_id, starts_at) DO NOTHING`,
          [t.roomId, t.id, startsAt, endsAt, t.capacity],
        );
        const [target] = await m.query(`SELECT id FROM visit_slots WHERE room_id = $1 AND starts_at = $2`, [t.roomId, startsAt]);
        if (target.id === v.slot_id) throw new DomainError('SAME_SLOT', 'La visite est déjà sur ce créneau.');
        const locked = await m.query(
          `SELECT id, capacity, booked, held FROM visit_slots WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
          [[target.id, v.slot_id]],
        );
        const slot = locked.find((x: { id: string }) => x.id === target.id);
        if (slot.booked + slot.held >= slot.capacity) throw new DomainError('FULL', FULL_MESSAGE, 409);
        const range = `[${startsAt.toISOString()},${endsAt.toISOString()})`;
        await m.query(`UPDATE visit_slots SET booked = booked + 1 WHERE id = $1`, [slot.id]);
        await m.query(`UPDATE visits SET slot_id = $2, during = $3::tstzrange WHERE id = $1`, [v.id, slot.id, range]);
        await m.query(`UPDATE visit_visitors SET during = $2::tstzrange WHERE visit_id = $1`, [v.id, range]);
        if (v.appointment_id) await this.appointments.move(actor, v.appointment_id, startsAt, endsAt, now, m, t.room_name);
        await this.releasePlace(m, v.slot_id, now);
        await this.audit.record(
          {
            actor,
            action: 'VISIT_MOVED',
            entityType: 'visit',
            entityId: v.id,
            establishmentId: v.establishment_id,
            before: { startsAt: new Date(v.starts_at).toISOString() },
            after: { startsAt: startsAt.toISOString() },
          },
          m,
        );
        return { id: v.id as string, reference: v.reference as string, startsAt };
      });
    } catch (e) {
      throw this.domainErrorOf(e);
    }
  }

  /** Staff cancel a visit (the family is told when the visit has a convocation). */
  async cancelByStaff(actor: Actor, establishmentId: string, visitId: string, reason: string, now = new Date()) {
    const [v] = await this.dataSource.query(`SELECT id, appointment_id, status FROM visits WHERE id = $1 AND establishment_id = $2`, [
      visitId,
      establishmentId,
    ]);
    if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    if (v.status !== 'BOOKED') throw new DomainError('NOT_BOOKED', 'Cette visite n’est plus réservée.', 409);
    if (v.appointment_id) {
      await this.appointments.cancel(actor, v.appointment_id, reason, now);
      return;
    }
    await this.dataSource.transaction(async (m) => {
      const [locked] = await m.query(`SELECT id, slot_id, status FROM visits WHERE id = $1 FOR UPDATE`, [v.id]);
      if (locked.status !== 'BOOKED') return;
      await m.query(`SELECT id FROM visit_slots WHERE id = $1 FOR UPDATE`, [locked.slot_id]);
      await m.query(`UPDATE visits SET status = 'CANCELLED', cancelled_at = $2 WHERE id = $1`, [v.id, now]);
      await m.query(`UPDATE visit_visitors SET active = false WHERE visit_id = $1`, [v.id]);
      await this.releasePlace(m, locked.slot_id, now);
      await this.audit.record(
        {
          actor,
          action: 'VISIT_CANCELLED',
          entityType: 'visit',
          entityId: v.id,
          establishmentId,
          before: { status: 'BOOKED' },
          after: { status: 'CANCELLED', reason },
        },
        m,
      );
    });
  }

  /** "À revoir": future visits flagged (by the database trigger) after a permit or custody change. */
  async reviewQueue(establishmentId: string) {
    return this.dataSource.query(
      `SELECT v.id, v.reference, v.review_reason, v.review_flagged_at, lower(v.during) AS starts_at, v.appointment_id IS NOT NULL AS notified,
              d.first_name || ' ' || d.last_name AS detainee, d.ecrou_number, r.name AS room,
              (SELECT string_agg(coalesce(p.visitor_given_name || ' ' || p.visitor_family_name, vv.given_name || ' ' || vv.family_name), ', ')
                 FROM visit_visitors vv LEFT JOIN permits p ON p.id = vv.permit_id WHERE vv.visit_id = v.id) AS visitors
         FROM visits v JOIN detainees d ON d.id = v.detainee_id JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id
        WHERE v.establishment_id = $1 AND v.review_reason IS NOT NULL AND v.status = 'BOOKED' ORDER BY lower(v.during) LIMIT 200`,
      [establishmentId],
    );
  }

  /** The agent keeps a flagged visit: the flag goes, the decision is audited. */
  async keepReviewed(actor: Actor, establishmentId: string, visitId: string) {
    await this.dataSource.transaction(async (m) => {
      const [v] = await m.query(`SELECT id, review_reason FROM visits WHERE id = $1 AND establishment_id = $2 FOR UPDATE`, [
        visitId,
        establishmentId,
      ]);
      if (!v || !v.review_reason) throw new DomainError('NOT_FOUND', 'Cette visite n’est pas à revoir.', 404);
      await m.query(`UPDATE visits SET review_reason = NULL, review_flagged_at = NULL WHERE id = $1`, [v.id]);
      await this.audit.record(
        {
          actor,
          action: 'VISIT_REVIEW_KEPT',
          entityType: 'visit',
          entityId: v.id,
          establishmentId,
          before: { review: v.review_reason },
          after: { review: null },
        },
        m,
      );
    });
  }

  /** The database's refusals, in plain French. */
  private domainErrorOf(e: unknown): unknown {
    const code = (e as { driverError?: { code?: string; constraint?: string } }).driverError;
    if (e instanceof QueryFailedError && code?.code === '23P01') {
      return code.constraint === 'visits_detainee_no_overlap'
        ? new DomainError('DETAINEE_BUSY', 'La personne détenue a déjà une visite à ce moment-là.', 409)
        : new DomainError('VISITOR_BUSY', 'Un des visiteurs a déjà une visite à ce moment-là.', 409);
    }
    return e;
  }
}
