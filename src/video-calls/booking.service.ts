import { Injectable } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource, type EntityManager } from 'typeorm';
import { whenLabel, whenShort } from '../appointments/appointment.rules';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { pageInfo } from '../common/pagination';
import type { Establishment } from '../establishments/establishment.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { drawLine, embedUnicodeFonts, fitLine, wrapText } from '../permits/pdf-text';
import { pdfLib } from '../permits/pdf-lib';
import {
  activeDevices,
  type BookingContact,
  type BookingDetainee,
  bookingOf,
  type BookingView,
  callDaysOf,
  callsBetween,
  callsToClose,
  cancelBooking,
  changeBlocked,
  charterSignedOn,
  contactsOf,
  countCallsToClose,
  detaineeOf,
  deviceUses,
  findDetainees,
  insertBooking,
  latestAccess,
  lockActiveDevices,
  lockBooking,
  phoneAccount,
} from './booking.queries';
import {
  type BookableCell,
  contactProblem,
  type DetaineeRecord,
  detaineeGrid,
  detaineeProblem,
  freeDevices,
  isDay,
  NO_DEVICE,
} from './booking.rules';
import { addDays, dayLabel, placeSlot, quotaProblem, slotProblem, weekGrid } from './calendar.rules';
import { blockedCents, euros, planOf } from './cost.rules';
import { callProgress } from './due-call.rules';
import { durationLabel } from './held.rules';
import { VideoCallSettingsService } from './video-call-settings.service';
import { queueCancelledCallSms } from './cancel-notice';
import type { VideoCallSettings } from './video-call-settings';

/** Calls per page of « Appels à clôturer ». */
export const TO_CLOSE_PAGE_SIZE = 20;

export const SLOT_TAKEN = 'Ce créneau vient d’être pris : choisissez-en un autre.';

export interface BookingGrid {
  detainee: BookingDetainee;
  monday: string;
  days: { day: string; label: string }[];
  rows: { start: string; end: string; cells: BookableCell[] }[];
  account: { availableCents: number; neededCents: number } | null;
}

export interface SlotChoice {
  detainee: BookingDetainee;
  day: string;
  start: string;
  end: string;
  startsAt: Date;
  when: string;
  contacts: (BookingContact & { problem: string | null })[];
  blockedCents: number;
}

