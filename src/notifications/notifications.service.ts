import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import type { Language } from '../common/i18n';
import { DomainError } from '../common/domain-error';
import type { NotificationSettings } from '../config/config';
import type { Channel } from '../config/reminder-offsets';
import type { Category } from './notification.entity';
import { NotificationRenderer } from './notification-renderer';
import { maxSmsSegments, normalizeEmail, normalizePhone, planReminders, smsLength } from './notification.rules';
import {
  cancelPendingOf,
  insertNotification,
  pendingOfEstablishment,
  recipientOf,
  rewriteMessage,
  setRecipientLanguage,
} from './outbox.queries';

export type { Category } from './notification.entity';

/** What a message is about: its entity (`appointment`, `permit`…), for cancelling and re-checking it. */
export interface EntityRef {
  type: string;
  id: string;
}

export interface EnqueueInput {
  channel: Channel;
  /** E-mail address or phone number as typed; validated and normalised here. */
  to: string;
  template: string;
  category: Category;
  data: Record<string, unknown>;
  entity?: EntityRef;
  establishmentId?: string | null;
  sendAfter?: Date;
}

export interface AppointmentForReminders {
  id: string;
  startsAt: Date;
  email: string | null;
  phone: string | null;
  establishmentId: string;
  data: Record<string, unknown>;
}

/**
 * A module's answer to "does this reminder about one of my entities still make sense?", asked by
 * the outbox worker right before sending it: the reason to drop it (shown on "Messages envoyés"),
 * or null to send it. Runs outside any transaction, with the worker's clock.
 */
export type RelevanceCheck = (m: EntityManager, entityId: string, now: Date) => Promise<string | null>;

/**
 * A phone number (to E.164) or an e-mail address, checked when it is typed: an invalid one is a
 * clear error at entry, never a failed send later.
 */
export function contactAddress(channel: Channel, raw: string): string {
  const address = channel === 'SMS' ? normalizePhone(raw) : normalizeEmail(raw);
  if (address) return address;
  throw channel === 'SMS'
    ? new DomainError('INVALID_PHONE', `Le numéro de téléphone « ${raw.trim()} » n’est pas valide. Exemple : 06 12 34 56 78.`)
    : new DomainError('INVALID_EMAIL', `L’adresse électronique « ${raw.trim()} » n’est pas valide.`);
}

