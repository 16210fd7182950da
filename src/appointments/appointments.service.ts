import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import { newReference } from '../common/reference';
import { contactAddress, NotificationsService } from '../notifications/notifications.service';
import { AppointmentKind, KIND_LABELS, WHAT_TO_BRING, whenLabel, whenShort, zoneNote } from './appointment.rules';

export interface Appointment {
  id: string;
  kind: AppointmentKind;
  establishmentId: string;
  establishmentName: string;
  familyAccountId: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  startsAt: Date;
  endsAt: Date;
  place: string;
  address: string;
  reference: string;
  status: 'BOOKED' | 'CANCELLED';
  /** The establishment's time zone: times are said on its clock. */
  timeZone: string;
}

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

const COLUMNS = `a.id, a.kind, a.establishment_id AS "establishmentId", e.name AS "establishmentName", a.family_account_id AS "familyAccountId",
  a.contact_email AS "contactEmail", a.contact_phone AS "contactPhone", a.starts_at AS "startsAt", a.ends_at AS "endsAt",
  a.place, a.address, a.reference, a.status, e.time_zone AS "timeZone"`;

/**
 * The appointments people must turn up to (visits, SPIP interviews, video calls): booking, moving
 * and cancelling, each with its confirmation, its reminders and its audit entry, in one transaction.
 * Visits, interviews and video calls book through this service.
 */
/** What a module does, in the same transaction, when one of its appointments is cancelled (e.g. free a visit's place). */
export type CancelHook = (m: EntityManager, appointment: Appointment, actor: Actor, now: Date) => Promise<void>;

@Injectable()
export class AppointmentsService {
  private readonly cancelHooks = new Map<AppointmentKind, CancelHook>();
  private readonly extraData = new Map<AppointmentKind, (a: Appointment) => Record<string, unknown>>();

  /** Modules add what their messages need beyond the common details (a visit's convocation QR code). */
  onTemplateData(kind: AppointmentKind, fn: (a: Appointment) => Record<string, unknown>) {
    this.extraData.set(kind, fn);
  }

