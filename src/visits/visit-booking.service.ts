import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppointmentScopes, AppointmentsService, type CancelNotice } from '../appointments/appointments.service';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { parseDate } from '../common/dates';
import { DomainError } from '../common/domain-error';
import { newReference } from '../common/reference';
import { contactAddress } from '../notifications/notifications.service';
import { parloirPhoneOf } from '../establishments/establishment-info.queries';
import { phoneForDisplay } from '../common/phone';
import { tr } from '../common/translate';
import { closuresFrom, lockCalendarOfTemplate, settingsOrDefaults, type TemplateInContext, templateInContext } from './calendar.queries';
import {
  addBooked,
  type BookingDetainee,
  clearReview,
  detaineeForBooking,
  ensureSlot,
  insertVisit,
  insertVisitor,
  lockDetainee,
  lockSlots,
  lockVisit,
  markCancelled,
  moveVisitTo,
  permitsForBooking,
  permitsOfVisit,
  presentDetaineeByEcrou,
  activePermitsOf,
  rangeOf,
  setAppointment,
  slotAt,
  visitByIdempotencyKey,
  visitOfEstablishment,
  visitReminderState,
  detaineeVisitsBetween,
} from './visit.queries';
import { restrictionRefusalFor } from './visit-restriction.queries';
import {
  canCancel,
  checkVisitors,
  checkWindow,
  occurrence,
  permitsRefusal,
  placesRefusal,
  templateClosedOn,
  type Viewer,
  visitorsRefusal,
  type VisitSettings,
  weekOf,
  weekRefusal,
  visitPlace,
  weeklyEntitlement,
} from './visit.rules';

/** A slot as a form names it: a weekly slot and a (local) day. */
export interface SlotChoice {
  templateId: string;
  /** YYYY-MM-DD, local to the establishment. */
  day: string;
}

export interface Contact {
  email: string | null;
  phone: string | null;
}

export type BookingChannel = 'ONLINE' | 'PHONE' | 'IN_PERSON';

export interface BookVisitInput extends SlotChoice {
  /** The family whose permits these are (its own booking, or staff booking for it), or null. */
  familyAccountId: string | null;
  detaineeId: string;
  permitIds: string[];
  /** ONLINE: the family books itself (the establishment must allow it); PHONE / IN_PERSON: the visiting room books for it. */
  channel: BookingChannel;
  idempotencyKey?: string;
  /** A place offered from the waiting list may be confirmed after the minimum notice. */
  fromWaitlist?: boolean;
  contact?: Contact;
  /** The visiting room books over the establishment's weekly cap: why (audited). Ignored online. */
  overCapReason?: string | null;
}

/** What a family sends from its booking form. */
export interface OnlineBooking extends SlotChoice {
  detaineeId: string;
  permitIds: string[];
  idempotencyKey?: string;
}

/** What the visiting room types for a family calling or at the desk. */
export interface StaffBooking extends SlotChoice {
  ecrou: string;
  permitIds: string[];
  channel: 'PHONE' | 'IN_PERSON';
  idempotencyKey?: string;
  contact: Contact;
  /** Why the visit is booked over the establishment's weekly cap (only then asked). */
  overCapReason?: string | null;
}

export interface BookedVisit {
  id: string;
  reference: string;
  startsAt: Date;
  existing: boolean;
}

/** Whose visits a command may touch: a family's own, or those of the agent's establishment. */
export type VisitScope = { familyId: string } | { establishmentId: string };

/** A slot occurrence checked for booking: it exists, runs that day, and is inside the booking window. */
export interface ResolvedSlot {
  t: TemplateInContext;
  settings: VisitSettings;
  startsAt: Date;
  endsAt: Date;
}

/** What the visiting room reads when the week is used: it may book over the establishment's cap, saying why. */
export const OVER_CAP_MESSAGE = 'Pour réserver au-delà du plafond de l’établissement, indiquez le motif de la dérogation.';

/** What happens, in the same transaction, when a place of a (locked) slot is freed: the waiting list offers it. */
export type PlaceFreedHook = (m: EntityManager, slotId: string, now: Date) => Promise<void>;

