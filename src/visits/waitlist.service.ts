import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { whenLabel, whenShort, zoneNote } from '../appointments/appointment.rules';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { currentLanguage } from '../common/i18n';
import { tr } from '../common/translate';
import { runPeriodically } from '../common/periodic';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FamiliesService } from '../families/families.service';
import { NotificationsService } from '../notifications/notifications.service';
import { offerExpiry } from './visit-day.rules';
import { type BookedVisit, type SlotChoice, VisitBookingService } from './visit-booking.service';
import { lockCalendarOfTemplate, templateInContext } from './calendar.queries';
import { type Calendar, occurrenceGone, SMS_REASONS } from './calendar.rules';
import { addHeld, lockSlots, permitsForBooking, slotAt, slotOccurrence } from './visit.queries';
import { permitsRefusal, visitPlace } from './visit.rules';
import {
  detaineeOfEntry,
  dueOffers,
  entriesOfFamily,
  expireStarted,
  expireWaiting,
  type FamilyEntryRow,
  insertEntry,
  type LockedEntry,
  lockEntry,
  markBooked,
  markOffered,
  type NextInLine,
  nextWaiting,
  runningEntries,
  entryContact,
  setStatus,
} from './waitlist.queries';

const SYSTEM: Actor = { type: 'SYSTEM', label: 'Liste d’attente' };

export interface JoinInput extends SlotChoice {
  detaineeId: string;
  permitIds: string[];
}

export interface FamilyEntry extends FamilyEntryRow {
  when: string;
  expires: string | null;
}

/**
 * The waiting list of a full slot. A freed place (cancellation, move) is held for the first family
 * waiting, who is told by e-mail and SMS and has a time limit to confirm; without an answer it goes
 * to the next family, and back to everyone when nobody waits. Offers and holds change in the
 * transaction that freed the place, under the slot's row lock.
 */
