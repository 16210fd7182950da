import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { currentLanguage } from '../common/i18n';
import { tr } from '../common/translate';
import { newReference } from '../common/reference';
import type { CalendarEvent } from '../notifications/calendar';
import { contactAddress, NotificationsService } from '../notifications/notifications.service';
import {
  calendarLocation,
  cardFields,
  KIND_LABELS,
  practicalDetails,
  reasonNotToRemind,
  WHAT_TO_BRING,
  whenLabel,
  whenShort,
  zoneNote,
  type AppointmentCardFields,
  type AppointmentKind,
} from './appointment.rules';
import {
  appointmentState,
  cancelAppointment,
  familyAppointments,
  findAppointment,
  findFamilyAppointment,
  forgetFamilyContacts,
  insertAppointment,
  moveAppointment,
  type Appointment,
} from './appointment.queries';

export type { Appointment } from './appointment.queries';

export interface BookInput {
  kind: AppointmentKind;
  /** The booked thing's own reference (a visit's), so the family sees one number; a new one otherwise. */
  reference?: string;
  establishmentId: string;
  familyAccountId?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  startsAt: Date;
  endsAt: Date;
  place: string;
  address: string;
}

/** A new time for an appointment, and a new place when it changes (another visiting room). */
export interface AppointmentChange {
  startsAt: Date;
  endsAt: Date;
  place?: string | null;
}

/**
 * Whose appointments a caller may change: a family its own; staff those of their establishment; a
 * module that checked the scope of its own record first (visits: the visit's) any.
 */
export type AppointmentScope =
  { kind: 'FAMILY'; familyAccountId: string } | { kind: 'ESTABLISHMENT'; establishmentId: string } | { kind: 'ANY' };

export const AppointmentScopes = {
  family: (familyAccountId: string): AppointmentScope => ({ kind: 'FAMILY', familyAccountId }),
  establishment: (establishmentId: string): AppointmentScope => ({ kind: 'ESTABLISHMENT', establishmentId }),
  any: { kind: 'ANY' } as AppointmentScope,
};

function inScope(a: Appointment, scope: AppointmentScope): boolean {
  switch (scope.kind) {
    case 'FAMILY':
      return a.familyAccountId === scope.familyAccountId;
    case 'ESTABLISHMENT':
      return a.establishmentId === scope.establishmentId;
    case 'ANY':
      return true;
  }
}

/** What every message about an appointment says: what, when, where, what to bring, how to cancel. */
export type AppointmentTemplateData = {
  /** The kind, the instant and the clock, for a message written in another language than French. */
  kind: AppointmentKind;
  startsAt: string;
  timeZone: string;
  kindLabel: string;
  reference: string;
  when: string;
  whenShort: string;
  zoneNote: string;
  place: string;
  address: string;
  establishmentName: string;
  whatToBring: string;
  /** The establishment's practical information (null when not given: nothing is printed). */
  postalAddress: string | null;
  parloirPhone: string | null;
  parloirHours: string | null;
  /** The establishment's public page of practical information (none for a video call). */
  infoUrl: string | null;
  manageUrl: string;
  cancelUrl: string;
  /** The calendar file of confirmations, moves and reminders. */
  ics?: CalendarEvent;
  /** A visit's convocation QR code (its link), attached inline by the outbox worker. */
  qr: string | null;
};

/** What a module adds to its appointments' messages (visits: the convocation's QR code). */
export type AppointmentTemplateExtras = Partial<Pick<AppointmentTemplateData, 'qr'>>;
export type TemplateDataHook = (appointment: Appointment) => AppointmentTemplateExtras;

/**
 * What the cancellation message says beyond the appointment: why (the e-mail says `reason` as given,
 * the SMS only `smsReason`, which names no place or person), and where to book another time.
 */
export interface CancelNotice {
  reason: string;
  smsReason: string;
  /** A path of the app (e.g. `/visites/reserver`): the family chooses another time there. */
  rebookPath?: string;
}

/** A module's own reason not to send a reminder of one of its appointments still booked (a visit "À revoir"), or null. */
export type ReminderCheck = (m: EntityManager, appointmentId: string, now: Date) => Promise<string | null>;

/** What a module does, in the same transaction, when one of its appointments is cancelled (e.g. free a visit's place). */
export type CancelHook = (m: EntityManager, appointment: Appointment, actor: Actor, now: Date) => Promise<void>;

/** An appointment as the family's pages show it. */
export type AppointmentCard = Appointment & AppointmentCardFields;

const notFound = () => new DomainError('NOT_FOUND', tr('space:errors.appointmentNotFound'), 404);

