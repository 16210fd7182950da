import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Actor, AuditService, SYSTEM_ACTOR } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Establishment } from '../establishments/establishment.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { cancelBooking, contactsOf, latestAccess } from './booking.queries';
import { queueCancelledCallSms } from './cancel-notice';
import { codeCheck, type CodeCheckResult, codeExpiresAt, hashCode, MAX_WRONG_ATTEMPTS, newCode } from './code.rules';
import {
  blankSpentCodeSms,
  bookingPrices,
  callTimes,
  claimDueCall,
  detaineeOfBooking,
  codeById,
  type CodeRow,
  countWrongAttempt,
  type DueCall,
  dueCallIds,
  dropCodeFromData,
  insertCode,
  liveCodeExists,
  lockAccount,
  lockBookingPrices,
  markCodeUsed,
  recordOutcome,
  settleAccount,
  shareDetainee,
} from './codes.queries';
import { codeStop, sendNowProblem } from './due-call.rules';
import { bookingCharge } from './held.rules';

/** A code's check: the rules' result, or CANCELLED when the call was cancelled since the code was sent. */
export type CheckResult = CodeCheckResult | 'CANCELLED';

/** The stored text of a code's SMS once the code is used or expired. */
export const SPENT_CODE_SMS = 'P2V Justice : le code de votre appel en visio a expiré.';

/** What sending a call's code did: sent, a code was already sent (none sent again), or the call cancelled instead. */
export type SendOutcome = { result: 'SENT' } | { result: 'ALREADY_SENT' } | { result: 'CANCELLED'; reason: string };

export const CANCELLED_MESSAGE = 'Cet appel a été annulé : ce code ne sert plus.';

export interface CheckAnswer {
  result: CheckResult;
  bookingId: string | null;
  /** Wrong attempts left after a WRONG answer. */
  attemptsLeft: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CONTACT: Actor = { type: 'SYSTEM', label: 'Contact (code de visio)' };

/**
 * The contacts' codes (issued at the slot's start, checked on the contact's page or by the video service)
 * and the call's outcome recorded by the officer (held and charged, or not honoured).
 */
@Injectable()
export class VideoCallCodesService {
  private readonly logger = new Logger('VideoCallCodes');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get secret(): string {
    return this.config.videoCalls.codeSecret;
  }

  /**
   * The periodic job: every booked call under way (slot started, not ended) that has no code gets one
   * (6 digits, stored hashed, distinct from every code still usable, valid 5 minutes from max(start, now),
   * capped at the slot's end), and its contact an SMS with it and the link to type it. Each call in its own
   * transaction (code, SMS, audit together): one call that fails is logged and retried at the next run, the
   * others are issued. Safe in several instances at once (SKIP LOCKED, codes looked up again after the
   * lock). A call that should have been stopped (contact no longer authorised, number sanctioned, access not
   * active: due-call.rules.ts codeStop) gets no code and is cancelled instead. Returns how many codes were issued.
   */
  async issueDueCodes(): Promise<number> {
    const now = this.clock.now();
    let issued = 0;
    for (const id of await dueCallIds(this.dataSource.manager, now)) {
      try {
        const outcome = await this.issueCode(id, now, SYSTEM_ACTOR, {});
        if (outcome.result === 'SENT') issued++;
        if (outcome.result === 'CANCELLED') this.logger.warn(`Video call ${id} cancelled instead of getting its code: ${outcome.reason}`);
      } catch (e) {
        this.logger.error(`No code issued for video call ${id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return issued;
  }

  /**
   * The officer sends the code of a call of the day's list now (the job was down, or failed for it): the
   * job's own path (issueCode), waiting for a run of the job that holds the call rather than skipping it. Only
   * for a booked call whose slot has started and not ended; a call that already has its code gets no other
   * (ALREADY_SENT); a call that should have been stopped is cancelled instead (CANCELLED). Audited under the officer.
   */
  async sendCodeNow(actor: Actor & { id: string }, establishment: Establishment, id: string): Promise<SendOutcome> {
    const now = this.clock.now();
    const explain = async () => {
      const call = await callTimes(this.dataSource.manager, establishment.id, id);
      if (!call) throw new DomainError('NO_BOOKING', 'Appel introuvable.', 404);
      const problem = sendNowProblem(call, now);
      if (problem) throw new DomainError(problem.code, problem.message, 409);
      return call;
    };
    if ((await explain()).codeSent) return { result: 'ALREADY_SENT' };
    const outcome = await this.issueCode(id, now, actor, { establishmentId: establishment.id, wait: true });
    if (outcome.result !== 'NONE') return outcome;
    // Not claimed: changed meanwhile (its code sent by the job, its outcome recorded, cancelled).
    await explain();
    return { result: 'ALREADY_SENT' };
  }

  private issueCode(
    id: string,
    now: Date,
    actor: Actor,
    claim: { establishmentId?: string; wait?: boolean },
  ): Promise<SendOutcome | { result: 'NONE' }> {
    return this.dataSource.transaction(async (m): Promise<SendOutcome | { result: 'NONE' }> => {
      // The detainee first, then the booking: the order of the decisions that stop calls (detainee, then its
      // bookings), so a decision recorded at the slot's start and the job wait for each other, never deadlock.
      const detaineeId = await detaineeOfBooking(m, id);
      if (!detaineeId) return { result: 'NONE' };
      await shareDetainee(m, detaineeId);
      const call = await claimDueCall(m, id, now, claim);
      if (!call) return { result: 'NONE' };
      const contact = (await contactsOf(m, call.establishmentId, call.detaineeId)).find((c) => c.id === call.contactId);
      if (!contact) throw new Error(`The contact of video call ${id} is not one of its detainee's`);
      const stop = codeStop(contact, await latestAccess(m, call.detaineeId), now, call.timeZone);
      if (stop) {
        await this.cancelUncalled(m, call, stop, actor, now);
        return { result: 'CANCELLED', reason: stop.reason };
      }
      let code = newCode();
      while (await liveCodeExists(m, hashCode(code, this.secret), now)) code = newCode();
      const expiresAt = codeExpiresAt(call.startsAt, call.endsAt, now);
      const codeId = await insertCode(m, call.id, hashCode(code, this.secret), expiresAt);
      const notificationId = await this.notifications.enqueue(
        m,
        {
          channel: 'SMS',
          to: call.phone,
          template: 'video-call-code',
          category: 'TRANSACTIONAL',
          data: { code, codeUrl: `/visio/code?appel=${codeId}` },
          entity: { type: 'video_call_booking', id: call.id },
          establishmentId: call.establishmentId,
        },
        now,
      );
      // The code is in the SMS's text only (rendered now), never in the outbox's data; blankSpentCodeSms
      // takes it out of the text once it is used or expired.
      await dropCodeFromData(m, notificationId);
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_CODE_SENT',
          entityType: 'video_call_booking',
          entityId: call.id,
          establishmentId: call.establishmentId,
          after: { codeId, expiresAt: expiresAt.toISOString() },
        },
        m,
      );
      return { result: 'SENT' };
    });
  }