@Injectable()
export class WaitlistService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly booking: VisitBookingService,
    private readonly notifications: NotificationsService,
    private readonly families: FamiliesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Hook: a place freed by a cancellation or a move is offered to the first family waiting, in that transaction. */
  onModuleInit(): void {
    this.booking.onPlaceFreed((m, slotId, now) => this.offerFreedPlace(m, slotId, now));
  }

  onApplicationBootstrap(): void {
    this.stop = runPeriodically('Waitlist', this.config.waitlistPollMs, async (log) => {
      const n = await this.expireOffers();
      if (n) log.log(`${n} waiting-list offer(s) expired and passed on`);
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /**
   * A family joins the waiting list of a full slot, with the visitors who would come: the request
   * must be one a booking would accept (detainee held in that establishment, the family's active
   * permits for them, visitors within the limits, entitlement left), else the place held for it
   * could never be confirmed.
   */
  async join(actor: Actor, familyId: string, input: JoinInput): Promise<string> {
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction(async (m) => {
        const slot = await this.booking.resolveSlot(m, input, now, true);
        const { permitIds } = await this.booking.checkBookable(
          m,
          slot,
          { ...input, familyAccountId: familyId, viewer: { familyId } },
          null,
        );
        const place = await slotAt(m, slot.t.roomId, slot.startsAt);
        if (!place || place.booked + place.held < place.capacity) throw new DomainError('NOT_FULL', tr('visits:errors.NOT_FULL'), 409);
        const id = await insertEntry(m, {
          establishmentId: slot.t.establishmentId,
          templateId: slot.t.id,
          day: input.day,
          startsAt: slot.startsAt,
          familyAccountId: familyId,
          detaineeId: input.detaineeId,
          permitIds,
        });
        await this.audit.record(
          {
            actor,
            action: 'WAITLIST_JOINED',
            entityType: 'visit_waitlist',
            entityId: id,
            establishmentId: slot.t.establishmentId,
            after: { startsAt: slot.startsAt.toISOString() },
          },
          m,
        );
        return id;
      });
    } catch (e) {
      const driver = (e as { driverError?: { code?: string } }).driverError;
      if (e instanceof QueryFailedError && driver?.code === '23505')
        throw new DomainError('ALREADY_WAITING', tr('visits:errors.ALREADY_WAITING'), 409);
      throw e;
    }
  }

  /** Hook: a place of a (locked) slot was freed in this transaction. */
  private async offerFreedPlace(m: EntityManager, slotId: string, now: Date): Promise<void> {
    const slot = await slotOccurrence(m, slotId);
    if (!slot?.templateId) return;
    if (await this.offerNext(m, slot.templateId, slot.startsAt, now)) await addHeld(m, slotId, 1);
  }

  /** Offers the held place to the first family still waiting; false when nobody can take it. */
  private async offerNext(m: EntityManager, templateId: string, startsAt: Date, now: Date): Promise<boolean> {
    for (;;) {
      const w = await nextWaiting(m, templateId, startsAt);
      if (!w) return false;
      const expires = offerExpiry(now, startsAt, w.offerHours);
      if (!expires) {
        await expireWaiting(m, templateId, startsAt);
        return false;
      }
      if (!w.email && !w.mobilePhone) {
        await setStatus(m, w.id, 'EXPIRED'); // nobody to tell: next family
        continue;
      }
      const refused = await this.permitsRefuse(m, templateId, w);
      if (refused) {
        // The permits no longer allow this visit (suspended, expired, used up, on hold, conditions): never offered.
        await setStatus(m, w.id, 'EXPIRED');
        await this.audit.record(
          {
            actor: SYSTEM,
            action: 'WAITLIST_NOT_OFFERED',
            entityType: 'visit_waitlist',
            entityId: w.id,
            establishmentId: w.establishmentId,
            after: { reason: refused },
          },
          m,
        );
        continue;
      }
      await markOffered(m, w.id, now, expires);
      const base = {
        template: 'waitlist-offer',
        category: 'TRANSACTIONAL' as const,
        data: {
          when: whenLabel(startsAt, w.timeZone),
          whenShort: whenShort(startsAt, w.timeZone),
          expires: whenLabel(expires, w.timeZone),
          expiresShort: whenShort(expires, w.timeZone),
          // The instants and clock too: the messages are written in the family's language from them.
          startsAt: startsAt.toISOString(),
          expiresAt: expires.toISOString(),
          timeZone: w.timeZone,
          zoneNote: zoneNote(w.timeZone),
          place: w.room,
          establishmentName: w.establishmentName,
          detainee: w.detainee,
          offerUrl: `${this.config.appUrl}/visites/liste-attente/${w.id}`,
        },
        entity: { type: 'visit_waitlist', id: w.id },
        establishmentId: w.establishmentId,
      };
      if (w.email) await this.notifications.enqueue(m, { ...base, channel: 'EMAIL', to: w.email }, now);
      if (w.mobilePhone) await this.notifications.enqueue(m, { ...base, channel: 'SMS', to: w.mobilePhone }, now);
      await this.audit.record(
        {
          actor: SYSTEM,
          action: 'WAITLIST_OFFERED',
          entityType: 'visit_waitlist',
          entityId: w.id,
          establishmentId: w.establishmentId,
          after: { expires: expires.toISOString() },
        },
        m,
      );
      return true;
    }
  }

  /** Why the entry's permits do not allow the occurrence (status, limits, conditions), or null. */
  private async permitsRefuse(m: EntityManager, templateId: string, w: NextInLine): Promise<string | null> {
    const t = await templateInContext(m, templateId);
    if (!t) return 'Ce créneau n’existe plus.';
    const permits = await permitsForBooking(m, w.permitIds);
    if (permits.length !== w.permitIds.length) return 'Un des permis n’existe plus.';
    // The staff's record (French), whatever the language of the request that freed the place.
    return permitsRefusal(permits, visitPlace(t, w.day), 'STAFF')?.message ?? null;
  }

  /** The held place goes to the next family, or back to everyone. The slot row must be locked. */
  private async passOn(m: EntityManager, w: LockedEntry, now: Date): Promise<void> {
    if (!w.slotId) return;
    if (!(await this.offerNext(m, w.templateId, w.startsAt, now))) await addHeld(m, w.slotId, -1);
  }

  /** The calendar lock (shared) of an entry's establishment, taken before the entry's own: the order of every path. */
  private async lockCalendarOfEntry(m: EntityManager, id: string) {
    const entry = await detaineeOfEntry(m, id);
    if (entry) await lockCalendarOfTemplate(m, entry.templateId);
    return entry;
  }

  /** An entry locked, then its slot (the family's own only, when `familyId` is given: 404 otherwise). */
  private async lockEntry(m: EntityManager, id: string, familyId: string | null): Promise<LockedEntry> {
    const w = await lockEntry(m, id);
    if (!w || (familyId && w.familyAccountId !== familyId)) throw new DomainError('NOT_FOUND', tr('visits:errors.entryNotFound'), 404);
    if (w.slotId) await lockSlots(m, [w.slotId]);
    return w;
  }

  /**
   * A change of the calendar took occurrences away (a closure, a room or weekly slot deactivated or
   * moved): nobody waits for them any more. Each family waiting or offered a place is told why, with a
   * link to book another slot; a place held for an offer is released. Called by the change, in its
   * transaction, once the calendar is written and under its exclusive lock. Returns the entries closed.
   */
  async closeGone(m: EntityManager, actor: Actor, establishmentId: string, calendar: Calendar, now: Date): Promise<number> {
    let closed = 0;
    for (const e of await runningEntries(m, establishmentId, now)) {
      const gone = occurrenceGone(e, calendar);
      if (!gone) continue;
      // Only the entries closed are locked (then their slot); a family declining or an offer expiring
      // meanwhile took the calendar lock first, so the entry is as read, or already over.
      const w = await this.lockEntry(m, e.id, null);
      if (w.status !== 'WAITING' && w.status !== 'OFFERED') continue;
      if (w.status === 'OFFERED' && w.slotId) await addHeld(m, w.slotId, -1);
      await setStatus(m, e.id, 'EXPIRED');
      const to = await entryContact(m, e.id);
      if (to) {
        const base = {
          template: 'waitlist-cancelled',
          category: 'TRANSACTIONAL' as const,
          data: {
            when: whenLabel(e.startsAt, to.timeZone),
            whenShort: whenShort(e.startsAt, to.timeZone),
            zoneNote: zoneNote(to.timeZone),
            startsAt: e.startsAt.toISOString(),
            timeZone: to.timeZone,
            cause: gone.cause,
            place: to.room,
            establishmentName: to.establishmentName,
            detainee: to.detainee,
            reason: gone.reason,
            smsReason: SMS_REASONS[gone.cause],
            offered: w.status === 'OFFERED',
            rebookUrl: `${this.config.appUrl}/visites/reserver`,
          },
          entity: { type: 'visit_waitlist', id: e.id },
          establishmentId,
        };
        if (to.email) await this.notifications.enqueue(m, { ...base, channel: 'EMAIL', to: to.email }, now);
        if (to.mobilePhone) await this.notifications.enqueue(m, { ...base, channel: 'SMS', to: to.mobilePhone }, now);
      }
      await this.audit.record(
        {
          actor,
          action: 'WAITLIST_CLOSED',
          entityType: 'visit_waitlist',
          entityId: e.id,
          establishmentId,
          before: { status: w.status },
          after: { reason: gone.reason },
        },
        m,
      );
      closed++;
    }
    return closed;
  }

  /** The family confirms the place offered: it becomes a visit with the usual checks and convocation. */
  async accept(actor: Actor, familyId: string, id: string): Promise<BookedVisit> {
    const now = this.clock.now();
    const account = await this.families.find(familyId);
    return this.dataSource.transaction(async (m) => {
      // The calendar first, as a change of it does (it closes the entries of the occurrences it takes away),
      // then the same order as a booking: detainee, then slot.
      const entry = await this.lockCalendarOfEntry(m, id);
      if (entry) await this.booking.lockDetainee(m, entry.detaineeId);
      const w = await this.lockEntry(m, id, familyId);
      if (w.status !== 'OFFERED') throw new DomainError('NOT_OFFERED', tr('visits:errors.NOT_OFFERED'), 409);
      if (w.offerExpiresAt && w.offerExpiresAt.getTime() <= now.getTime())
        throw new DomainError('OFFER_EXPIRED', tr('visits:errors.OFFER_EXPIRED'), 409);
      if (w.slotId) await addHeld(m, w.slotId, -1);
      const visit = await this.booking.bookWithin(
        m,
        actor,
        {
          familyAccountId: familyId,
          templateId: w.templateId,
          day: w.day,
          detaineeId: w.detaineeId,
          permitIds: w.permitIds,
          channel: 'ONLINE',
          contact: { email: account?.email ?? null, phone: account?.mobilePhone ?? null },
          fromWaitlist: true,
        },
        now,
      );
      await markBooked(m, id, visit.id);
      await this.audit.record(
        {
          actor,
          action: 'WAITLIST_ACCEPTED',
          entityType: 'visit_waitlist',
          entityId: id,
          establishmentId: w.establishmentId,
          after: { visit: visit.reference },
        },
        m,
      );
      return visit;
    });
  }

  /** The family declines the offer (the place goes to the next one) or leaves the list. */
  async withdraw(actor: Actor, familyId: string, id: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await this.lockCalendarOfEntry(m, id); // the calendar first, as a change of it and a confirmation do
      const w = await this.lockEntry(m, id, familyId);
      if (w.status === 'OFFERED') {
        await setStatus(m, id, 'DECLINED');
        await this.passOn(m, w, now);
      } else if (w.status === 'WAITING') {
        await setStatus(m, id, 'LEFT');
      } else {
        throw new DomainError('NOT_WAITING', tr('visits:errors.NOT_WAITING'), 409);
      }
      await this.audit.record(
        {
          actor,
          action: w.status === 'OFFERED' ? 'WAITLIST_DECLINED' : 'WAITLIST_LEFT',
          entityType: 'visit_waitlist',
          entityId: id,
          establishmentId: w.establishmentId,
        },
        m,
      );
    });
  }

  /** Offers not answered in time pass to the next family; entries for slots about to start close. Run periodically. */
  async expireOffers(): Promise<number> {
    const now = this.clock.now();
    let n = 0;
    for (const id of await dueOffers(this.dataSource.manager, now)) {
      await this.dataSource.transaction(async (m) => {
        await this.lockCalendarOfEntry(m, id);
        const w = await this.lockEntry(m, id, null);
        if (w.status !== 'OFFERED' || (w.offerExpiresAt && w.offerExpiresAt.getTime() > now.getTime())) return;
        await setStatus(m, id, 'EXPIRED');
        await this.audit.record(
          {
            actor: SYSTEM,
            action: 'WAITLIST_OFFER_EXPIRED',
            entityType: 'visit_waitlist',
            entityId: id,
            establishmentId: w.establishmentId,
          },
          m,
        );
        await this.passOn(m, w, now);
        n++;
      });
    }
    await expireStarted(this.dataSource.manager, now);
    return n;
  }

  /** The family's entries still running (waiting or offered), with their times said on the establishment's clock. */
  async forFamily(familyId: string): Promise<FamilyEntry[]> {
    return (await entriesOfFamily(this.dataSource.manager, familyId)).map((w) => ({
      ...w,
      when: whenLabel(w.startsAt, w.timeZone, currentLanguage()),
      expires: w.offerExpiresAt ? whenLabel(w.offerExpiresAt, w.timeZone, currentLanguage()) : null,
    }));
  }

  async findForFamily(familyId: string, id: string): Promise<FamilyEntry | null> {
    return (await this.forFamily(familyId)).find((w) => w.id === id) ?? null;
  }
}