/**
 * Booking, moving and cancelling visits (the commands; read models are in VisitReadService). Every
 * rule is checked in one transaction that locks the detainee's week (advisory lock), then the slot's
 * row; the database has the last word (capacity CHECK, exclusion constraints, idempotency key), so no
 * interleaving of concurrent requests can overbook a slot or double-book a detainee or a visitor.
 * The slot lock (lockSlots), the entitlement check and the cancellation are each written once here.
 */
@Injectable()
export class VisitBookingService implements OnModuleInit {
  private readonly placeFreedHooks: PlaceFreedHook[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly appointments: AppointmentsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Hooks: a visit's convocation (appointment) cancelled cancels the visit and frees its place, in
   * that transaction; no reminder goes for a visit "À revoir" (or cancelled).
   */
  onModuleInit(): void {
    this.appointments.onCancel('VISIT', (m, a, actor, now) =>
      this.cancelIn(m, actor, { appointmentId: a.id }, now, { familyDeadline: actor.type === 'FAMILY' }),
    );
    this.appointments.onReminderCheck('VISIT', async (m, appointmentId) => {
      const v = await visitReminderState(m, appointmentId);
      if (v?.status === 'CANCELLED') return 'Visite annulée';
      return v?.reviewReason ? 'Visite à revoir par l’établissement' : null;
    });
  }

  /** Registers what a freed place means elsewhere (WaitlistService offers it). */
  onPlaceFreed(hook: PlaceFreedHook): void {
    this.placeFreedHooks.push(hook);
  }

  // ---------- Booking ----------

  async book(actor: Actor, input: BookVisitInput): Promise<BookedVisit> {
    const now = this.clock.now();
    const key = input.familyAccountId && input.idempotencyKey ? { familyId: input.familyAccountId, key: input.idempotencyKey } : null;
    if (key) {
      const existing = await this.byIdempotencyKey(key.familyId, key.key);
      if (existing) return existing;
    }
    try {
      return await this.dataSource.transaction((m) => this.bookIn(m, actor, input, now));
    } catch (e) {
      if (key && constraintOf(e) === 'visits_idempotency') {
        const existing = await this.byIdempotencyKey(key.familyId, key.key);
        if (existing) return existing; // a concurrent retry won: same booking
      }
      throw domainErrorOf(e);
    }
  }

  /** A family books online, for itself: its contact details (as its session loaded them) get the convocation. */
  bookOnline(
    actor: Actor,
    family: { id: string; email: string | null; mobilePhone: string | null },
    input: OnlineBooking,
  ): Promise<BookedVisit> {
    return this.book(actor, {
      ...input,
      familyAccountId: family.id,
      channel: 'ONLINE',
      contact: { email: family.email, phone: family.mobilePhone },
    });
  }

  /**
   * The visiting room books for a family (phone, desk): the detainee by écrou in the agent's
   * establishment; the family is the one whose permits are chosen (none when they come from several).
   */
  async bookForFamily(actor: Actor, establishmentId: string, input: StaffBooking): Promise<BookedVisit> {
    return this.book(actor, await this.staffInput(establishmentId, input));
  }

  /**
   * What the visiting room reads back to the caller before booking: the booking's checks, run in a
   * transaction that writes nothing (the same rules as `bookForFamily`, which checks again under its
   * locks), and the contact details checked as the convocation would take them.
   */
  async checkForFamily(establishmentId: string, input: StaffBooking): Promise<ResolvedSlot> {
    const now = this.clock.now();
    const request = await this.staffInput(establishmentId, input);
    if (input.contact.email) contactAddress('EMAIL', input.contact.email);
    if (input.contact.phone) contactAddress('SMS', input.contact.phone);
    try {
      return await this.dataSource.transaction(async (m) => {
        const slot = await this.resolveSlot(m, request, now, false);
        await this.checkBookable(m, slot, { ...request, viewer: 'STAFF' }, null);
        const place = await slotAt(m, slot.t.roomId, slot.startsAt);
        const full = placesRefusal(place ? place.capacity - place.booked - place.held : slot.t.capacity);
        if (full) throw new DomainError(full.code, full.message, 409);
        return slot;
      });
    } catch (e) {
      throw domainErrorOf(e);
    }
  }

  /** A staff booking as the command takes it: the detainee by écrou; the family, the one whose permits are chosen (none when several). */
  private async staffInput(establishmentId: string, input: StaffBooking): Promise<BookVisitInput> {
    const db = this.dataSource.manager;
    const detainee = await presentDetaineeByEcrou(db, establishmentId, input.ecrou);
    if (!detainee) throw new DomainError('UNKNOWN_ECROU', 'Aucune personne détenue présente n’a ce numéro d’écrou.');
    const chosen = (await activePermitsOf(db, detainee.id)).filter((p) => input.permitIds.includes(p.id));
    const families = [...new Set(chosen.map((p) => p.familyAccountId))];
    const familyAccountId = families.length === 1 ? families[0] : null;
    return {
      familyAccountId,
      templateId: input.templateId,
      day: input.day,
      detaineeId: detainee.id,
      permitIds: input.permitIds,
      channel: input.channel,
      idempotencyKey: familyAccountId ? input.idempotencyKey : undefined,
      contact: input.contact,
      overCapReason: input.overCapReason ?? null,
    };
  }

  /** Books inside the caller's transaction (the waiting list confirms an offer this way). */
  bookWithin(m: EntityManager, actor: Actor, input: BookVisitInput, now: Date): Promise<BookedVisit> {
    return this.bookIn(m, actor, input, now);
  }

  private async byIdempotencyKey(familyId: string, key: string): Promise<BookedVisit | null> {
    const v = await visitByIdempotencyKey(this.dataSource.manager, familyId, key);
    return v ? { ...v, existing: true } : null;
  }

  private async bookIn(m: EntityManager, actor: Actor, input: BookVisitInput, now: Date): Promise<BookedVisit> {
    const byFamily = input.channel === 'ONLINE';
    const slot = await this.resolveSlot(m, input, now, byFamily, input.fromWaitlist ?? false);
    const viewer: Viewer = byFamily && input.familyAccountId ? { familyId: input.familyAccountId } : 'STAFF';
    const { permitIds, overCap } = await this.checkBookable(m, slot, { ...input, viewer }, null);
    const [place] = await lockSlots(m, [await this.slotRow(m, slot)]);
    const full = placesRefusal(place.capacity - place.booked - place.held);
    if (full) throw new DomainError(full.code, full.message, 409);
    await addBooked(m, place.id, 1);

    const reference = newReference();
    const range = rangeOf(slot.startsAt, slot.endsAt);
    const id = await insertVisit(m, {
      establishmentId: slot.t.establishmentId,
      slotId: place.id,
      detaineeId: input.detaineeId,
      familyAccountId: input.familyAccountId,
      reference,
      channel: input.channel,
      idempotencyKey: input.idempotencyKey ?? null,
      range,
      bookedByAgent: actor.type === 'AGENT' ? (actor.id ?? null) : null,
      importId: null,
    });
    for (const permitId of permitIds) await insertVisitor(m, id, permitId, range);
    if (input.contact && (input.contact.email || input.contact.phone)) {
      const appointment = await this.appointments.bookIn(
        m,
        actor,
        {
          kind: 'VISIT',
          reference,
          establishmentId: slot.t.establishmentId,
          familyAccountId: input.familyAccountId,
          contactEmail: input.contact.email,
          contactPhone: input.contact.phone,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          place: slot.t.roomName,
          address: slot.t.establishmentName,
        },
        now,
      );
      await setAppointment(m, id, appointment.id);
    }
    await this.audit.record(
      {
        actor,
        action: 'VISIT_BOOKED',
        entityType: 'visit',
        entityId: id,
        establishmentId: slot.t.establishmentId,
        after: {
          reference,
          startsAt: slot.startsAt.toISOString(),
          visitors: permitIds.length,
          channel: input.channel,
          ...(overCap ? { overCapReason: input.overCapReason } : {}),
        },
      },
      m,
    );
    return { id, reference, startsAt: slot.startsAt, existing: false };
  }

  /**
   * The slot a weekly slot gives on a day, checked: it exists, its room is open, it runs that day
   * (holidays, closures), online booking is allowed (`byFamily`), and it is inside the booking
   * window (`ignoreNotice`: an offer from the waiting list may be confirmed after the minimum notice).
   */
  async resolveSlot(m: EntityManager, choice: SlotChoice, now: Date, byFamily: boolean, ignoreNotice = false): Promise<ResolvedSlot> {
    // Shared with other bookings, exclusive against a change of the calendar (closure, room, weekly slot).
    await lockCalendarOfTemplate(m, choice.templateId);
    const t = await templateInContext(m, choice.templateId);
    if (!t || !t.roomActive || parseDate(choice.day) !== choice.day) throw new DomainError('NO_SLOT', tr('visits:errors.NO_SLOT'), 404);
    const settings = await settingsOrDefaults(m, t.establishmentId);
    if (byFamily && !settings.onlineBooking) throw new DomainError('STAFF_ONLY', tr('visits:refusals.STAFF_ONLY'));
    const closed = templateClosedOn(t, choice.day, await closuresFrom(m, t.establishmentId, choice.day, true), settings, t.holidayZone);
    if (closed) throw new DomainError(closed.code, closed.message);
    const { startsAt, endsAt } = occurrence(t, choice.day, t.timeZone);
    const window = checkWindow(startsAt, now, settings);
    if (window && !(ignoreNotice && window.code === 'TOO_SOON')) throw new DomainError(window.code, window.message);
    return { t, settings, startsAt, endsAt };
  }

  /**
   * What makes a request bookable, whether it books now or waits for a place: the detainee is
   * present in the slot's establishment, every visitor holds a permit for that detainee (online, the
   * family's own) that allows this visit (status, limits, conditions), the visitors are within the limits, and the detainee's weekly
   * entitlement is not used up (`exceptVisit`: the visit being moved). Takes the detainee's lock. The rules are
   * those the slot grids ask before a slot is chosen (`slotRefusal`, visit.rules.ts); `viewer` says whose
   * visits a refusal may name.
   */
  async checkBookable(
    m: EntityManager,
    slot: ResolvedSlot,
    request: {
      detaineeId: string;
      permitIds: string[];
      familyAccountId: string | null;
      day: string;
      viewer: Viewer;
      overCapReason?: string | null;
    },
    exceptVisit: string | null,
  ): Promise<{ detainee: BookingDetainee; permitIds: string[]; overCap: boolean }> {
    const detainee = await detaineeForBooking(m, request.detaineeId);
    if (!detainee || detainee.establishmentId !== slot.t.establishmentId || detainee.custodyStatus !== 'PRESENT') {
      throw new DomainError('NO_DETAINEE', tr('visits:refusals.NO_DETAINEE'));
    }
    const permitIds = [...new Set(request.permitIds)];
    const permits = await permitsForBooking(m, permitIds, exceptVisit);
    if (permits.length !== permitIds.length || permits.some((p) => p.detaineeId !== detainee.id))
      throw new DomainError('NO_PERMIT', tr('visits:errors.NO_PERMIT'));
    if (request.familyAccountId && permits.some((p) => p.familyAccountId !== request.familyAccountId))
      throw new DomainError('NO_PERMIT', tr('visits:errors.NO_PERMIT'));
    // Status, limits on the visit's day and conditions of place and time (R341-1); then who comes.
    const refused = visitorsRefusal(permits, visitPlace(slot.t, request.day), slot.settings, request.viewer);
    if (refused) throw new DomainError(refused.code, refused.message);
    const overCap = await this.checkEntitlement(m, detainee, slot, exceptVisit, request.viewer, request.overCapReason);
    return { detainee, permitIds, overCap };
  }

  /**
   * The detainee's week (entitlement, a visit at the same time), counted under the detainee's lock (taken
   * before any slot lock). The establishment's cap is no floor: the visiting room may book over it with a
   * reason (true: booked over the cap; the booking's audit keeps the reason).
   */
  private async checkEntitlement(
    m: EntityManager,
    detainee: BookingDetainee,
    slot: ResolvedSlot,
    exceptVisit: string | null,
    viewer: Viewer,
    /** undefined: no reason can be given here (a move, the waiting list); null: a staff booking without one yet. */
    overCapReason?: string | null,
  ): Promise<boolean> {
    await lockDetainee(m, detainee.id);
    // A period when the detainee is prevented, or in the disciplinary cell with the week's visit used (R341-3 2° and 3°).
    const restricted = await restrictionRefusalFor(
      m,
      detainee.id,
      slot.startsAt,
      slot.endsAt,
      slot.t.timeZone,
      exceptVisit,
      viewer === 'STAFF',
    );
    if (restricted) throw new DomainError(restricted.code, restricted.message, 409);
    const week = weekOf(slot.startsAt, slot.t.timeZone);
    const visits = await detaineeVisitsBetween(m, detainee.id, week.from, week.to, exceptVisit);
    const refused = weekRefusal(visits, slot, weeklyEntitlement(detainee.legalStatus, slot.settings), slot.t.timeZone, viewer);
    if (!refused) return false;
    if (refused.code === 'ENTITLEMENT_USED' && viewer === 'STAFF' && overCapReason !== undefined) {
      if (overCapReason) return true;
      throw new DomainError('OVER_CAP_REASON', `${refused.message} ${OVER_CAP_MESSAGE}`, 409);
    }
    // The visiting room books over the cap only where a reason can be given (not on a move): it is told where to go.
    if (refused.code === 'ENTITLEMENT_USED' && viewer === 'STAFF')
      throw new DomainError(refused.code, `${refused.message} Choisissez un créneau d’une autre semaine.`, 409);
    throw new DomainError(refused.code, refused.message, 409);
  }

  /** Serialises the bookings of one detainee (the waiting list takes it before an entry's slot, as a booking does). */
  lockDetainee(m: EntityManager, detaineeId: string): Promise<void> {
    return lockDetainee(m, detaineeId);
  }

  /** The id of the slot row of a checked occurrence (created on first use; not locked yet). */
  private slotRow(m: EntityManager, slot: ResolvedSlot): Promise<string> {
    return ensureSlot(m, {
      roomId: slot.t.roomId,
      templateId: slot.t.id,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      capacity: slot.t.capacity,
    });
  }

  // ---------- Moving ----------

  /**
   * Moves a visit to another slot of the same establishment: same detainee, same visitors, same
   * reference. The new place is taken and the old one freed (and offered to the waiting list) in one
   * transaction; the convocation and its reminders follow. A family moves only its own visits, until
   * the deadline; the visiting room moves those of its establishment, at any time.
   */
  async move(
    actor: Actor,
    scope: VisitScope,
    visitId: string,
    choice: SlotChoice,
  ): Promise<{ id: string; reference: string; startsAt: Date }> {
    const now = this.clock.now();
    const byFamily = 'familyId' in scope;
    try {
      return await this.dataSource.transaction(async (m) => {
        const v = await lockVisit(m, { id: visitId });
        const inScope = v && ('familyId' in scope ? v.familyAccountId === scope.familyId : v.establishmentId === scope.establishmentId);
        if (!v || !inScope) throw new DomainError('NOT_FOUND', tr('visits:errors.visitNotFound'), 404);
        if (v.status !== 'BOOKED') throw new DomainError('NOT_BOOKED', tr('visits:errors.notBookedMove'), 409);
        const slot = await this.resolveSlot(m, choice, now, byFamily);
        if (slot.t.establishmentId !== v.establishmentId) throw new DomainError('NO_SLOT', tr('visits:errors.NO_SLOT'), 404);
        if (byFamily && !canCancel(v.startsAt, now, slot.settings)) {
          throw new DomainError('TOO_LATE', await tooLate(m, 'visits:errors.tooLateMove', slot.settings.cancelDeadlineHours, v), 409);
        }
        const permits = await permitsOfVisit(m, v.id);
        const refused = permitsRefusal(permits, visitPlace(slot.t, choice.day), byFamily ? { familyId: scope.familyId } : 'STAFF');
        if (refused) throw new DomainError(refused.code, tr('visits:errors.notMovable', { reason: refused.message }));
        const visitors = checkVisitors(permits, choice.day, slot.settings);
        if (visitors) throw new DomainError(visitors.code, visitors.message);
        const detainee = await detaineeForBooking(m, v.detaineeId);
        if (!detainee || detainee.custodyStatus !== 'PRESENT') throw new DomainError('NO_DETAINEE', tr('visits:errors.detaineeGone'));
        await this.checkEntitlement(m, detainee, slot, v.id, byFamily ? { familyId: scope.familyId } : 'STAFF');

        const targetId = await this.slotRow(m, slot);
        if (targetId === v.slotId) throw new DomainError('SAME_SLOT', tr('visits:errors.SAME_SLOT'));
        const target = (await lockSlots(m, [targetId, v.slotId])).find((s) => s.id === targetId)!;
        const full = placesRefusal(target.capacity - target.booked - target.held);
        if (full) throw new DomainError(full.code, full.message, 409);
        await addBooked(m, target.id, 1);
        await moveVisitTo(m, v.id, target.id, rangeOf(slot.startsAt, slot.endsAt));
        if (v.appointmentId) {
          const change = { startsAt: slot.startsAt, endsAt: slot.endsAt, place: slot.t.roomName };
          await this.appointments.moveIn(m, actor, AppointmentScopes.any, v.appointmentId, change, now);
        }
        await this.releasePlace(m, v.slotId, now);
        await this.audit.record(
          {
            actor,
            action: 'VISIT_MOVED',
            entityType: 'visit',
            entityId: v.id,
            establishmentId: v.establishmentId,
            before: { startsAt: v.startsAt.toISOString() },
            after: { startsAt: slot.startsAt.toISOString() },
          },
          m,
        );
        return { id: v.id, reference: v.reference, startsAt: slot.startsAt };
      });
    } catch (e) {
      throw domainErrorOf(e);
    }
  }

  // ---------- Cancelling ----------

  /** Staff cancel a visit of their establishment (the family is told, with the `notice`, when the visit has a convocation). */
  async cancelByStaff(actor: Actor, establishmentId: string, visitId: string, reason: string, notice?: CancelNotice): Promise<void> {
    const now = this.clock.now();
    const v = await visitOfEstablishment(this.dataSource.manager, establishmentId, visitId);
    if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    if (v.status !== 'BOOKED') throw new DomainError('NOT_BOOKED', 'Cette visite n’est plus réservée.', 409);
    // With a convocation, the appointment is cancelled (and the family told); its hook cancels the visit.
    if (v.appointmentId) {
      await this.appointments.cancel(actor, AppointmentScopes.establishment(establishmentId), v.appointmentId, reason, notice);
      return;
    }
    await this.dataSource.transaction((m) => this.cancelIn(m, actor, { id: v.id }, now, { familyDeadline: false, reason }));
  }

  /**
   * Staff cancel a booked visit of their establishment inside the caller's transaction (a period
   * when the detainee is prevented cancels several at once); the family is told with the `notice`.
   */
  async cancelByStaffIn(
    m: EntityManager,
    actor: Actor,
    establishmentId: string,
    visitId: string,
    reason: string,
    now: Date,
    notice?: CancelNotice,
  ): Promise<void> {
    const v = await visitOfEstablishment(m, establishmentId, visitId);
    if (!v || v.status !== 'BOOKED') return;
    if (v.appointmentId) {
      await this.appointments.cancelIn(m, actor, AppointmentScopes.establishment(establishmentId), v.appointmentId, reason, now, notice);
      return;
    }
    await this.cancelIn(m, actor, { id: v.id }, now, { familyDeadline: false, reason });
  }

  /**
   * A change of the calendar cancels a visit that no longer fits, in the change's transaction (the
   * visit locked by the caller): the family told why (`notice`); the place is not offered to the
   * waiting list (the calendar took it away).
   */
  async cancelForCalendar(m: EntityManager, actor: Actor, visitId: string, now: Date, notice: CancelNotice): Promise<void> {
    const v = await lockVisit(m, { id: visitId });
    if (!v || v.status !== 'BOOKED') return;
    await this.cancelIn(m, actor, { id: v.id }, now, { familyDeadline: false, reason: notice.reason, offerPlace: false });
    // Then its convocation: the family told, reminders cancelled (the hook finds the visit already cancelled).
    if (v.appointmentId) await this.appointments.cancelIn(m, actor, AppointmentScopes.any, v.appointmentId, notice.reason, now, notice);
  }

  /**
   * The one cancellation sequence: the visit locked, then its slot; the visit cancelled and its
   * visitors released; the place freed (and offered to the waiting list); audited. Families
   * (`familyDeadline`) may cancel until the establishment's deadline; staff at any time.
   */
  private async cancelIn(
    m: EntityManager,
    actor: Actor,
    by: { id: string } | { appointmentId: string },
    now: Date,
    opts: { familyDeadline: boolean; reason?: string; offerPlace?: boolean },
  ): Promise<void> {
    const v = await lockVisit(m, by);
    if (!v || v.status !== 'BOOKED') return;
    if (opts.familyDeadline) {
      const settings = await settingsOrDefaults(m, v.establishmentId);
      if (!canCancel(v.startsAt, now, settings))
        throw new DomainError('TOO_LATE', await tooLate(m, 'visits:errors.tooLateCancel', settings.cancelDeadlineHours, v), 409);
    }
    await lockSlots(m, [v.slotId]);
    await markCancelled(m, v.id, now);
    if (opts.offerPlace === false) await addBooked(m, v.slotId, -1);
    else await this.releasePlace(m, v.slotId, now);
    await this.audit.record(
      {
        actor,
        action: 'VISIT_CANCELLED',
        entityType: 'visit',
        entityId: v.id,
        establishmentId: v.establishmentId,
        before: { status: 'BOOKED' },
        after: opts.reason === undefined ? { status: 'CANCELLED' } : { status: 'CANCELLED', reason: opts.reason },
      },
      m,
    );
  }

  /** One place of a locked slot is freed: counted, then offered to whoever waits for it. */
  private async releasePlace(m: EntityManager, slotId: string, now: Date): Promise<void> {
    await addBooked(m, slotId, -1);
    for (const hook of this.placeFreedHooks) await hook(m, slotId, now);
  }

  // ---------- "À revoir" ----------

  /** The agent cancels a flagged visit of the establishment; the family is told why. */
  async cancelReviewed(actor: Actor, establishmentId: string, visitId: string): Promise<void> {
    const v = await visitOfEstablishment(this.dataSource.manager, establishmentId, visitId);
    if (!v?.reviewReason || v.status !== 'BOOKED') throw new DomainError('NOT_FOUND', 'Cette visite n’est pas à revoir.', 404);
    const reason = `Visite annulée par l’établissement : ${v.reviewReason}`;
    await this.cancelByStaff(actor, establishmentId, visitId, reason, { reason, smsReason: "décision de l'établissement" });
  }

  /** The agent keeps a flagged visit: the flag goes, the decision is audited. */
  async keepReviewed(actor: Actor, establishmentId: string, visitId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const v = await lockVisit(m, { id: visitId });
      if (!v || v.establishmentId !== establishmentId || !v.reviewReason)
        throw new DomainError('NOT_FOUND', 'Cette visite n’est pas à revoir.', 404);
      await clearReview(m, v.id);
      await this.audit.record(
        {
          actor,
          action: 'VISIT_REVIEW_KEPT',
          entityType: 'visit',
          entityId: v.id,
          establishmentId,
          before: { review: v.reviewReason },
          after: { review: null },
        },
        m,
      );
    });
  }
}

/** Too late to move or cancel online (`key`): call the parloir, at its number when the establishment gives one. */
async function tooLate(m: EntityManager, key: string, hours: number, v: { establishmentId: string }): Promise<string> {
  const phone = await parloirPhoneOf(m, v.establishmentId);
  return tr(phone ? `${key}At` : key, { hours, ...(phone ? { phone: phoneForDisplay(phone) } : {}) });
}

function constraintOf(e: unknown): string | undefined {
  if (!(e instanceof QueryFailedError)) return undefined;
  const driver = (e as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23505' || driver?.code === '23P01' ? driver.constraint : undefined;
}

/** The database's refusals (exclusion constraints), in plain French. */
function domainErrorOf(e: unknown): unknown {
  const driver = e instanceof QueryFailedError ? (e as { driverError?: { code?: string; constraint?: string } }).driverError : undefined;
  if (driver?.code === '23P01') {
    return driver.constraint === 'visits_detainee_no_overlap'
      ? new DomainError('DETAINEE_BUSY', tr('visits:refusals.DETAINEE_BUSY'), 409)
      : new DomainError('VISITOR_BUSY', tr('visits:errors.VISITOR_BUSY'), 409);
  }
  return e;
}