  /**
   * A started call that must get no code, cancelled in the claim's transaction (the call already locked, then
   * its account, as a cancellation does): the blocked amount released, no agent as its author, the contact
   * told by SMS (no code will come), audited.
   */
  private async cancelUncalled(m: EntityManager, call: DueCall, stop: { code: string; reason: string }, actor: Actor, now: Date) {
    const account = await lockAccount(m, call.detaineeId);
    if (!account) throw new Error(`No phone account for the detainee of booking ${call.id}`);
    await cancelBooking(m, call.id, null, stop.reason, now);
    await settleAccount(m, call.detaineeId, 0, call.blockedCents);
    const contactNotified = await queueCancelledCallSms(this.notifications, m, call, now);
    await this.audit.record(
      {
        actor,
        action: 'VIDEO_CALL_CANCELLED',
        entityType: 'video_call_booking',
        entityId: call.id,
        establishmentId: call.establishmentId,
        before: { status: 'BOOKED', blockedCents: call.blockedCents },
        after: { status: 'CANCELLED', reason: stop.reason, releasedCents: call.blockedCents, check: stop.code, contactNotified },
      },
      m,
    );
  }

  /**
   * The periodic job's second step: the SMS of every code used or expired keeps no code — its stored text
   * becomes SPENT_CODE_SMS (an SMS not yet delivered then sends that text, which is what the contact needs
   * to know). Returns how many messages were blanked.
   */
  async blankSpentCodeSms(): Promise<number> {
    return blankSpentCodeSms(this.dataSource.manager, SPENT_CODE_SMS, this.clock.now());
  }

  /** Whether the contact's link points at a code (the page shows its form only then). */
  async codeExists(codeId: string): Promise<boolean> {
    return (await codeById(this.dataSource.manager, codeId)) !== null;
  }

  /** The contact's page: the code typed for the call of the link, checked with the code's row locked. */
  async checkOnPage(codeId: string, typed: string): Promise<CheckAnswer> {
    return this.dataSource.transaction(async (m) => {
      const row = await codeById(m, codeId, true);
      if (!row) throw new DomainError('NO_CODE', 'Ce lien ne correspond à aucun appel.', 404);
      return this.check(m, row, typed, 'page');
    });
  }

