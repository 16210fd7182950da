import { Inject, Injectable } from '@nestjs/common';
import { subMonths } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { Establishment } from '../establishments/establishment.entity';
import { recordRequestEvent, requestOfFamily } from './permit-request.queries';
import { PERMIT_DOCUMENTS, type FamilyActor } from './permit-requests.service';
import { PermitFileStore } from './permit-files';
import {
  decisionDelays,
  deleteDraft,
  deleteFailuresBefore,
  DueMeasureRow,
  litigationHold,
  LitigationHold,
  markWithdrawn,
  measuresAwaitingDecision,
  openRequests,
  OpenRequestRow,
  PeriodCounts,
  periodCounts,
  permitsForReview,
  RegisterQuery,
  registerPage,
  RegisterRow,
  ReviewPermitRow,
  setLitigationHold,
} from './permit-register.queries';
import { grantRate, percentile, refusalRate } from './permit-register.rules';
import { PermitInstructionService } from './permit-instruction.service';
import { daysLeft, WITHDRAWABLE_STATUSES } from './permit.rules';
import { tr } from '../common/translate';
import { APP_CONFIG, type AppConfig } from '../config/config';

/** Failed look-ups and claims serve only the hourly limits: kept 30 days, for an abuse to be looked into. */
export const FAILURES_RETENTION_DAYS = 30;

export interface Dashboard {
  ready: (OpenRequestRow & { daysLeft: number | null })[];
  open: (OpenRequestRow & { daysLeft: number | null })[];
  review: ReviewPermitRow[];
  measures: DueMeasureRow[];
  stats: PeriodCounts & {
    grantRate: number | null;
    refusalRate: number | null;
    medianDays: number | null;
    p90Days: number | null;
  };
}

export interface RetentionReport {
  documents: number;
  permitLookupFailures: number;
  permitClaimFailures: number;
}

const notFound = () => new DomainError('NOT_FOUND', tr('permits:errors.requestNotFound'), 404);

/**
 * The family's withdrawal of its own request; the establishment's register of permits, the head's
 * dashboard and the litigation hold; the retention job (docs/retention.md).
 */