/**
 * The appointments people must turn up to (visits, SPIP interviews, video calls): booking, moving
 * and cancelling, each with its confirmation, its reminders and its audit entry, in one transaction.
 * Each command runs in a transaction of its own (`book`, `move`, `cancel`) or in the caller's
 * (`bookIn`, `moveIn`, `cancelIn`, given its EntityManager and instant).
 *
 * Cross-module hooks: modules register here, in their onModuleInit, `onCancel` (what a cancellation
 * means for them) and `onTemplateData` (what their messages add); this module registers with
 * NotificationsService its reminders' relevance check ("still booked and in the future?").
 */
@Injectable()
export class AppointmentsService implements OnModuleInit {
  private readonly cancelHooks = new Map<AppointmentKind, CancelHook>();
  private readonly extraData = new Map<AppointmentKind, TemplateDataHook>();
  private readonly reminderChecks = new Map<AppointmentKind, ReminderCheck>();

  /** The clock is the app's (AppointmentsModule); a CLI script without one runs on the system clock. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly appUrl: string,
    private readonly clock: Clock,
  ) {}

  /**
   * The outbox re-checks a reminder right before sending it: dropped if the appointment is cancelled
   * or past, or if the module that booked it says so (a visit "À revoir").
   */
  onModuleInit(): void {
    this.notifications.onRelevanceCheck('appointment', async (m, id, now) => {
      const state = await appointmentState(m, id);
      const reason = reasonNotToRemind(state, now);
      if (reason || !state) return reason;
      return (await this.reminderChecks.get(state.kind)?.(m, id, now)) ?? null;
    });
  }

  /** Modules say when a reminder of one of their appointments still booked is pointless (visits: "À revoir"). */
  onReminderCheck(kind: AppointmentKind, check: ReminderCheck): void {
    this.reminderChecks.set(kind, check);
  }

  /** Modules add what their messages need beyond the common details (a visit's convocation QR code). */
  onTemplateData(kind: AppointmentKind, hook: TemplateDataHook): void {
    this.extraData.set(kind, hook);
  }

  /** Modules that book appointments register here what a cancellation means for them. */
  onCancel(kind: AppointmentKind, hook: CancelHook): void {
    this.cancelHooks.set(kind, hook);
  }

  // Booking -----------------------------------------------------------------------------------

  /** Books an appointment in a transaction of its own, now. */
  book(actor: Actor, input: BookInput): Promise<Appointment> {
    return this.dataSource.transaction((m) => this.bookIn(m, actor, input, this.clock.now()));
  }

  /** Books an appointment in the caller's transaction: confirmation, reminders and audit entry with it. */
  async bookIn(m: EntityManager, actor: Actor, input: BookInput, now: Date): Promise<Appointment> {
    const id = await insertAppointment(m, {
      kind: input.kind,
      reference: input.reference ?? newReference(),
      establishmentId: input.establishmentId,
      familyAccountId: input.familyAccountId ?? null,
      contactEmail: input.contactEmail ? contactAddress('EMAIL', input.contactEmail) : null,
      contactPhone: input.contactPhone ? contactAddress('SMS', input.contactPhone) : null,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      place: input.place,
      address: input.address,
    });
    const a = await this.find(m, id, false);
    await this.notifyAll(m, a, 'appointment-confirmation', now, ['EMAIL']);
    await this.notifications.planAppointmentReminders(m, this.reminderTarget(a), now);
    await this.audit.record(
      {
        actor,
        action: 'APPOINTMENT_BOOKED',
        entityType: 'appointment',
        entityId: a.id,
        establishmentId: a.establishmentId,
        after: summary(a),
      },
      m,
    );
    return a;
  }

  // Moving ------------------------------------------------------------------------------------

  /** Moves an appointment in a transaction of its own, now. */
  move(actor: Actor, scope: AppointmentScope, id: string, change: AppointmentChange): Promise<Appointment> {
    return this.dataSource.transaction((m) => this.moveIn(m, actor, scope, id, change, this.clock.now()));
  }

