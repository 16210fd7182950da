import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Establishment } from '../establishments/establishment.entity';
import {
  ImportPlan,
  type ImportPreview,
  type ImportRecord,
  LineError,
  massReleaseMessage,
  parseGenesisCsv,
  planImport,
  previewOf,
  TRANSFER_WINDOW_DAYS,
} from './detainee-import.rules';
import {
  countDetainees,
  decideTransferProposal,
  deleteImportPreview,
  DetaineeListRow,
  detaineesOf,
  insertDetainee,
  importPreview,
  insertTransferProposal,
  listDetainees,
  lockEstablishmentForImport,
  markTransferred,
  pendingTransferProposals,
  releaseDetainee,
  saveImportPreview,
  transferCandidates,
  transferProposal,
  TransferProposalRow,
  updateDetainee,
} from './detainee.queries';

/** Reacts, in the import's transaction, to a detainee who became condamné. */
export type ConvictionHook = (m: EntityManager, actor: Actor, establishmentId: string, detaineeId: string) => Promise<void>;

/** A file previewed: what it would change, kept until the administrator confirms it. */
export interface ShownPreview {
  previewId: string;
  fileName: string;
  preview: ImportPreview;
  /** The share set (GENESIS_RELEASE_CONFIRM_PERCENT). */
  percent: number;
}

export type PreviewResult = { ok: false; errors: LineError[] } | ({ ok: true } & ShownPreview);

/** What the importing establishment is told: its own changes only. */
export interface ImportReport {
  ok: boolean;
  errors: LineError[];
  created: number;
  updated: number;
  released: number;
  unchanged: number;
  /** The name of the file imported. */
  fileName?: string;
}