@Injectable()
export class PermitRegisterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly instruction: PermitInstructionService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PERMIT_DOCUMENTS) private readonly store: PermitFileStore,
  ) {}

  /** The family's own request, if it may still be withdrawn or, a draft, deleted (404 for another family's, 409 once decided). */
  async withdrawable(familyId: string, id: string) {
    const request = await requestOfFamily(this.dataSource.manager, familyId, id);
    if (!request) throw notFound();
    if (request.status === 'DRAFT') return request;
    if (!WITHDRAWABLE_STATUSES.includes(request.status))
      throw new DomainError('NOT_WITHDRAWABLE', tr('permits:errors.notWithdrawable'), 409);
    return request;
  }

  /**
   * The family withdraws its request: status WITHDRAWN, an event in its history, an audit entry. A draft,
   * never sent, is simply deleted with its files ('deleted' is returned).
   */
  async withdraw(family: FamilyActor, id: string): Promise<'withdrawn' | 'deleted'> {
    await this.withdrawable(family.id, id);
    const now = this.clock.now();
    const files: string[] = [];
    const outcome = await this.dataSource.transaction(async (m) => {
      const r = await requestOfFamily(m, family.id, id, true);
      if (!r) throw notFound();
      if (r.status === 'DRAFT') {
        files.push(...(await deleteDraft(m, id)));
        await this.audit.record(
          {
            actor: family,
            action: 'PERMIT_REQUEST_DRAFT_DELETED',
            entityType: 'permit_request',
            entityId: id,
            establishmentId: r.establishmentId,
            after: { documents: files.length },
          },
          m,
        );
        return 'deleted' as const;
      }
      if (!WITHDRAWABLE_STATUSES.includes(r.status)) throw new DomainError('NOT_WITHDRAWABLE', tr('permits:errors.notWithdrawable'), 409);
      await markWithdrawn(m, id, now);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'WITHDRAWN', actor: family });
      await this.audit.record(
        {
          actor: family,
          action: 'PERMIT_REQUEST_WITHDRAWN',
          entityType: 'permit_request',
          entityId: id,
          establishmentId: r.establishmentId,
          before: { status: r.status },
          after: { status: 'WITHDRAWN' },
        },
        m,
      );
      return 'withdrawn' as const;
    });
    // After the commit; if the process dies first, the orphan-file sweep deletes them.
    for (const key of files) await this.store.delete(key);
    return outcome;
  }

  async litigationHold(establishmentId: string, requestId: string): Promise<LitigationHold> {
    const hold = await litigationHold(this.dataSource.manager, establishmentId, requestId);
    if (!hold) throw notFound();
    return hold;
  }

  /**
   * Records (note given) or lifts (note null) a litigation hold: while a recourse is recorded, the
   * request's documents are kept whatever the retention period.
   */
  async setLitigationHold(actor: Actor, establishmentId: string, requestId: string, note: string | null): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const before = await litigationHold(m, establishmentId, requestId);
      if (!before) throw notFound();
      if (note === null && !before.since) throw new DomainError('NO_HOLD', 'Aucune conservation pour contentieux n’est en cours.', 409);
      await setLitigationHold(m, requestId, note === null ? null : (before.since ?? now), note);
      await this.audit.record(
        {
          actor,
          action: note === null ? 'PERMIT_REQUEST_LITIGATION_HOLD_LIFTED' : 'PERMIT_REQUEST_LITIGATION_HOLD_SET',
          entityType: 'permit_request',
          entityId: requestId,
          establishmentId,
          before: { since: before.since, note: before.note },
          after: { note },
        },
        m,
      );
    });
  }

  today(establishment: Establishment): string {
    return formatInTimeZone(this.clock.now(), establishment.timeZone, 'yyyy-MM-dd');
  }

  register(
    establishment: Establishment,
    q: Omit<RegisterQuery, 'today'>,
    pageSize: number,
  ): Promise<{ total: number; rows: RegisterRow[] }> {
    return registerPage(this.dataSource.manager, establishment.id, { ...q, today: this.today(establishment) }, pageSize);
  }

  /** The head's dashboard; statistics over [from, to) (default: the last 12 months). */
  async dashboard(establishment: Establishment, period: { from?: Date; to?: Date } = {}): Promise<Dashboard & { from: Date; to: Date }> {
    const db = this.dataSource.manager;
    const now = this.clock.now();
    const to = period.to ?? now;
    const from = period.from ?? subMonths(to, 12);
    const withDays = (r: OpenRequestRow) => ({
      ...r,
      daysLeft: r.completeAt && r.status !== 'INCOMPLETE' ? daysLeft(new Date(r.completeAt), now) : null,
    });
    const open = (await openRequests(db, establishment.id)).map(withDays);
    const counts = await periodCounts(db, establishment.id, from, to);
    const delays = await decisionDelays(db, establishment.id, from, to);
    const median = percentile(delays, 0.5);
    const p90 = percentile(delays, 0.9);
    return {
      from,
      to,
      ready: open.filter((r) => r.status === 'READY'),
      open,
      review: await permitsForReview(db, establishment.id),
      measures: await measuresAwaitingDecision(db, establishment.id, this.today(establishment)),
      stats: {
        ...counts,
        grantRate: grantRate(counts),
        refusalRate: refusalRate(counts),
        medianDays: median === null ? null : Math.round(median * 10) / 10,
        p90Days: p90 === null ? null : Math.round(p90 * 10) / 10,
      },
    };
  }

  /**
   * The retention job (docs/retention.md): the documents of requests decided or withdrawn more than
   * DOCUMENTS_RETENTION_DAYS ago (litigation holds and permits' photos kept), the failed look-ups and
   * claims older than 30 days. Each run that deletes something writes one audit entry with the counts.
   */
  async applyRetention(): Promise<RetentionReport> {
    const now = this.clock.now();
    const documents = await this.instruction.purgeDocuments(this.config.documents.retentionDays);
    return this.dataSource.transaction(async (m) => {
      const failures = await deleteFailuresBefore(m, new Date(now.getTime() - FAILURES_RETENTION_DAYS * 86400_000));
      const report = { documents, permitLookupFailures: failures.lookups, permitClaimFailures: failures.claims };
      if (documents || failures.lookups || failures.claims) {
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: 'durées de conservation' },
            action: 'RETENTION_APPLIED',
            entityType: 'retention',
            after: {
              permit_documents: documents,
              permit_lookup_failures: failures.lookups,
              permit_claim_failures: failures.claims,
            },
          },
          m,
        );
      }
      return report;
    });
  }
}