  /** Moves an appointment in the caller's transaction: pending reminders are cancelled and planned again for the new time. */
  async moveIn(
    m: EntityManager,
    actor: Actor,
    scope: AppointmentScope,
    id: string,
    change: AppointmentChange,
    now: Date,
  ): Promise<Appointment> {
    const before = await this.find(m, id, true);
    if (!inScope(before, scope)) throw notFound();
    if (before.status !== 'BOOKED')
      throw new DomainError('APPOINTMENT_CANCELLED', 'Ce rendez-vous est annulé : il ne peut plus être déplacé.', 409);
    await moveAppointment(m, id, { startsAt: change.startsAt, endsAt: change.endsAt, place: change.place ?? null });
    const after = await this.find(m, id, false);
    await this.notifications.cancelPending(m, { type: 'appointment', id }, 'Rendez-vous déplacé');
    await this.notifyAll(m, after, 'appointment-moved', now, ['EMAIL']);
    await this.notifications.planAppointmentReminders(m, this.reminderTarget(after), now);
    await this.audit.record(
      {
        actor,
        action: 'APPOINTMENT_MOVED',
        entityType: 'appointment',
        entityId: id,
        establishmentId: after.establishmentId,
        before: summary(before),
        after: summary(after),
      },
      m,
    );
    return after;
  }

  // Cancelling --------------------------------------------------------------------------------

  /** Cancels an appointment in a transaction of its own, now. */
  cancel(actor: Actor, scope: AppointmentScope, id: string, reason: string, notice?: CancelNotice): Promise<Appointment> {
    return this.dataSource.transaction((m) => this.cancelIn(m, actor, scope, id, reason, this.clock.now(), notice));
  }

  /**
   * Cancels in the caller's transaction: the booking module's hook runs (a visit frees its place),
   * reminders are cancelled, the cancellation is confirmed by e-mail and SMS (with the `notice`: why,
   * and where to book again). Out of scope: 404.
   */
  async cancelIn(
    m: EntityManager,
    actor: Actor,
    scope: AppointmentScope,
    id: string,
    reason: string,
    now: Date,
    notice?: CancelNotice,
  ): Promise<Appointment> {
    const a = await this.find(m, id, true);
    if (!inScope(a, scope)) throw notFound();
    if (a.status === 'CANCELLED') throw new DomainError('ALREADY_CANCELLED', tr('space:errors.alreadyCancelled'), 409);
    if (a.startsAt.getTime() <= now.getTime()) throw new DomainError('PAST', tr('space:errors.pastAppointment'), 409);
    await cancelAppointment(m, id, now, reason);
    const cancelled: Appointment = { ...a, status: 'CANCELLED' };
    await this.cancelHooks.get(a.kind)?.(m, cancelled, actor, now);
    await this.notifications.cancelPending(m, { type: 'appointment', id }, 'Rendez-vous annulé');
    // Why, when staff cancel: the notice the caller gives (e-mail and SMS wording), else the reason in the e-mail only
    // (a family cancelling its own appointment knows; a free reason may name someone, never in an SMS).
    const told = notice ? noticeData(notice, this.appUrl) : actor.type === 'FAMILY' ? {} : { cancelReason: reason };
    await this.notifyAll(m, cancelled, 'appointment-cancelled', now, ['EMAIL', 'SMS'], told);
    await this.audit.record(
      {
        actor,
        action: 'APPOINTMENT_CANCELLED',
        entityType: 'appointment',
        entityId: id,
        establishmentId: a.establishmentId,
        before: summary(a),
        after: { status: 'CANCELLED', reason },
      },
      m,
    );
    return cancelled;
  }

  /**
   * The family closes its account (« Mes données »), in its transaction: the contact details copied on its past
   * and cancelled appointments are erased (the appointments themselves stay, as its visits do). How many.
   */
  forgetFamilyContactsIn(m: EntityManager, familyAccountId: string, now: Date): Promise<number> {
    return forgetFamilyContacts(m, familyAccountId, now);
  }

  // Reading -----------------------------------------------------------------------------------

  /** The family's appointments, whatever their state: « Mes visites et rendez-vous » (family-space) lists them with its visits and stays. */
  listForFamily(familyAccountId: string): Promise<Appointment[]> {
    return familyAppointments(this.dataSource.manager, familyAccountId);
  }

  /** The family's own appointment, or null: someone else's is never shown (no enumeration). */
  findForFamily(familyAccountId: string, id: string): Promise<Appointment | null> {
    return findFamilyAppointment(this.dataSource.manager, familyAccountId, id);
  }

  /** The family's own appointment as its pages show it; 404 for any other. */
  async cardForFamily(familyAccountId: string, id: string): Promise<AppointmentCard> {
    const a = await this.findForFamily(familyAccountId, id);
    if (!a) throw notFound();
    return { ...a, ...cardFields(a, this.clock.now(), currentLanguage()) };
  }