  /**
   * The video service's check: it names the call by the code's id (the `appel` of the SMS link, which the
   * contact gives it) and the typed code, checked exactly as on the contact's page, with the code's row
   * locked: every wrong attempt counts against that code, the 6th is refused. An unknown id is refused
   * like any other refusal (the service learns nothing about which codes or calls exist).
   */
  async checkForService(codeId: string, typed: string): Promise<CheckAnswer> {
    const refused: CheckAnswer = { result: 'WRONG', bookingId: null, attemptsLeft: null };
    if (!UUID.test(codeId)) return refused;
    return this.dataSource.transaction(async (m) => {
      const row = await codeById(m, codeId, true);
      if (!row) return refused;
      return this.check(m, row, typed, 'service');
    });
  }

  private async check(m: EntityManager, row: CodeRow, typed: string, via: 'page' | 'service'): Promise<CheckAnswer> {
    const now = this.clock.now();
    const result: CheckResult = row.bookingStatus === 'CANCELLED' ? 'CANCELLED' : codeCheck(row, typed, now, this.secret);
    let attemptsLeft: number | null = null;
    if (result === 'ACCEPTED') await markCodeUsed(m, row.id, now);
    if (result === 'WRONG') attemptsLeft = MAX_WRONG_ATTEMPTS - (await countWrongAttempt(m, row.id));
    await this.audit.record(
      {
        actor: CONTACT,
        action: 'VIDEO_CALL_CODE_CHECKED',
        entityType: 'video_call_booking',
        entityId: row.bookingId,
        establishmentId: row.establishmentId,
        after: { codeId: row.id, result, via },
      },
      m,
    );
    return { result, bookingId: result === 'ACCEPTED' ? row.bookingId : null, attemptsLeft };
  }

  /** The video service's key, compared in constant time (hashes of equal length). */
  serviceKeyMatches(presented: string | undefined): boolean {
    if (!presented) return false;
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(presented), digest(this.config.videoCalls.serviceApiKey));
  }

  /** What recording the call would do, for the read-back: the charge and what is released. */
  async preview(establishment: Establishment, id: string, seconds: number | null) {
    const b = await bookingPrices(this.dataSource.manager, establishment.id, id);
    if (!b) throw new DomainError('NO_BOOKING', 'Appel introuvable.', 404);
    return seconds === null ? { chargedCents: 0, releasedCents: b.blockedCents } : bookingCharge(b, seconds);
  }

  /**
   * Records the call's outcome, in one transaction: the booking then the phone account locked FOR UPDATE;
   * only a booked call whose slot has started. HELD: the real duration charged (minutes begun, booking's
   * prices, at most what was blocked) is debited from the balance and the whole blocked amount released;
   * NO_SHOW: nothing charged, all released. Audited.
   */
  async recordOutcome(
    actor: Actor & { id: string },
    establishment: Establishment,
    id: string,
    seconds: number | null,
  ): Promise<{ chargedCents: number; releasedCents: number }> {
    return this.dataSource.transaction(async (m) => {
      const b = await lockBookingPrices(m, establishment.id, id);
      if (!b) throw new DomainError('NO_BOOKING', 'Appel introuvable.', 404);
      if (b.status !== 'BOOKED') throw new DomainError('NOT_BOOKED', 'Le bilan de cet appel est déjà enregistré, ou il a été annulé.', 409);
      if (this.clock.now().getTime() < b.startsAt.getTime())
        throw new DomainError('NOT_STARTED', 'Cet appel n’a pas encore commencé : son bilan s’enregistre après le début du créneau.', 409);
      const account = await lockAccount(m, b.detaineeId);
      if (!account) throw new Error(`No phone account for the detainee of booking ${id}`);
      const money = seconds === null ? { chargedCents: 0, releasedCents: b.blockedCents } : bookingCharge(b, seconds);
      await recordOutcome(
        m,
        id,
        seconds === null ? { status: 'NO_SHOW' } : { status: 'HELD', durationSeconds: seconds, chargedCents: money.chargedCents },
      );
      await settleAccount(m, b.detaineeId, money.chargedCents, b.blockedCents);
      await this.audit.record(
        {
          actor,
          action: seconds === null ? 'VIDEO_CALL_NO_SHOW' : 'VIDEO_CALL_HELD',
          entityType: 'video_call_booking',
          entityId: id,
          establishmentId: establishment.id,
          before: { status: 'BOOKED', blockedCents: b.blockedCents, balanceCents: account.balanceCents },
          after: {
            status: seconds === null ? 'NO_SHOW' : 'HELD',
            durationSeconds: seconds,
            chargedCents: money.chargedCents,
            releasedCents: money.releasedCents,
            balanceCents: account.balanceCents - money.chargedCents,
          },
        },
        m,
      );
      return money;
    });
  }
}
