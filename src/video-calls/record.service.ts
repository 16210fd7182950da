import { Inject, Injectable } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { type Page, pageInfo } from '../common/pagination';
import type { Establishment } from '../establishments/establishment.entity';
import type { PermitFileStore } from '../permits/permit-files';
import { dayLabel } from './calendar.rules';
import { NotificationsService } from '../notifications/notifications.service';
import { queueCancelledCallSms } from './cancel-notice';
import { cancelBooking, changeBlocked, countStoppedCalls, lockAccounts, lockStoppedCalls, type StoppedCalls } from './booking.queries';
import { signatoryFor } from '../permits/signatory';
import { checkDocument } from '../permits/uploads';
import {
  type AccessDecisionRow,
  accessHistory,
  accountOf,
  activeContactWithPhone,
  type Charter,
  chartersOf,
  type Contact,
  contactOf,
  contactsOf,
  creditAccount,
  deactivateContact,
  establishmentSanction,
  establishmentSanctions,
  insertAccessDecision,
  insertCharter,
  insertContact,
  insertSanction,
  liftSanction,
  lockAccount,
  lockDetainee,
  lockSanction,
  type PhoneAccount,
  presentDetainee,
  type RecordDetainee,
  type Sanction,
  type SanctionEntry,
  sanctionsInForce,
  searchDetainees,
  setPlan,
  lockNumber,
} from './record.queries';
import {
  type AccessDecision,
  type AccessGround,
  accessInForce,
  DECISION_STATUS,
  decisionProblem,
  endOfLocalDay,
  liftProblem,
  motivationText,
  phoneSearchDigits,
  lastDay,
} from './record.rules';
import type { VideoCallAccessStatus } from './video-call-access.entity';
import type { VideoCallPlan } from './video-call-settings';
import { VideoCallSettingsService } from './video-call-settings.service';

/** The reason written on a call cancelled by a later decision. */
const ACCESS_REASON: Record<AccessDecision, string> = {
  REFUSE: 'Annulé : accès à la visiophonie refusé par décision du chef d’établissement',
  SUSPEND: 'Annulé : accès à la visiophonie suspendu par décision du chef d’établissement',
  WITHDRAW: 'Annulé : accès à la visiophonie retiré par décision du chef d’établissement',
  RESTORE: '',
};
const SANCTION_REASON = 'Annulé : numéro sanctionné par décision du chef d’établissement';
const CONTACT_REASON = 'Annulé : contact retiré de la liste des contacts autorisés';

export const VIDEO_CALL_DOCUMENTS = Symbol('VIDEO_CALL_DOCUMENTS');

export const SEARCH_PAGE_SIZE = 20;
export const SANCTIONS_PAGE_SIZE = 20;

type AgentActor = Actor & { id: string };

export interface VideoCallRecord {
  detainee: RecordDetainee;
  contacts: (Contact & { sanction: Sanction | null })[];
  charters: Charter[];
  account: PhoneAccount;
  plans: VideoCallPlan[];
  access: { status: VideoCallAccessStatus; history: AccessDecisionRow[] };
  /** May take access decisions and sanction numbers: the head, or a signature delegate in force today. */
  mayDecide: boolean;
}

const notFound = () => new DomainError('NO_DETAINEE', 'Personne détenue introuvable dans l’établissement.', 404);
const noSanction = () => new DomainError('NO_SANCTION', 'Sanction introuvable dans l’établissement.', 404);
const notSignatory = () =>
  new DomainError(
    'NOT_SIGNATORY',
    'Seul le chef d’établissement ou un agent ayant sa délégation de signature peut prendre cette décision.',
    403,
  );

/**
 * A detainee's video-call record (visiophonie, note de service n° 267-2020): authorised contacts,
 * the signed usage charter, the phone account, access decisions, and the establishment's sanctions on
 * numbers. Every change is audited in its transaction, under the detainee's row lock.
 */
/** Which field of the sanction form a refusal's message goes with. */
export function sanctionField(e: DomainError): string {
  return e.code === 'ALREADY_SANCTIONED' ? 'phone' : 'until';
}