  /** Modules that book appointments register here what a cancellation means for them. */
  onCancel(kind: AppointmentKind, hook: CancelHook) {
    this.cancelHooks.set(kind, hook);
  }

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly appUrl: string,
  ) {}

  async book(actor: Actor, input: BookInput, now = new Date(), manager?: EntityManager): Promise<Appointment> {
    const email = input.contactEmail ? contactAddress('EMAIL', input.contactEmail) : null;
    const phone = input.contactPhone ? contactAddress('SMS', input.contactPhone) : null;
    const run = async (m: EntityManager) => {
      const [row] = await m.query(
        `INSERT INTO appointments (kind, establishment_id, family_account_id, contact_email, contact_phone, starts_at, ends_at, place, address, reference)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          input.kind,
          input.establishmentId,
          input.familyAccountId ?? null,
          email,
          phone,
          input.startsAt,
          input.endsAt,
          input.place,
          input.address,
          input.reference ?? newReference(),
        ],
      );
      const a = await this.find(m, row.id);
      await this.notifyAll(m, a, 'appointment-confirmation', now);
      await this.notifications.planAppointmentReminders(m, this.reminderTarget(a), now);
      await this.audit.record(
        {
          actor,
          action: 'APPOINTMENT_BOOKED',
          entityType: 'appointment',
          entityId: a.id,
          establishmentId: a.establishmentId,
          after: this.summary(a),
        },
        m,
      );
      return a;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /** Moves an appointment: pending reminders are cancelled and planned again for the new time. */
  async move(
    actor: Actor,
    id: string,
    startsAt: Date,
    endsAt: Date,
    now = new Date(),
    manager?: EntityManager,
    place?: string,
  ): Promise<Appointment> {
    const run = async (m: EntityManager) => {
      const before = await this.find(m, id, true);
      if (before.status !== 'BOOKED')
        throw new DomainError('APPOINTMENT_CANCELLED', 'Ce rendez-vous est annulé : il ne peut plus être déplacé.', 409);
      await m.query(`UPDATE appointments SET starts_at = $2, ends_at = $3, place = coalesce($4, place), updated_at = now() WHERE id = $1`, [
        id,
        startsAt,
        endsAt,
        place ?? null,
      ]);
      const after = await this.find(m, id);
      await this.notifications.cancelPending(m, { type: 'appointment', id }, 'Rendez-vous déplacé');
      await this.notifyAll(m, after, 'appointment-moved', now);
      await this.notifications.planAppointmentReminders(m, this.reminderTarget(after), now);
      await this.audit.record(
        {
          actor,
          action: 'APPOINTMENT_MOVED',
          entityType: 'appointment',
          entityId: id,
          establishmentId: after.establishmentId,
          before: this.summary(before),
          after: this.summary(after),
        },
        m,
      );
      return after;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /** Cancels: frees the appointment, cancels its reminders, confirms the cancellation by e-mail. */
  async cancel(actor: Actor, id: string, reason: string, now = new Date(), onlyForFamily?: string): Promise<Appointment> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.find(m, id, true);
      if (onlyForFamily && a.familyAccountId !== onlyForFamily) throw new DomainError('NOT_FOUND', 'Rendez-vous introuvable.', 404);
      if (a.status === 'CANCELLED') throw new DomainError('ALREADY_CANCELLED', 'Ce rendez-vous est déjà annulé.', 409);
      if (a.startsAt.getTime() <= now.getTime())
        throw new DomainError('PAST', 'Ce rendez-vous est passé : il ne peut plus être annulé.', 409);
      await m.query(
        `UPDATE appointments SET status = 'CANCELLED', cancelled_at = $2, cancel_reason = $3, updated_at = now() WHERE id = $1`,
        [id, now, reason],
      );
      const cancelled = { ...a, status: 'CANCELLED' as const };
      await this.cancelHooks.get(a.kind)?.(m, cancelled, actor, now);
      await this.notifications.cancelPending(m, { type: 'appointment', id }, 'Rendez-vous annulé');
      await this.notifyAll(m, cancelled, 'appointment-cancelled', now, ['EMAIL', 'SMS']);
      await this.audit.record(
        {
          actor,
          action: 'APPOINTMENT_CANCELLED',
          entityType: 'appointment',
          entityId: id,
          establishmentId: a.establishmentId,
          before: this.summary(a),
          after: { status: 'CANCELLED', reason },
        },
        m,
      );
      return cancelled;
    });
  }

  async listForFamily(familyAccountId: string): Promise<Appointment[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM appointments a JOIN establishments e ON e.id = a.establishment_id
        WHERE a.family_account_id = $1 ORDER BY (a.status = 'CANCELLED'), a.starts_at LIMIT 200`,
      [familyAccountId],
    );
  }

  /** The family's own appointment, or null: someone else's is never shown (no enumeration). */
  async findForFamily(familyAccountId: string, id: string): Promise<Appointment | null> {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM appointments a JOIN establishments e ON e.id = a.establishment_id WHERE a.id = $1 AND a.family_account_id = $2`,
      [id, familyAccountId],
    );
    return rows[0] ?? null;
  }

  private async find(m: EntityManager, id: string, lock = false): Promise<Appointment> {
    const rows = await m.query(
      `SELECT ${COLUMNS} FROM appointments a JOIN establishments e ON e.id = a.establishment_id WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`,
      [id],
    );
    if (!rows[0]) throw new DomainError('NOT_FOUND', 'Rendez-vous introuvable.', 404);
    return { ...rows[0], startsAt: new Date(rows[0].startsAt), endsAt: new Date(rows[0].endsAt) };
  }

  /** What every message about an appointment says: what, when, where, what to bring, how to cancel. */
  templateData(a: Appointment): Record<string, unknown> {
    return {
      kindLabel: KIND_LABELS[a.kind],
      reference: a.reference,
      when: whenLabel(a.startsAt, a.timeZone),
      whenShort: whenShort(a.startsAt, a.timeZone),
      zoneNote: zoneNote(a.timeZone),
      place: a.place,
      address: a.address,
      establishmentName: a.establishmentName,
      whatToBring: WHAT_TO_BRING[a.kind],
      manageUrl: `${this.appUrl}/mes-rendez-vous`,
      cancelUrl: `${this.appUrl}/mes-rendez-vous/${a.id}/annuler`,
      ics: {
        uid: `${a.id}@p2v`,
        start: a.startsAt.toISOString(),
        end: a.endsAt.toISOString(),
        title: `P2V : ${KIND_LABELS[a.kind]} (réf. ${a.reference})`,
        location: `${a.place}, ${a.address}`,
        description: `Apportez ${WHAT_TO_BRING[a.kind]}. Pour annuler : ${this.appUrl}/mes-rendez-vous`,
      },
      qr: null,
      ...this.extraData.get(a.kind)?.(a),
    };
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

  private async notifyAll(m: EntityManager, a: Appointment, template: string, now: Date, channels: ('EMAIL' | 'SMS')[] = ['EMAIL']) {
    const data = this.templateData(a);
    if (template !== 'appointment-confirmation' && template !== 'appointment-moved') {
      delete data.ics;
      data.qr = null;
    }
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

  private summary(a: Appointment) {
    return { kind: a.kind, reference: a.reference, startsAt: a.startsAt.toISOString(), place: a.place, status: a.status };
  }
}
