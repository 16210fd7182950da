import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppointmentsService } from '../appointments/appointments.service';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { FamiliesService } from '../families/families.service';
import { familyDataPdf } from './my-data-pdf';
import {
  accountOf,
  appointmentsOf,
  connectionsOf,
  countersOf,
  familyVisitDocumentsOf,
  familyVisitEventsOf,
  familyVisitRequestsOf,
  interviewsOf,
  lettersOf,
  measuresOf,
  messagesOf,
  pendingOf,
  permitRequestsOf,
  permitsOf,
  preferencesOf,
  requestDocumentsOf,
  requestEventsOf,
  staysOf,
  visitorsOf,
  visitsOf,
  waitlistOf,
} from './my-data.queries';
import { buildExport, closureBlockers, type Blocker, type FamilyData, type FamilyDataExport } from './my-data.rules';

export type ExportFormat = 'PDF' | 'JSON';

/** A file to send: its bytes, type and name. */
export interface ExportFile {
  content: Buffer;
  contentType: string;
  fileName: string;
}

/** The closure was refused: what is still pending (the page lists it). */
export class ClosureRefused extends DomainError {
  constructor(readonly blockers: Blocker[]) {
    super('PROCEDURE_PENDING', 'Votre compte ne peut pas encore être fermé : une démarche est en cours.', 409);
  }
}

/** The family as the actor of its own export or closure. */
function familyActor(a: { id: string; givenName: string; familyName: string }): Actor {
  return { type: 'FAMILY', id: a.id, label: `${a.givenName} ${a.familyName}` };
}

/**
 * « Mes données » (RGPD, issue #16): the family downloads everything P2V holds about its account (PDF or
 * JSON), and may close the account once nothing is pending. Reads go through my-data.queries.ts, scoped by
 * the signed-in family's id; the writes of the closure go through the services that own the tables
 * (families, appointments), in one transaction that holds the account FOR UPDATE.
 */
@Injectable()
export class MyDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly families: FamiliesService,
    private readonly appointments: AppointmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** What the page says: the account, how much P2V holds, and whether (and why not) it may be closed now. */
  async overview(familyId: string): Promise<{ data: FamilyDataExport; blockers: Blocker[] }> {
    const db = this.dataSource.manager;
    const now = this.clock.now();
    const data = buildExport(await this.read(db, familyId), now);
    return { data, blockers: closureBlockers(await pendingOf(db, familyId, now)) };
  }

  /** The confirmation page of the closure: what is pending (nothing: the account may be closed). */
  async closureCheck(familyId: string): Promise<Blocker[]> {
    return closureBlockers(await pendingOf(this.dataSource.manager, familyId, this.clock.now()));
  }

  /**
   * Everything P2V holds about the family, as a PDF or a JSON file, built in memory (a family's data is
   * small; nothing is paginated); one audit entry per export, with its format, before the file is sent.
   */
  async export(familyId: string, format: ExportFormat): Promise<ExportFile> {
    const now = this.clock.now();
    const data = await this.read(this.dataSource.manager, familyId);
    const exported = buildExport(data, now);
    const file: ExportFile =
      format === 'PDF'
        ? { content: await familyDataPdf(exported, now), contentType: 'application/pdf', fileName: 'mes-donnees-p2v.pdf' }
        : {
            content: Buffer.from(JSON.stringify(exported, null, 2), 'utf8'),
            contentType: 'application/json; charset=utf-8',
            fileName: 'mes-donnees-p2v.json',
          };
    await this.audit.recordNow({
      actor: familyActor(data.account),
      action: 'FAMILY_DATA_EXPORTED',
      entityType: 'family_account',
      entityId: familyId,
      after: { format, bytes: file.content.length },
    });
    return file;
  }

  /**
   * Closes the family's account, in one transaction: the account locked FOR UPDATE first (a permit request,
   * booking or waiting-list entry written meanwhile waits, then is refused by the database: migration
   * FamilyAccountClosure; one committed before is seen by the check that follows), the pending procedures
   * checked (any: ClosureRefused, nothing changed), then the contact details erased (the account's e-mail and
   * mobile number, those copied on its past appointments), the account closed and the closure audited
   * (FAMILY_ACCOUNT_CLOSED, without the erased values). The caller ends the session.
   */
  async close(familyId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const account = await this.families.lockIn(m, familyId);
      if (!account || account.closedAt) throw new NotFoundException();
      const now = this.clock.now();
      const blockers = closureBlockers(await pendingOf(m, familyId, now));
      if (blockers.length) throw new ClosureRefused(blockers);
      const appointments = await this.appointments.forgetFamilyContactsIn(m, familyId, now);
      await this.families.closeIn(m, familyId, now);
      await this.audit.record(
        {
          actor: familyActor(account),
          action: 'FAMILY_ACCOUNT_CLOSED',
          entityType: 'family_account',
          entityId: familyId,
          before: { closedAt: null, email: account.email ? 'set' : null, mobilePhone: account.mobilePhone ? 'set' : null },
          after: { closedAt: now.toISOString(), email: null, mobilePhone: null, appointmentContactsErased: appointments },
        },
        m,
      );
    });
  }

  /** Every read of the export, on one manager, scoped by the family's id. */
  private async read(db: EntityManager, familyId: string): Promise<FamilyData> {
    const account = await accountOf(db, familyId);
    if (!account || account.closedAt) throw new NotFoundException();
    return {
      account,
      preferences: await preferencesOf(db, account.email, account.mobilePhone),
      permitRequests: await permitRequestsOf(db, familyId),
      requestDocuments: await requestDocumentsOf(db, familyId),
      requestEvents: await requestEventsOf(db, familyId),
      permits: await permitsOf(db, familyId),
      measures: await measuresOf(db, familyId),
      letters: await lettersOf(db, familyId),
      visits: await visitsOf(db, familyId),
      visitors: await visitorsOf(db, familyId),
      waitlist: await waitlistOf(db, familyId),
      familyVisitRequests: await familyVisitRequestsOf(db, familyId),
      familyVisitDocuments: await familyVisitDocumentsOf(db, familyId),
      familyVisitEvents: await familyVisitEventsOf(db, familyId),
      interviews: await interviewsOf(db, familyId),
      stays: await staysOf(db, familyId),
      appointments: await appointmentsOf(db, familyId),
      messages: await messagesOf(db, familyId, account.email, account.mobilePhone),
      connections: await connectionsOf(db, familyId),
      counters: await countersOf(db, familyId),
    };
  }
}