@Injectable()
export class VideoCallRecordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: VideoCallSettingsService,
    @Inject(VIDEO_CALL_DOCUMENTS) private readonly store: PermitFileStore,
    private readonly notifications: NotificationsService,
  ) {}

  async search(establishmentId: string, q: string, page: number): Promise<{ rows: RecordDetainee[]; page: Page }> {
    const found = await searchDetainees(this.dataSource.manager, establishmentId, q, page, SEARCH_PAGE_SIZE);
    return { rows: found.rows, page: pageInfo(page, SEARCH_PAGE_SIZE, found.total) };
  }

  async detainee(establishmentId: string, detaineeId: string): Promise<RecordDetainee> {
    const d = await presentDetainee(this.dataSource.manager, establishmentId, detaineeId);
    if (!d) throw notFound();
    return d;
  }

  async record(establishment: Establishment, detaineeId: string, agentId: string): Promise<VideoCallRecord> {
    const db = this.dataSource.manager;
    const detainee = await this.detainee(establishment.id, detaineeId);
    const now = this.clock.now();
    const [contacts, charters, account, history, settings, mayDecide] = await Promise.all([
      contactsOf(db, detaineeId),
      chartersOf(db, detaineeId),
      accountOf(db, detaineeId),
      accessHistory(db, detaineeId),
      this.settings.inForce(establishment.id),
      this.maySign(db, establishment, agentId),
    ]);
    const sanctions = await sanctionsInForce(
      db,
      establishment.id,
      contacts.filter((c) => c.active).map((c) => c.phone),
      now,
    );
    return {
      detainee,
      contacts: contacts.map((c) => ({ ...c, sanction: (c.active && sanctions.find((s) => s.phone === c.phone)) || null })),
      charters,
      account,
      plans: settings.settings.plans,
      access: { status: accessInForce(history[0] ?? null, now), history },
      mayDecide,
    };
  }

  async contact(establishmentId: string, detaineeId: string, contactId: string): Promise<{ detainee: RecordDetainee; contact: Contact }> {
    const detainee = await this.detainee(establishmentId, detaineeId);
    const contact = await contactOf(this.dataSource.manager, detaineeId, contactId);
    if (!contact || !contact.active) throw new DomainError('NO_CONTACT', 'Contact introuvable.', 404);
    return { detainee, contact };
  }

  async addContact(
    actor: AgentActor,
    establishmentId: string,
    detaineeId: string,
    c: { name: string; phone: string; relationship: string; minor: boolean; consentGivenBy: string | null },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await lockDetainee(m, establishmentId, detaineeId))) throw notFound();
      if (await activeContactWithPhone(m, detaineeId, c.phone))
        throw new DomainError('CONTACT_EXISTS', 'Ce numéro est déjà celui d’un contact autorisé de la personne détenue.');
      const input = { ...c, detaineeId, consentGivenBy: c.minor ? c.consentGivenBy : null };
      const id = await insertContact(m, input, actor.id, this.clock.now());
      await this.audit.record(
        { actor, action: 'VIDEO_CALL_CONTACT_ADDED', entityType: 'detainee_phone_contact', entityId: id, establishmentId, after: input },
        m,
      );
    });
  }

  async deactivateContact(actor: AgentActor, establishmentId: string, detaineeId: string, contactId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await lockDetainee(m, establishmentId, detaineeId))) throw notFound();
      const contact = await contactOf(m, detaineeId, contactId);
      if (!contact) throw new DomainError('NO_CONTACT', 'Contact introuvable.', 404);
      if (!contact.active) return;
      await deactivateContact(m, contactId);
      await this.stopCalls(m, actor, { establishmentId, detaineeId, contactId }, CONTACT_REASON, {
        type: 'detainee_phone_contact',
        id: contactId,
      });
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_CONTACT_DEACTIVATED',
          entityType: 'detainee_phone_contact',
          entityId: contactId,
          establishmentId,
          before: { active: true, name: contact.name, phone: contact.phone },
          after: { active: false },
        },
        m,
      );
    });
  }

  /** Records the signed charter with its scan (checked by content, stored encrypted; removed again if the record fails). */
  async recordCharter(
    actor: AgentActor,
    establishment: Establishment,
    detaineeId: string,
    signedOn: string,
    file: { buffer: Buffer } | undefined,
  ): Promise<void> {
    await this.detainee(establishment.id, detaineeId);
    const today = formatInTimeZone(this.clock.now(), establishment.timeZone, 'yyyy-MM-dd');
    if (signedOn > today) throw new DomainError('CHARTER_FUTURE', 'La date de signature ne peut pas être dans le futur.');
    if (!file || file.buffer.length === 0) throw new DomainError('NO_FILE', 'Choisissez le scan de la charte signée.');
    const checked = await checkDocument(file.buffer);
    if (!checked.ok) throw new DomainError('BAD_FILE', checked.message);
    const { storageKey, sha256 } = await this.store.put(checked.content);
    try {
      await this.dataSource.transaction(async (m) => {
        if (!(await lockDetainee(m, establishment.id, detaineeId))) throw notFound();
        const id = await insertCharter(m, detaineeId, signedOn, storageKey, actor.id, this.clock.now());
        await this.audit.record(
          {
            actor,
            action: 'VIDEO_CALL_CHARTER_RECORDED',
            entityType: 'video_call_charter',
            entityId: id,
            establishmentId: establishment.id,
            after: { detaineeId, signedOn, sha256, contentType: checked.contentType },
          },
          m,
        );
      });
    } catch (e) {
      await this.store.delete(storageKey).catch(() => undefined);
      throw e;
    }
  }

  /** The charter's scan, decrypted (a PDF, or a JPEG as every image is re-encoded). */
  async charterScan(establishmentId: string, detaineeId: string, charterId: string): Promise<{ content: Buffer; contentType: string }> {
    await this.detainee(establishmentId, detaineeId);
    const charter = (await chartersOf(this.dataSource.manager, detaineeId)).find((c) => c.id === charterId);
    if (!charter?.scanStorageKey) throw new DomainError('NO_CHARTER', 'Charte introuvable.', 404);
    const content = await this.store.get(charter.scanStorageKey);
    return { content, contentType: content.subarray(0, 5).toString('latin1') === '%PDF-' ? 'application/pdf' : 'image/jpeg' };
  }

  async credit(actor: AgentActor, establishmentId: string, detaineeId: string, cents: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await lockDetainee(m, establishmentId, detaineeId))) throw notFound();
      const before = await lockAccount(m, detaineeId);
      await creditAccount(m, detaineeId, cents, this.clock.now());
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_ACCOUNT_CREDITED',
          entityType: 'phone_account',
          entityId: detaineeId,
          establishmentId,
          before: { balanceCents: before.balanceCents },
          after: { balanceCents: before.balanceCents + cents, creditCents: cents },
        },
        m,
      );
    });
  }

  async choosePlan(actor: AgentActor, establishmentId: string, detaineeId: string, planCode: string): Promise<void> {
    const { settings } = await this.settings.inForce(establishmentId);
    if (!settings.plans.some((p) => p.code === planCode)) throw new DomainError('NO_PLAN', 'Choisissez un forfait de la liste.');
    await this.dataSource.transaction(async (m) => {
      if (!(await lockDetainee(m, establishmentId, detaineeId))) throw notFound();
      const before = await lockAccount(m, detaineeId);
      if (before.planCode === planCode) return;
      await setPlan(m, detaineeId, planCode, this.clock.now());
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_PLAN_CHANGED',
          entityType: 'phone_account',
          entityId: detaineeId,
          establishmentId,
          before: { planCode: before.planCode },
          after: { planCode },
        },
        m,
      );
    });
  }

  /** The head or a signature delegate refuses, suspends until a day (included), withdraws or restores the detainee's access. */
  async decideAccess(
    actor: AgentActor,
    establishment: Establishment,
    detaineeId: string,
    d: { decision: AccessDecision; ground: AccessGround | null; untilDay: string | null; motivation: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await lockDetainee(m, establishment.id, detaineeId))) throw notFound();
      if (!(await this.maySign(m, establishment, actor.id))) throw notSignatory();
      const now = this.clock.now();
      const current = await this.checkDecision(m, establishment, detaineeId, d);
      const status = DECISION_STATUS[d.decision];
      const input = {
        detaineeId,
        status,
        suspendedUntil: status === 'SUSPENDED' && d.untilDay ? endOfLocalDay(d.untilDay, establishment.timeZone) : null,
        motivation: motivationText(d.decision === 'RESTORE' ? null : d.ground, d.motivation) || null,
      };
      const id = await insertAccessDecision(m, input, actor.id, now);
      if (status !== 'ACTIVE')
        await this.stopCalls(
          m,
          actor,
          { establishmentId: establishment.id, detaineeId, startingBefore: input.suspendedUntil },
          ACCESS_REASON[d.decision],
          { type: 'video_call_access', id },
        );
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_ACCESS_DECIDED',
          entityType: 'video_call_access',
          entityId: id,
          establishmentId: establishment.id,
          before: { status: current },
          after: input,
        },
        m,
      );
    });
  }

  /** Refuses (DomainError) a decision that may not be taken now, before its read-back and again when it is taken; returns the access in force. */
  async checkDecision(
    db: EntityManager,
    establishment: Establishment,
    detaineeId: string,
    d: { decision: AccessDecision; ground: AccessGround | null; untilDay: string | null },
  ): Promise<VideoCallAccessStatus> {
    const now = this.clock.now();
    const history = await accessHistory(db, detaineeId);
    const current = accessInForce(history[0] ?? null, now);
    const today = formatInTimeZone(now, establishment.timeZone, 'yyyy-MM-dd');
    const problem = decisionProblem(d.decision, current, { ground: d.ground, untilDay: d.untilDay, today });
    if (problem) throw new DomainError(`ACCESS_${problem.field.toUpperCase()}`, problem.message);
    return current;
  }

  /** The read-back's check of a decision, outside any transaction. */
  async precheckDecision(
    establishment: Establishment,
    detaineeId: string,
    d: { decision: AccessDecision; ground: AccessGround | null; untilDay: string | null },
  ): Promise<void> {
    await this.detainee(establishment.id, detaineeId);
    await this.checkDecision(this.dataSource.manager, establishment, detaineeId, d);
  }

  /**
   * The head or a signature delegate sanctions a number for every detainee of the establishment, until a
   * day (included) or with no end: from a detainee's record (`detaineeId`, kept in the audit) or from the
   * establishment's list of sanctioned numbers (null: any number, a contact's or not).
   */
  async sanctionNumber(
    actor: AgentActor,
    establishment: Establishment,
    detaineeId: string | null,
    s: { phone: string; untilDay: string | null; ground: AccessGround; motivation: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (detaineeId !== null && !(await lockDetainee(m, establishment.id, detaineeId))) throw notFound();
      if (!(await this.maySign(m, establishment, actor.id))) throw notSignatory();
      const now = this.clock.now();
      await lockNumber(m, establishment.id, s.phone);
      await this.checkSanction(m, establishment, s.phone, s.untilDay);
      const input = {
        establishmentId: establishment.id,
        phone: s.phone,
        until: s.untilDay ? endOfLocalDay(s.untilDay, establishment.timeZone) : null,
        motivation: motivationText(s.ground, s.motivation),
      };
      const id = await insertSanction(m, input, actor.id, now);
      await this.stopCalls(m, actor, { establishmentId: establishment.id, phone: s.phone, startingBefore: input.until }, SANCTION_REASON, {
        type: 'sanctioned_number',
        id,
      });
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_NUMBER_SANCTIONED',
          entityType: 'sanctioned_number',
          entityId: id,
          establishmentId: establishment.id,
          after: { ...input, detaineeId },
        },
        m,
      );
    });
  }

  /** The establishment's sanctioned numbers, those in force first; `q` finds a number or a part of it. */
  async sanctions(establishmentId: string, q: string, page: number): Promise<{ rows: SanctionEntry[]; page: Page }> {
    const digits = phoneSearchDigits(q);
    if (digits === null) return { rows: [], page: pageInfo(page, SANCTIONS_PAGE_SIZE, 0) };
    const now = this.clock.now();
    const db = this.dataSource.manager;
    let found = await establishmentSanctions(db, establishmentId, digits, now, page, SANCTIONS_PAGE_SIZE);
    // A page past the last one (an old link, a typed number) shows the last page, not « aucun numéro ».
    const last = pageInfo(1, SANCTIONS_PAGE_SIZE, found.total).pages;
    if (found.rows.length === 0 && page > last && found.total > 0) {
      page = last;
      found = await establishmentSanctions(db, establishmentId, digits, now, page, SANCTIONS_PAGE_SIZE);
    }
    return { rows: found.rows, page: pageInfo(page, SANCTIONS_PAGE_SIZE, found.total) };
  }

  /** One of the establishment's sanctions (404 for another establishment's). */
  async sanction(establishmentId: string, id: string): Promise<SanctionEntry> {
    const found = await establishmentSanction(this.dataSource.manager, establishmentId, id, this.clock.now());
    if (!found) throw noSanction();
    return found;
  }

  /** Whether the agent may sanction numbers and lift sanctions today: the head, or a signature delegate in force. */
  mayDecide(establishment: Establishment, agentId: string): Promise<boolean> {
    return this.maySign(this.dataSource.manager, establishment, agentId);
  }

  /** The read-back's check of a lifting, outside any transaction: the sanction is the establishment's and in force. */
  async precheckLift(establishment: Establishment, id: string): Promise<SanctionEntry> {
    const found = await this.sanction(establishment.id, id);
    const problem = liftProblem(found, this.clock.now());
    if (problem) throw new DomainError('SANCTION_NOT_IN_FORCE', problem, 409);
    return found;
  }

  /**
   * The head or a signature delegate lifts a sanction in force before its end, with a motivation: the
   * number is no longer blocked from now on. The calls the sanction cancelled stay cancelled.
   */
  async liftSanction(actor: AgentActor, establishment: Establishment, id: string, motivation: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const sanction = await lockSanction(m, establishment.id, id);
      if (!sanction) throw noSanction();
      if (!(await this.maySign(m, establishment, actor.id))) throw notSignatory();
      const now = this.clock.now();
      const problem = liftProblem(sanction, now);
      if (problem) throw new DomainError('SANCTION_NOT_IN_FORCE', problem, 409);
      const text = motivation.trim();
      await liftSanction(m, id, text, actor.id, now);
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_SANCTION_LIFTED',
          entityType: 'sanctioned_number',
          entityId: id,
          establishmentId: establishment.id,
          before: { phone: sanction.phone, until: sanction.until, motivation: sanction.motivation, liftedAt: null },
          after: { liftedAt: now, liftMotivation: text },
        },
        m,
      );
    });
  }

  /**
   * Refuses a sanction whose end day is past, or on a number already under a sanction in force (lifting one of
   * two would not free the number): before its read-back and again, under the number's lock, when it is recorded.
   */
  precheckSanction(establishment: Establishment, phone: string, untilDay: string | null): Promise<void> {
    return this.checkSanction(this.dataSource.manager, establishment, phone, untilDay);
  }

  private async checkSanction(m: EntityManager, establishment: Establishment, phone: string, untilDay: string | null): Promise<void> {
    const now = this.clock.now();
    const today = formatInTimeZone(now, establishment.timeZone, 'yyyy-MM-dd');
    if (untilDay !== null && untilDay < today)
      throw new DomainError(
        'SANCTION_UNTIL',
        'La fin de la sanction ne peut pas être passée : aujourd’hui ou plus tard, ou rien pour une sanction sans fin.',
      );
    const [current] = await sanctionsInForce(m, establishment.id, [phone], now);
    if (current)
      throw new DomainError(
        'ALREADY_SANCTIONED',
        `Ce numéro est déjà sanctionné ${current.until ? `jusqu’au ${dayLabel(lastDay(current.until, establishment.timeZone))} inclus` : 'sans fin'} : levez d’abord cette sanction depuis la liste des numéros sanctionnés pour en décider une autre.`,
        409,
      );
  }

  /** How many future booked calls a decision would cancel, for its read-back. */
  async callsToCancel(
    establishment: Establishment,
    what:
      | { detaineeId: string; contactId: string }
      | { detaineeId: string; decision: AccessDecision; untilDay: string | null }
      | { phone: string; untilDay: string | null },
  ): Promise<number> {
    const now = this.clock.now();
    const db = this.dataSource.manager;
    if ('contactId' in what) return countStoppedCalls(db, { establishmentId: establishment.id, ...what }, now);
    const until = what.untilDay ? endOfLocalDay(what.untilDay, establishment.timeZone) : null;
    if ('phone' in what) return countStoppedCalls(db, { establishmentId: establishment.id, phone: what.phone, startingBefore: until }, now);
    if (what.decision === 'RESTORE') return 0;
    return countStoppedCalls(
      db,
      { establishmentId: establishment.id, detaineeId: what.detaineeId, startingBefore: what.decision === 'SUSPEND' ? until : null },
      now,
    );
  }

  /**
   * Cancels, in the decision's transaction, the future booked calls it stops: each released on its
   * detainee's account and audited with the decision. Locks the calls (id order), then the accounts (detainee order).
   */
  private async stopCalls(
    m: EntityManager,
    actor: AgentActor,
    scope: StoppedCalls,
    reason: string,
    decision: { type: string; id: string },
  ): Promise<number> {
    const now = this.clock.now();
    // Read the clock again once the calls are locked: a call whose slot started while this waited (its code
    // sent by the job meanwhile) is closed by its outcome, never cancelled.
    const calls = (await lockStoppedCalls(m, scope, now)).filter((c) => c.startsAt.getTime() > this.clock.now().getTime());
    await lockAccounts(m, calls.map((c) => c.detaineeId).sort());
    for (const c of calls) {
      await cancelBooking(m, c.id, actor.id, reason, now);
      await changeBlocked(m, c.detaineeId, -c.blockedCents);
      const contactNotified = await queueCancelledCallSms(this.notifications, m, c, now);
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_CANCELLED',
          entityType: 'video_call_booking',
          entityId: c.id,
          establishmentId: scope.establishmentId,
          before: { status: 'BOOKED', blockedCents: c.blockedCents },
          after: { status: 'CANCELLED', reason, releasedCents: c.blockedCents, decision, contactNotified },
        },
        m,
      );
    }
    return calls.length;
  }

  private async maySign(db: EntityManager, establishment: Establishment, agentId: string): Promise<boolean> {
    const today = formatInTimeZone(this.clock.now(), establishment.timeZone, 'yyyy-MM-dd');
    return (await signatoryFor(db, establishment.id, agentId, today)) !== null;
  }
}