/** Booking video calls for a detainee (the officer's grid, read-back, booking, cancellation), the day's list and the voucher. */
@Injectable()
export class VideoCallBookingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: VideoCallSettingsService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Today on the establishment's clock, YYYY-MM-DD. */
  today(establishment: Establishment): string {
    return formatInTimeZone(this.clock.now(), establishment.timeZone, 'yyyy-MM-dd');
  }

  findDetainees(establishment: Establishment, text: string): Promise<BookingDetainee[]> {
    return findDetainees(this.dataSource.manager, establishment.id, text);
  }

  async detainee(establishment: Establishment, id: string): Promise<BookingDetainee> {
    const d = await detaineeOf(this.dataSource.manager, establishment.id, id);
    if (!d) throw new DomainError('NO_DETAINEE', 'Personne détenue introuvable dans l’établissement.', 404);
    return d;
  }

  private async record(db: EntityManager, detaineeId: string, lock = false): Promise<DetaineeRecord> {
    const account = await phoneAccount(db, detaineeId, lock);
    const [access, charter] = await Promise.all([latestAccess(db, detaineeId), charterSignedOn(db, detaineeId)]);
    return { access, charterSignedOn: charter, account };
  }

  /** The week's grid for the detainee: every slot bookable, or why not. */
  async grid(establishment: Establishment, detaineeId: string, anyDay: string): Promise<BookingGrid> {
    const db = this.dataSource.manager;
    const detainee = await this.detainee(establishment, detaineeId);
    const { settings } = await this.settings.inForce(establishment.id);
    const tz = establishment.timeZone;
    const [record, callDays, devices] = await Promise.all([
      this.record(db, detaineeId),
      callDaysOf(db, detaineeId, tz),
      activeDevices(db, establishment.id),
    ]);
    const week = weekGrid(anyDay, this.clock.now(), settings, tz, { zone: establishment.holidayZone, otherCallDays: callDays });
    const from = placeSlot(week.monday, { start: '00:00', end: '00:00' }, tz).startsAt;
    const to = placeSlot(addDays(week.monday, 7), { start: '00:00', end: '00:00' }, tz).startsAt;
    const uses = await deviceUses(db, establishment.id, from, to);
    return {
      detainee,
      monday: week.monday,
      days: week.days.map((d) => ({ day: d.day, label: d.label })),
      rows: detaineeGrid(week, record, devices, uses, settings, tz),
      account: record.account
        ? {
            availableCents: record.account.balanceCents - record.account.blockedCents,
            neededCents: blockedCents(settings, record.account.planCode),
          }
        : null,
    };
  }

  /** Everything that must hold for this booking, checked on `db` (in the booking's transaction: the account locked). */
  private async check(
    db: EntityManager,
    establishment: Establishment,
    settings: VideoCallSettings,
    detaineeId: string,
    day: string,
    start: string,
    record: DetaineeRecord,
  ): Promise<{ startsAt: Date; endsAt: Date; end: string }> {
    const tz = establishment.timeZone;
    const grid = isDay(day) ? settings.slots.find((s) => s.start === start) : undefined;
    if (!grid) throw new DomainError('NOT_A_SLOT', 'Ce créneau ne fait pas partie de la grille de l’établissement.');
    const slot = placeSlot(day, grid, tz);
    const problem =
      slotProblem(slot, this.clock.now(), settings, tz, establishment.holidayZone) ??
      quotaProblem(day, await callDaysOf(db, detaineeId, tz), settings) ??
      detaineeProblem(record, slot.startsAt, settings, tz);
    if (problem) throw new DomainError(problem.code, problem.message, 422);
    return { startsAt: slot.startsAt, endsAt: slot.endsAt, end: grid.end };
  }

  /** The slot page: the slot checked, the contacts with why each cannot be called. */
  async choice(establishment: Establishment, detaineeId: string, day: string, start: string): Promise<SlotChoice> {
    const db = this.dataSource.manager;
    const detainee = await this.detainee(establishment, detaineeId);
    const { settings } = await this.settings.inForce(establishment.id);
    const record = await this.record(db, detaineeId);
    const slot = await this.check(db, establishment, settings, detaineeId, day, start, record);
    const [devices, uses] = await Promise.all([
      activeDevices(db, establishment.id),
      deviceUses(db, establishment.id, slot.startsAt, slot.endsAt),
    ]);
    if (freeDevices(devices, uses, slot).length === 0) throw new DomainError(NO_DEVICE.code, NO_DEVICE.message, 409);
    const contacts = await contactsOf(db, establishment.id, detaineeId);
    return {
      detainee,
      day,
      start,
      end: slot.end,
      startsAt: slot.startsAt,
      when: `${dayLabel(day)}, ${start}–${slot.end}`,
      contacts: contacts.filter((c) => c.active).map((c) => ({ ...c, problem: contactProblem(c, slot.startsAt)?.message ?? null })),
      blockedCents: blockedCents(settings, record.account?.planCode ?? 'NONE'),
    };
  }

  /** The contact chosen for the slot, checked. */
  async contactFor(choice: SlotChoice, contactId: string): Promise<BookingContact> {
    const contact = choice.contacts.find((c) => c.id === contactId);
    if (!contact) throw new DomainError('NO_CONTACT', 'Choisissez un contact autorisé de la personne détenue.');
    if (contact.problem) throw new DomainError('CONTACT', contact.problem);
    return contact;
  }

  /**
   * Books the call, in one transaction: the detainee's phone account locked FOR UPDATE (a detainee's bookings
   * one at a time), then the establishment's active devices in id order; every rule checked again; a free
   * device taken; the cost of the longest call blocked; the contact's SMS queued; audited. A slot taken
   * meanwhile (exclusion constraint, deadlock) is refused with 409.
   */
  async book(
    actor: Actor & { id: string },
    establishment: Establishment,
    b: { detaineeId: string; day: string; start: string; contactId: string },
  ) {
    const { settings } = await this.settings.inForce(establishment.id);
    try {
      return await this.dataSource.transaction(async (m) => {
        const detainee = await detaineeOf(m, establishment.id, b.detaineeId);
        if (!detainee) throw new DomainError('NO_DETAINEE', 'Personne détenue introuvable dans l’établissement.', 404);
        const record = await this.record(m, b.detaineeId, true);
        const slot = await this.check(m, establishment, settings, b.detaineeId, b.day, b.start, record);
        const contact = (await contactsOf(m, establishment.id, b.detaineeId)).find((c) => c.id === b.contactId);
        if (!contact) throw new DomainError('NO_CONTACT', 'Choisissez un contact autorisé de la personne détenue.');
        const refused = contactProblem(contact, slot.startsAt);
        if (refused) throw new DomainError(refused.code, refused.message, 422);
        const devices = await lockActiveDevices(m, establishment.id);
        const [device] = freeDevices(devices, await deviceUses(m, establishment.id, slot.startsAt, slot.endsAt), slot);
        if (!device) throw new DomainError('SLOT_TAKEN', SLOT_TAKEN, 409);
        const account = record.account;
        if (!account) throw new DomainError('NO_CREDIT', 'La personne détenue n’a pas de compte téléphonique.', 422);
        const plan = planOf(settings, account.planCode);
        const blocked = blockedCents(settings, account.planCode);
        const id = await insertBooking(m, {
          establishmentId: establishment.id,
          detaineeId: b.detaineeId,
          contactId: contact.id,
          deviceId: device.id,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          planCode: plan.code,
          centsPerMinute: plan.centsPerMinute,
          connectionCents: plan.connectionCents,
          blockedCents: blocked,
          bookedBy: actor.id,
        });
        await changeBlocked(m, b.detaineeId, blocked);
        await this.notifications.enqueue(
          m,
          {
            channel: 'SMS',
            to: contact.phone,
            template: 'video-call-booked',
            category: 'TRANSACTIONAL',
            data: {
              whenShort: whenShort(slot.startsAt, establishment.timeZone),
              startsAt: slot.startsAt.toISOString(),
              timeZone: establishment.timeZone,
            },
            entity: { type: 'video_call_booking', id },
            establishmentId: establishment.id,
          },
          this.clock.now(),
        );
        await this.audit.record(
          {
            actor,
            action: 'VIDEO_CALL_BOOKED',
            entityType: 'video_call_booking',
            entityId: id,
            establishmentId: establishment.id,
            after: {
              detaineeId: b.detaineeId,
              contactId: contact.id,
              deviceId: device.id,
              startsAt: slot.startsAt.toISOString(),
              endsAt: slot.endsAt.toISOString(),
              planCode: plan.code,
              blockedCents: blocked,
            },
          },
          m,
        );
        return id;
      });
    } catch (e) {
      const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
      if (code === '23P01' || code === '40P01') throw new DomainError('SLOT_TAKEN', SLOT_TAKEN, 409);
      throw e;
    }
  }

  async booking(
    establishment: Establishment,
    id: string,
  ): Promise<
    BookingView & { when: string; day: string; blocked: string; started: boolean; duration: string | null; charged: string | null }
  > {
    const b = await bookingOf(this.dataSource.manager, establishment.id, id);
    if (!b) throw new DomainError('NO_BOOKING', 'Appel introuvable.', 404);
    return {
      ...b,
      when: this.when(establishment, b),
      day: formatInTimeZone(b.startsAt, establishment.timeZone, 'yyyy-MM-dd'),
      blocked: euros(b.blockedCents),
      started: this.clock.now().getTime() >= b.startsAt.getTime(),
      duration: b.durationSeconds === null ? null : durationLabel(b.durationSeconds),
      charged: b.chargedCents === null ? null : euros(b.chargedCents),
    };
  }

  private when(establishment: Establishment, b: Pick<BookingView, 'startsAt' | 'endsAt'>): string {
    const tz = establishment.timeZone;
    return `${dayLabel(formatInTimeZone(b.startsAt, tz, 'yyyy-MM-dd'))}, ${formatInTimeZone(b.startsAt, tz, 'HH:mm')}–${formatInTimeZone(b.endsAt, tz, 'HH:mm')}`;
  }

  /** Cancels a booked call: the blocked amount released, the contact told by SMS; audited. */
  async cancel(actor: Actor & { id: string }, establishment: Establishment, id: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const b = await lockBooking(m, establishment.id, id);
      if (!b) throw new DomainError('NO_BOOKING', 'Appel introuvable.', 404);
      if (b.status !== 'BOOKED') throw new DomainError('NOT_BOOKED', 'Seul un appel réservé, pas encore passé, peut être annulé.', 409);
      // Once the slot has started the call is closed by its outcome (held and charged, or not honoured), never cancelled.
      if (this.clock.now().getTime() >= new Date(b.startsAt).getTime())
        throw new DomainError(
          'STARTED',
          'Le créneau a commencé : l’appel ne peut plus être annulé. Enregistrez son bilan (appel passé ou non honoré).',
          409,
        );
      await phoneAccount(m, b.detaineeId, true);
      await cancelBooking(m, id, actor.id, reason, this.clock.now());
      await changeBlocked(m, b.detaineeId, -b.blockedCents);
      const contactNotified = await queueCancelledCallSms(
        this.notifications,
        m,
        { id, establishmentId: establishment.id, timeZone: establishment.timeZone, phone: b.phone, startsAt: b.startsAt },
        this.clock.now(),
      );
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_CANCELLED',
          entityType: 'video_call_booking',
          entityId: id,
          establishmentId: establishment.id,
          before: { status: 'BOOKED', blockedCents: b.blockedCents },
          after: { status: 'CANCELLED', reason, releasedCents: b.blockedCents, contactNotified },
        },
        m,
      );
    });
  }

  /** What the day's list renders (booking-day.njk): the list and the days before and after. */
  async dayView(establishment: Establishment, day: string) {
    return { list: await this.day(establishment, day), previousDay: addDays(day, -1), nextDay: addDays(day, 1) };
  }

  /**
   * The day's list: the calls in order with the moves to organise (detainee from the cell to the activities
   * area), the device and the contact, and the cleaning of each device between two slots.
   */
  async day(establishment: Establishment, day: string) {
    const tz = establishment.timeZone;
    const now = this.clock.now();
    const from = placeSlot(day, { start: '00:00', end: '00:00' }, tz).startsAt;
    const to = placeSlot(addDays(day, 1), { start: '00:00', end: '00:00' }, tz).startsAt;
    const [calls, toClose] = await Promise.all([
      callsBetween(this.dataSource.manager, establishment.id, from, to),
      countCallsToClose(this.dataSource.manager, establishment.id, now),
    ]);
    const time = (d: Date) => formatInTimeZone(d, tz, 'HH:mm');
    const lastEndOf = new Map<string, string>();
    return {
      day,
      label: dayLabel(day),
      /** The establishment's calls to close, every day included (the list « Appels à clôturer »). */
      toClose,
      calls: calls.map((c) => {
        const previous = lastEndOf.get(c.deviceName);
        lastEndOf.set(c.deviceName, time(c.endsAt));
        return {
          ...c,
          ...callProgress(c, now),
          start: time(c.startsAt),
          end: time(c.endsAt),
          detainee: `${c.lastName.toUpperCase()} ${c.firstName}`,
          outcome:
            c.status === 'HELD'
              ? `Passé (${durationLabel(c.durationSeconds ?? 0)}), ${euros(c.chargedCents ?? 0)} prélevés`
              : c.status === 'NO_SHOW'
                ? 'Non honoré'
                : null,
          move: `${c.housing ? `Cellule ${c.housing}` : 'Cellule non renseignée'} → salle « ${c.deviceName} » avant ${time(c.startsAt)}, retour après ${time(c.endsAt)}`,
          cleaning: previous
            ? `Nettoyer « ${c.deviceName} » entre ${previous} et ${time(c.startsAt)}`
            : `Nettoyer « ${c.deviceName} » avant ${time(c.startsAt)}`,
        };
      }),
    };
  }

  /**
   * « Appels à clôturer »: the establishment's booked calls whose slot has ended and whose outcome was never
   * recorded (their cost stays blocked on the phone account until it is), oldest first, one page.
   */
  async toClose(establishment: Establishment, pageNumber: number) {
    const now = this.clock.now();
    const db = this.dataSource.manager;
    const total = await countCallsToClose(db, establishment.id, now);
    const page = pageInfo(Math.min(pageNumber, pageInfo(1, TO_CLOSE_PAGE_SIZE, total).pages), TO_CLOSE_PAGE_SIZE, total);
    const rows = await callsToClose(db, establishment.id, now, page.page, TO_CLOSE_PAGE_SIZE);
    return {
      page,
      calls: rows.map((c) => ({
        ...c,
        when: this.when(establishment, c),
        day: formatInTimeZone(c.startsAt, establishment.timeZone, 'yyyy-MM-dd'),
        detainee: `${c.lastName.toUpperCase()} ${c.firstName}`,
        blocked: euros(c.blockedCents),
      })),
    };
  }

  /** The printable voucher (bon) for the detainee: slot, contact, device, amount blocked and a signature line. */
  async voucher(establishment: Establishment, id: string): Promise<Buffer> {
    const b = await this.booking(establishment, id);
    const { PDFDocument, rgb } = pdfLib();
    const doc = await PDFDocument.create();
    doc.setTitle(`Bon de visiophonie - ${b.firstName} ${b.lastName}`);
    doc.setLanguage('fr-FR');
    const page = doc.addPage([595, 842]);
    const { regular: font, bold } = await embedUnicodeFonts(doc);
    page.drawRectangle({ x: 0, y: 800, width: 595, height: 42, color: rgb(0, 0, 0.57) });
    drawLine(page, 'Ministère de la Justice — Bon de visiophonie', { x: 40, y: 816, size: 14, font: bold, color: rgb(1, 1, 1) });
    drawLine(page, fitLine(establishment.name, font, 11, 515), { x: 40, y: 770, size: 11, font });
    const lines: [string, string][] = [
      ['Personne détenue', `${b.lastName.toUpperCase()} ${b.firstName} (écrou ${b.ecrouNumber})`],
      ['Cellule', b.housing ?? 'non renseignée'],
      ['Appel', b.when],
      ['Salle', b.deviceName],
      ['Contact appelé', `${b.contactName} (${b.relationship})`],
      ['Montant bloqué sur le compte téléphonique', b.blocked],
      [
        'État',
        b.status === 'CANCELLED'
          ? `Annulé : ${b.cancelReason ?? ''}`
          : b.status === 'HELD'
            ? `Passé (${b.duration ?? ''}), ${b.charged ?? ''} prélevés`
            : b.status === 'NO_SHOW'
              ? 'Non honoré'
              : 'Réservé',
      ],
    ];
    let y = 730;
    for (const [label, value] of lines) {
      drawLine(page, label, { x: 40, y, size: 9, font, color: rgb(0.3, 0.3, 0.3) });
      drawLine(page, fitLine(value, bold, 12, 515), { x: 40, y: y - 15, size: 12, font: bold });
      y -= 38;
    }
    const note =
      'Le coût de l’appel le plus long est bloqué sur votre compte téléphonique ; seule la durée réelle est prélevée, le reste est débloqué. Présentez-vous à l’heure indiquée ; l’appel peut être annulé en cas de manquement à la charte.';
    for (const line of wrapText(note, font, 9, 515)) {
      drawLine(page, line, { x: 40, y, size: 9, font });
      y -= 13;
    }
    y -= 40;
    drawLine(page, `Remis le ${whenLabel(this.clock.now(), establishment.timeZone)}`, { x: 40, y, size: 10, font });
    y -= 50;
    drawLine(page, 'Signature de la personne détenue :', { x: 40, y, size: 10, font });
    page.drawLine({ start: { x: 240, y: y - 2 }, end: { x: 555, y: y - 2 }, thickness: 0.8, color: rgb(0, 0, 0) });
    return Buffer.from(await doc.save());
  }
}