/** Opt-out tokens: 12 base64url characters (72 bits), short enough for an SMS link. */
function newToken(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The outbox. A notification is written in the transaction of the business change that causes it
 * (pass that transaction's EntityManager): it exists if and only if the change is committed. The
 * OutboxWorker delivers it later. Content is rendered now, so a template error fails the change.
 */
export class NotificationsService {
  private readonly relevanceChecks = new Map<string, RelevanceCheck>();

  /** The clock is the app's (NotificationsModule); a CLI script without one runs on the system clock. */
  constructor(
    private readonly renderer: NotificationRenderer,
    private readonly settings: NotificationSettings,
    private readonly appUrl: string,
    private readonly clock: Clock,
  ) {}

  /**
   * Modules register, in their onModuleInit, how to re-check the reminders about their entities
   * (appointments: still booked and in the future). One check per entity type.
   */
  onRelevanceCheck(entityType: string, check: RelevanceCheck): void {
    if (this.relevanceChecks.has(entityType)) throw new Error(`A relevance check is already registered for ${entityType}`);
    this.relevanceChecks.set(entityType, check);
  }

  /** Why a reminder about this entity should not be sent any more, or null (no check registered: send it). */
  reasonToDrop(m: EntityManager, entity: EntityRef | null, now: Date): Promise<string | null> {
    const check = entity && this.relevanceChecks.get(entity.type);
    return check ? check(m, entity.id, now) : Promise.resolve(null);
  }

  /**
   * Writes one message in the caller's transaction. `now` is the caller's instant when it has one
   * (the message is due then, unless `sendAfter`); the clock's otherwise.
   */
  async enqueue(m: EntityManager, input: EnqueueInput, now?: Date): Promise<string> {
    const address = contactAddress(input.channel, input.to);
    const recipient = await recipientOf(m, input.channel, address, newToken());
    const data = { ...input.data, optoutUrl: `${this.appUrl}/stop/${recipient.optoutToken}` };
    const rendered = this.renderer.render(input.channel, input.template, data, recipient.language ?? undefined);
    if (input.channel === 'SMS') {
      const length = smsLength(rendered.text);
      const max = maxSmsSegments(length.encoding);
      if (length.segments > max) throw new Error(`SMS template ${input.template} renders ${length.segments} segments (max ${max})`);
    }
    return insertNotification(m, {
      recipientId: recipient.id,
      channel: input.channel,
      template: input.template,
      category: input.category,
      // The calendar file is stored in the recipient's language, as the message is.
      data: rendered.calendar ? { ...input.data, ics: rendered.calendar } : input.data,
      subject: rendered.subject,
      bodyText: rendered.text,
      bodyHtml: rendered.html,
      entity: input.entity ?? null,
      establishmentId: input.establishmentId ?? null,
      sendAfter: input.sendAfter ?? now ?? this.clock.now(),
    });
  }

  /**
   * The messages still waiting about entities of a type in an establishment are rendered again with
   * what `fresh` gives for their entity (laid over their stored data; null: left as they are), in the
   * caller's transaction: e.g. reminders planned before the establishment's practical information was
   * edited give the new details. A message being sent at that moment keeps its content. Returns how many changed.
   */
  async refreshPending(
    m: EntityManager,
    entityType: string,
    establishmentId: string,
    fresh: (entityId: string, data: Record<string, unknown>) => Promise<Record<string, unknown> | null>,
  ): Promise<number> {
    let changed = 0;
    for (const n of await pendingOfEstablishment(m, entityType, establishmentId, this.clock.now())) {
      const patch = await fresh(n.entityId, n.data);
      if (!patch) continue;
      const data = { ...n.data, ...patch };
      const rendered = this.renderer.render(
        n.channel,
        n.template,
        { ...data, optoutUrl: `${this.appUrl}/stop/${n.optoutToken}` },
        n.language ?? undefined,
      );
      await rewriteMessage(m, n.id, {
        data: rendered.calendar ? { ...data, ics: rendered.calendar } : data,
        subject: rendered.subject,
        bodyText: rendered.text,
        bodyHtml: rendered.html,
      });
      changed++;
    }
    return changed;
  }

  /**
   * Messages to these addresses are written in `language` from now on (a family's language, set on its
   * account): its e-mail and its mobile number, as typed (invalid ones are skipped: nothing is sent there).
   */
  async rememberLanguage(m: EntityManager, contacts: { email?: string | null; phone?: string | null }, language: Language): Promise<void> {
    for (const [channel, raw] of [
      ['EMAIL', contacts.email],
      ['SMS', contacts.phone],
    ] as const) {
      if (!raw) continue;
      let address: string;
      try {
        address = contactAddress(channel, raw);
      } catch {
        continue;
      }
      await setRecipientLanguage(m, channel, address, newToken(), language);
    }
  }

  /** Plans the reminders of an appointment (offsets from the configuration), in the caller's transaction. */
  async planAppointmentReminders(m: EntityManager, a: AppointmentForReminders, now?: Date): Promise<number> {
    const at = now ?? this.clock.now();
    const plan = planReminders(a.startsAt, at, this.settings.reminderOffsets, { email: Boolean(a.email), sms: Boolean(a.phone) });
    for (const r of plan) {
      const to = r.channel === 'EMAIL' ? a.email : a.phone;
      if (!to) continue; // planReminders plans only reachable channels
      await this.enqueue(
        m,
        {
          channel: r.channel,
          to,
          template: 'appointment-reminder',
          category: 'REMINDER',
          data: a.data,
          entity: { type: 'appointment', id: a.id },
          establishmentId: a.establishmentId,
          sendAfter: r.sendAt,
        },
        at,
      );
    }
    return plan.length;
  }

  /** Cancels what is still waiting for an entity (e.g. reminders of a cancelled or moved appointment). */
  cancelPending(m: EntityManager, entity: EntityRef, reason: string, category: Category | null = 'REMINDER'): Promise<number> {
    return cancelPendingOf(m, entity, reason, category);
  }
}