@Injectable()
export class DetaineesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(establishmentId: string, search: string, page: number, pageSize: number): Promise<{ total: number; rows: DetaineeListRow[] }> {
    const db = this.dataSource.manager;
    const [total, rows] = await Promise.all([
      countDetainees(db, establishmentId, search),
      listDetainees(db, establishmentId, search, pageSize, (page - 1) * pageSize),
    ]);
    return { total, rows };
  }

  /**
   * Reads a GENESIS export for one establishment and says what it would change (arrivals, transfers,
   * releases, status changes), writing nothing but the file kept for the confirmation (`applyPreview`).
   * Any bad line and there is nothing to confirm: the lines to correct are listed.
   */
  async previewCsv(actor: Actor, establishment: Establishment, fileName: string, text: string): Promise<PreviewResult> {
    const now = this.clock.now();
    const { records, errors } = parseGenesisCsv(text, now.toISOString().slice(0, 10));
    if (errors.length) return { ok: false, errors };
    return this.dataSource.transaction(async (m) => {
      const { preview } = await this.plan(m, establishment, records, now);
      const previewId = await saveImportPreview(m, {
        establishmentId: establishment.id,
        agentId: agentIdOf(actor),
        fileName: fileName.slice(0, 255),
        content: text,
      });
      await this.audit.record(
        {
          actor,
          action: 'DETAINEES_IMPORT_PREVIEWED',
          entityType: 'establishment',
          entityId: establishment.id,
          establishmentId: establishment.id,
          after: { ...preview, lines: records.length, preview: previewId },
        },
        m,
      );
      return { ok: true, previewId, fileName, preview, percent: this.releasePercent };
    });
  }

  /** A preview of the establishment, as shown again (after a refused confirmation); 404 when it was applied or replaced. */
  async shownPreview(establishment: Establishment, previewId: string): Promise<ShownPreview> {
    const db = this.dataSource.manager;
    const row = await importPreview(db, establishment.id, previewId);
    if (!row) throw new NotFoundException();
    const now = this.clock.now();
    const { records } = parseGenesisCsv(row.content, now.toISOString().slice(0, 10));
    const { preview } = await this.plan(db, establishment, records, now);
    return { previewId: row.id, fileName: row.fileName, preview, percent: this.releasePercent };
  }

  /**
   * Applies a previewed import: all or nothing, planned again under the establishment's lock (the
   * population may have changed since the preview). Creations, updates and releases of the
   * establishment's own detainees are applied in one transaction, each audited. A file that would release
   * more than the share set (GENESIS_RELEASE_CONFIRM_PERCENT) is refused without `confirmMassRelease`. A
   * newcomer who matches a person of another establishment becomes a transfer proposed to that
   * establishment, which the report does not tell.
   */
  async applyPreview(actor: Actor, establishment: Establishment, previewId: string, confirmMassRelease: boolean): Promise<ImportReport> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const row = await importPreview(m, establishment.id, previewId, true);
      if (!row)
        throw new DomainError(
          'PREVIEW_GONE',
          'Cet aperçu n’est plus valable (déjà importé ou remplacé) : importez le fichier de nouveau.',
          409,
        );
      const { records, errors } = parseGenesisCsv(row.content, now.toISOString().slice(0, 10));
      if (errors.length) throw new DomainError('PREVIEW_GONE', 'Le fichier n’est plus valable : importez-le de nouveau.', 409);
      await lockEstablishmentForImport(m, establishment.id);
      const { plan, preview } = await this.plan(m, establishment, records, now);
      if (preview.massRelease && !confirmMassRelease)
        throw new DomainError('MASS_RELEASE', massReleaseMessage(preview, this.releasePercent), 409);
      await this.apply(m, actor, establishment, plan, now);
      await deleteImportPreview(m, row.id);
      const report: ImportReport = {
        ok: true,
        errors: [],
        created: plan.creates.length,
        updated: plan.updates.length,
        released: plan.releases.length,
        unchanged: plan.unchanged,
      };
      await this.audit.record(
        {
          actor,
          action: 'DETAINEES_IMPORTED',
          entityType: 'establishment',
          entityId: establishment.id,
          establishmentId: establishment.id,
          after: {
            ...report,
            errors: undefined,
            lines: records.length,
            fileName: row.fileName,
            ...(preview.massRelease ? { massReleaseConfirmed: true, releasePercent: preview.releasePercent } : {}),
          },
        },
        m,
      );
      return { ...report, fileName: row.fileName };
    });
  }

  /** The share (%) of the population above which releases need an explicit confirmation. */
  private get releasePercent(): number {
    return this.config.genesisReleaseConfirmPercent;
  }

  private async plan(m: EntityManager, establishment: Establishment, records: ImportRecord[], now: Date) {
    const here = await detaineesOf(m, establishment.id);
    const elsewhere = await transferCandidates(m, establishment.id, new Date(now.getTime() - TRANSFER_WINDOW_DAYS * 86400_000));
    const plan = planImport(records, here, elsewhere, now);
    const transferring = new Set((await pendingTransferProposals(m, establishment.id)).map((t) => t.detaineeId));
    return { plan, preview: previewOf(plan, here, transferring, this.releasePercent) };
  }

  private readonly convictionHooks: ConvictionHook[] = [];

  /** Registers what must happen, in the import's transaction, when a detainee becomes condamné (from PREVENU or MIXTE). */
  onConviction(hook: ConvictionHook): void {
    this.convictionHooks.push(hook);
  }

  private async apply(m: EntityManager, actor: Actor, establishment: Establishment, plan: ImportPlan, now: Date) {
    const base = { actor, entityType: 'detainee', establishmentId: establishment.id };
    for (const r of plan.creates) {
      const id = await insertDetainee(m, establishment.id, r);
      await this.audit.record(
        {
          ...base,
          action: 'DETAINEE_CREATED',
          entityId: id,
          after: { ecrou: r.ecrouNumber, lastName: r.lastName, firstName: r.firstName, birthDate: r.birthDate, legalStatus: r.legalStatus },
        },
        m,
      );
    }
    for (const u of plan.updates) {
      const r = u.record;
      await updateDetainee(m, u.id, r);
      const b = u.before;
      // Condamné now (from prévenu or mixed): the hooks react in this transaction (permits: the head's review, R341-5).
      if (b.legalStatus !== 'CONDAMNE' && r.legalStatus === 'CONDAMNE') {
        for (const hook of this.convictionHooks) await hook(m, actor, establishment.id, u.id);
      }
      await this.audit.record(
        {
          ...base,
          action: 'DETAINEE_UPDATED',
          entityId: u.id,
          before: {
            lastName: b.lastName,
            firstName: b.firstName,
            birthDate: b.birthDate,
            legalStatus: b.legalStatus,
            custodyStatus: b.custodyStatus,
            housing: b.housing ?? null,
          },
          after: {
            lastName: r.lastName,
            firstName: r.firstName,
            birthDate: r.birthDate,
            legalStatus: r.legalStatus,
            custodyStatus: 'PRESENT',
            housing: r.housing === undefined ? (b.housing ?? null) : r.housing,
          },
        },
        m,
      );
    }
    for (const d of plan.releases) {
      await releaseDetainee(m, d.id, now);
      await this.audit.record(
        {
          ...base,
          action: 'DETAINEE_RELEASED',
          entityId: d.id,
          before: { custodyStatus: d.custodyStatus },
          after: { custodyStatus: 'LIBERE' },
        },
        m,
      );
    }
    for (const t of plan.transferProposals) {
      const id = await insertTransferProposal(m, {
        detaineeId: t.from.id,
        toEstablishmentId: establishment.id,
        newEcrou: t.record.ecrouNumber,
        detectedAt: now,
      });
      if (!id) continue; // proposed by an earlier import (pending or already decided)
      await this.audit.record(
        {
          actor,
          action: 'DETAINEE_TRANSFER_PROPOSED',
          entityType: 'detainee_transfer_proposal',
          entityId: id,
          // The detainee's own establishment: the one to decide.
          establishmentId: t.from.establishmentId,
          after: { detainee: t.from.id, to: establishment.code, newEcrou: t.record.ecrouNumber },
        },
        m,
      );
    }
  }

  /** The transfers other establishments' imports detected for this establishment's detainees, awaiting its decision. */
  pendingTransfers(establishment: Establishment): Promise<TransferProposalRow[]> {
    return pendingTransferProposals(this.dataSource.manager, establishment.id);
  }

  /** A pending proposal about a detainee of this establishment; 404 for any other. */
  async pendingTransfer(establishment: Establishment, proposalId: string): Promise<TransferProposalRow> {
    const proposal = await transferProposal(this.dataSource.manager, establishment.id, proposalId);
    if (!proposal || proposal.status !== 'PENDING' || proposal.custodyStatus === 'TRANSFERE') throw new NotFoundException();
    return proposal;
  }

  /**
   * The establishment confirms that its detainee was transferred: the record becomes TRANSFERE to
   * the establishment that detected the arrival (the trigger flags the detainee's future visits).
   */
  async confirmTransfer(actor: Actor, establishment: Establishment, proposalId: string): Promise<TransferProposalRow> {
    return this.dataSource.transaction(async (m) => {
      const proposal = await this.lockPending(m, establishment, proposalId);
      const now = this.clock.now();
      await markTransferred(m, proposal.detaineeId, proposal.toEstablishmentId, now);
      await decideTransferProposal(m, proposal.id, { status: 'CONFIRMED', decidedBy: agentIdOf(actor), decidedAt: now });
      await this.audit.record(
        {
          actor,
          action: 'DETAINEE_TRANSFERRED',
          entityType: 'detainee',
          entityId: proposal.detaineeId,
          establishmentId: establishment.id,
          before: { custodyStatus: proposal.custodyStatus },
          after: { custodyStatus: 'TRANSFERE', to: proposal.toEstablishmentCode, newEcrou: proposal.newEcrou, proposal: proposal.id },
        },
        m,
      );
      return proposal;
    });
  }

  /** The establishment says the person who arrived elsewhere is not its detainee: nothing changes, and the same match is not proposed again. */
  async dismissTransfer(actor: Actor, establishment: Establishment, proposalId: string): Promise<TransferProposalRow> {
    return this.dataSource.transaction(async (m) => {
      const proposal = await this.lockPending(m, establishment, proposalId);
      await decideTransferProposal(m, proposal.id, { status: 'DISMISSED', decidedBy: agentIdOf(actor), decidedAt: this.clock.now() });
      await this.audit.record(
        {
          actor,
          action: 'DETAINEE_TRANSFER_DISMISSED',
          entityType: 'detainee_transfer_proposal',
          entityId: proposal.id,
          establishmentId: establishment.id,
          after: { detainee: proposal.detaineeId, to: proposal.toEstablishmentCode, newEcrou: proposal.newEcrou },
        },
        m,
      );
      return proposal;
    });
  }

  private async lockPending(m: EntityManager, establishment: Establishment, proposalId: string): Promise<TransferProposalRow> {
    const proposal = await transferProposal(m, establishment.id, proposalId, { lock: true });
    if (!proposal) throw new NotFoundException();
    if (proposal.status !== 'PENDING') throw new DomainError('TRANSFER_ALREADY_DECIDED', 'Ce transfert signalé a déjà été traité.', 409);
    if (proposal.custodyStatus === 'TRANSFERE')
      throw new DomainError('DETAINEE_ALREADY_TRANSFERRED', 'Cette personne est déjà enregistrée comme transférée.', 409);
    return proposal;
  }
}

/** The agent who decided, for `decided_by` (a reference to agents). */
function agentIdOf(actor: Actor): string | null {
  return actor.type === 'AGENT' ? (actor.id ?? null) : null;
}