  /**
   * The establishment's practical information changed: the messages still to send about its
   * appointments (reminders, a confirmation not sent yet) give the new address, parloir phone and hours.
   */
  async refreshPracticalDetails(m: EntityManager, establishmentId: string): Promise<number> {
    // An appointment has several messages (e-mail and SMS, reminders): read once each.
    const read = new Map<string, Promise<Appointment | null>>();
    return this.notifications.refreshPending(m, 'appointment', establishmentId, async (id, data) => {
      if (!read.has(id)) read.set(id, findAppointment(m, id, { lock: false }));
      const a = await read.get(id)!;
      if (!a) return null;
      const t = this.templateData(a);
      return {
        postalAddress: t.postalAddress,
        parloirPhone: t.parloirPhone,
        parloirHours: t.parloirHours,
        infoUrl: t.infoUrl,
        ...(data.ics ? { ics: t.ics } : {}),
      };
    });
  }

  /** What every message about an appointment says: what, when, where, what to bring, how to cancel. */
  templateData(a: Appointment): AppointmentTemplateData {
    const practical = practicalDetails(a);
    const infoUrl = practical.infoPath && `${this.appUrl}${practical.infoPath}`;
    const calling = [
      practical.parloirPhone && `Téléphone du parloir : ${practical.parloirPhone}.`,
      infoUrl && `Informations pratiques : ${infoUrl}`,
    ].filter(Boolean);
    return {
      kind: a.kind,
      startsAt: a.startsAt.toISOString(),
      timeZone: a.timeZone,
      kindLabel: KIND_LABELS[a.kind],
      reference: a.reference,
      when: whenLabel(a.startsAt, a.timeZone),
      whenShort: whenShort(a.startsAt, a.timeZone),
      zoneNote: zoneNote(a.timeZone),
      place: a.place,
      address: a.address,
      establishmentName: a.establishmentName,
      whatToBring: WHAT_TO_BRING[a.kind],
      postalAddress: practical.postalAddress,
      parloirPhone: practical.parloirPhone,
      parloirHours: practical.parloirHours,
      infoUrl,
      manageUrl: `${this.appUrl}/mes-rendez-vous`,
      cancelUrl: `${this.appUrl}/mes-rendez-vous/${a.id}/annuler`,
      ics: {
        uid: `${a.id}@p2v`,
        start: a.startsAt.toISOString(),
        end: a.endsAt.toISOString(),
        title: `P2V : ${KIND_LABELS[a.kind]} (réf. ${a.reference})`,
        location: calendarLocation(a, practical.postalAddress),
        description: [`Apportez ${WHAT_TO_BRING[a.kind]}.`, ...calling, `Pour annuler : ${this.appUrl}/mes-rendez-vous`].join(' '),
      },
      qr: null,
      ...this.extraData.get(a.kind)?.(a),
    };
  }

  private async find(m: EntityManager, id: string, lock: boolean): Promise<Appointment> {
    const a = await findAppointment(m, id, { lock });
    if (!a) throw notFound();
    return a;
  }

  private reminderTarget(a: Appointment) {
    return {
      id: a.id,
      startsAt: a.startsAt,
      email: a.contactEmail,
      phone: a.contactPhone,
      establishmentId: a.establishmentId,
      data: this.templateData(a),
    };
  }

  /** The transactional message of a change, on the channels given that the appointment has. */
  private async notifyAll(
    m: EntityManager,
    a: Appointment,
    template: string,
    now: Date,
    channels: ('EMAIL' | 'SMS')[],
    extra: Record<string, unknown> = {},
  ) {
    const full = { ...this.templateData(a), ...extra };
    // Only confirmations and moves carry the calendar file and the convocation.
    const { ics: _ics, ...withoutCalendar } = full;
    const data = template === 'appointment-confirmation' || template === 'appointment-moved' ? full : { ...withoutCalendar, qr: null };
    const base = {
      template,
      category: 'TRANSACTIONAL' as const,
      data,
      entity: { type: 'appointment', id: a.id },
      establishmentId: a.establishmentId,
    };
    if (channels.includes('EMAIL') && a.contactEmail)
      await this.notifications.enqueue(m, { ...base, channel: 'EMAIL', to: a.contactEmail }, now);
    if (channels.includes('SMS') && a.contactPhone)
      await this.notifications.enqueue(m, { ...base, channel: 'SMS', to: a.contactPhone }, now);
  }
}

/** The cancellation message's fields of a notice (none without one: the message says no reason). */
function noticeData(notice: CancelNotice | undefined, appUrl: string): Record<string, string> {
  if (!notice) return {};
  const data: Record<string, string> = { cancelReason: notice.reason, cancelReasonSms: notice.smsReason };
  if (notice.rebookPath) data.rebookUrl = `${appUrl}${notice.rebookPath}`;
  return data;
}

function summary(a: Appointment) {
  return { kind: a.kind, reference: a.reference, startsAt: a.startsAt.toISOString(), place: a.place, status: a.status };
}
