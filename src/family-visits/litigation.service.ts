import { Inject, Injectable } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Establishment } from '../establishments/establishment.entity';
import { signatoryFor } from '../permits/signatory';
import { holdsRoleAt } from './decision.queries';
import { insertEvent } from './instruction.queries';
import { FINAL_STATUSES } from './decision.rules';
import { holdProblem, mayHold, retentionEndsAt } from './litigation.rules';
import { holdRequest, holdRequests, setRequestHold, type HoldRequest } from './litigation.queries';

const requestNotFound = () => new DomainError('NOT_FOUND', 'Demande introuvable dans ce dossier.', 404);
const notAllowed = () =>
  new DomainError(
    'NOT_SIGNATORY',
    'Seul le chef d’établissement, ou un agent qui a reçu délégation de signature, peut enregistrer ou lever une conservation pour contentieux.',
    403,
  );

/** A request as the case page's « Contentieux » section shows it. */
export interface HoldLine {
  id: string;
  /** « La personne détenue » or the visitor's name. */
  label: string;
  status: HoldRequest['status'];
  /** The day the hold was recorded (AAAA-MM-JJ, the establishment's day), or null: no hold. */
  sinceDay: string | null;
  note: string | null;
}

/** What the head reads back before lifting a hold. */
export interface LiftPreview extends HoldLine {
  caseReference: string;
  documents: number;
  /** The establishment's day from which the retention job deletes the documents again; null: at its next run. */
  deletableOn: string | null;
}

const labelOf = (r: Pick<HoldRequest, 'applicant' | 'visitorName'>) =>
  r.applicant === 'DETAINEE' ? 'La personne détenue' : (r.visitorName ?? 'Le visiteur');

/**
 * The litigation hold of UVF / PF requests (docs/retention.md), as permit requests have it: the head
 * of establishment (or a signature delegate) records that a recourse is formed against one request's
 * decision, with a note that describes it; while the hold lasts, the retention job keeps the request's
 * documents. Lifting it lets the retention run again on the decision's own clock. Both audited.
 */
@Injectable()
export class FamilyVisitLitigationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The case page's section: the requests held (any status) and those that may take a hold (decided or
   * withdrawn), and whether this agent may record or lift one. The case page has found the case of the
   * establishment first (404 otherwise); a case without requests yet has neither.
   */
  async panel(establishment: Establishment, caseId: string, agentId: string) {
    const db = this.dataSource.manager;
    const [requests, allowed] = await Promise.all([
      holdRequests(db, establishment.id, caseId),
      this.allowed(db, agentId, establishment.id, establishment.timeZone),
    ]);
    const lines = requests.map((r) => this.line(r, establishment.timeZone));
    return {
      mayHold: allowed,
      held: lines.filter((l) => l.sinceDay !== null),
      holdable: lines.filter((l) => l.sinceDay === null && FINAL_STATUSES.includes(l.status)),
    };
  }

  /** The hold to lift, read back: its note, the documents it keeps and when they go once it is lifted (403, 404, 409 as setHold). */
  async liftPreview(agentId: string, establishment: Establishment, caseId: string, requestId: string): Promise<LiftPreview> {
    const db = this.dataSource.manager;
    await this.check(db, agentId, establishment.id, establishment.timeZone);
    const r = await holdRequest(db, establishment.id, caseId, requestId);
    if (!r) throw requestNotFound();
    const problem = holdProblem(r.status, r.litigationHoldSince !== null, true);
    if (problem) throw new DomainError('NO_HOLD', problem, 409);
    const ends = retentionEndsAt(r, this.config.documents.retentionDays);
    return {
      ...this.line(r, r.timeZone),
      caseReference: r.caseReference,
      documents: r.documents,
      deletableOn: ends > this.clock.now() ? formatInTimeZone(ends, r.timeZone, 'yyyy-MM-dd') : null,
    };
  }

  /**
   * Records (a note given) or lifts (null) the hold of one request of a case: the head or a signature
   * delegate only (403), the request of a case of the establishment (404), a request decided or
   * withdrawn to record, a hold in force to lift (409). Recording it again changes the note and keeps
   * its start. Audited FAMILY_VISIT_LITIGATION_HOLD_SET / _LIFTED with before and after, and written in
   * the case's history (staff only).
   */
  async setHold(actor: Actor & { id: string }, establishment: Establishment, caseId: string, requestId: string, note: string | null) {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await this.check(m, actor.id, establishment.id, establishment.timeZone);
      const r = await holdRequest(m, establishment.id, caseId, requestId, true);
      if (!r) throw requestNotFound();
      const problem = holdProblem(r.status, r.litigationHoldSince !== null, note === null);
      if (problem) throw new DomainError(note === null ? 'NO_HOLD' : 'NOT_DECIDED', problem, 409);
      const since = note === null ? null : (r.litigationHoldSince ?? now);
      await setRequestHold(m, r.id, since, note);
      const who = r.applicant === 'DETAINEE' ? 'de la personne détenue' : `de ${r.visitorName ?? 'du visiteur'}`;
      await insertEvent(m, {
        caseId,
        requestId: r.id,
        kind: note === null ? 'LITIGATION_HOLD_LIFTED' : 'LITIGATION_HOLD_SET',
        message:
          note === null
            ? `Conservation pour contentieux levée sur la demande ${who} : ses documents suivent de nouveau la durée de conservation.`
            : `Recours enregistré sur la demande ${who} : ses documents sont conservés tant qu’il dure.`,
        actorType: 'AGENT',
        actorId: actor.id,
        at: now,
      });
      await this.audit.record(
        {
          actor,
          action: note === null ? 'FAMILY_VISIT_LITIGATION_HOLD_LIFTED' : 'FAMILY_VISIT_LITIGATION_HOLD_SET',
          entityType: 'family_visit_request',
          entityId: r.id,
          establishmentId: establishment.id,
          before: { since: r.litigationHoldSince, note: r.litigationNote },
          after: { since, note },
        },
        m,
      );
    });
  }

  private line(r: HoldRequest, timeZone: string): HoldLine {
    return {
      id: r.id,
      label: labelOf(r),
      status: r.status,
      sinceDay: r.litigationHoldSince ? formatInTimeZone(r.litigationHoldSince, timeZone, 'yyyy-MM-dd') : null,
      note: r.litigationNote,
    };
  }

  private async check(m: EntityManager, agentId: string, establishmentId: string, timeZone: string): Promise<void> {
    if (!(await this.allowed(m, agentId, establishmentId, timeZone))) throw notAllowed();
  }

  /** The head, or a signature delegate in force today who is not the SPIP counsellor (mayHold). */
  private async allowed(db: EntityManager, agentId: string, establishmentId: string, timeZone: string): Promise<boolean> {
    const signatory = await signatoryFor(db, establishmentId, agentId, formatInTimeZone(this.clock.now(), timeZone, 'yyyy-MM-dd'));
    const counsellor = await holdsRoleAt(db, agentId, establishmentId, 'SPIP_COUNSELLOR');
    return mayHold({ head: signatory !== null && !signatory.delegated, delegated: signatory?.delegated ?? false, counsellor });
  }
}
