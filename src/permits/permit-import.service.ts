import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor, AuditService, SYSTEM_ACTOR } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DocumentStore } from '../common/document-store';
import { DomainError } from '../common/domain-error';
import { runPeriodically } from '../common/periodic';
import { PermitFileStore } from './permit-files';
import {
  assignPhotos,
  checkAgainst,
  hasControlCharacter,
  type ImportLine,
  MAX_IMPORT_CSV_BYTES,
  parsePermitCsv,
  previewOrder,
} from './permit-import.rules';
import {
  cancelImport,
  cancelStale,
  createdPermits,
  existingVisitorKeys,
  failImport,
  finishImport,
  type ImportedPermit,
  insertImportedPermits,
  insertPermitImport,
  lockImports,
  permitImport,
  type PermitImportRow,
  presentDetainees,
  previewLines,
  recentImports,
  setProgress,
  stalePreviews,
  staleRuns,
  startImport,
  establishmentTimeZone,
} from './permit-import.queries';
import { eachZipEntry, listZip, ZipError } from './permit-import.zip';
import { ordersInForceOf } from './decisions.queries';
import { establishmentDay } from './permit-measures.rules';
import { PERMIT_DOCUMENTS } from './permit-requests.service';
import { newClaimCode } from './permit-validity';
import { checkPhoto, MAX_UPLOAD_BYTES } from './uploads';

/** Where the uploaded ZIPs wait between the preview and the import (encrypted, keyed by the import id). */
export const PERMIT_IMPORT_STAGING = Symbol('PERMIT_IMPORT_STAGING');

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

/** A preview not applied within this time is cancelled and its ZIP deleted. */
const PREVIEW_HOURS = 24;

/**
 * Bulk digitisation of the establishment's existing permits (docs/permits-csv.md): a CSV and a ZIP
 * of photos are checked and previewed; the import is then all or nothing, in the background.
 */
@Injectable()
export class PermitImportService {
  private readonly logger = new Logger('PermitImport');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(PERMIT_DOCUMENTS) private readonly store: PermitFileStore,
    @Inject(PERMIT_IMPORT_STAGING) private readonly staging: DocumentStore,
  ) {}

  /**
   * Reads both files and records the preview: each line with what will be created or why it is
   * rejected. The ZIP is kept, encrypted, until the import is applied or abandoned.
   */
  async preview(actor: Actor, establishmentId: string, csv: UploadedFile | undefined, zip: UploadedFile | undefined): Promise<string> {
    if (!csv || csv.buffer.length === 0) throw new DomainError('NO_CSV', 'Choisissez le fichier CSV des permis.');
    if (csv.buffer.length > MAX_IMPORT_CSV_BYTES) throw new DomainError('BAD_CSV', 'Le fichier CSV dépasse 2 Mo : découpez-le.');
    if (!zip || zip.buffer.length === 0) throw new DomainError('NO_ZIP', 'Choisissez le fichier ZIP des photos.');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(csv.buffer);
    if (text.includes('\uFFFD')) throw new DomainError('BAD_CSV', 'Le fichier CSV doit être enregistré en UTF-8.');
    const today = this.clock.now().toISOString().slice(0, 10);
    const parsed = parsePermitCsv(text, today);
    if (parsed.fileError !== null) throw new DomainError('BAD_CSV', parsed.fileError);
    const { lines } = parsed;
    const fileName = printable(csv.originalname) || 'permis.csv';
    const zipName = printable(zip.originalname) || 'photos.zip';
    let entries;
    try {
      entries = listZip(zip.buffer);
    } catch (e) {
      throw new DomainError('BAD_ZIP', e instanceof ZipError ? e.message : 'Le fichier n’est pas un ZIP lisible.');
    }
    assignPhotos(lines, entries, MAX_UPLOAD_BYTES);
    await this.checkPhotos(zip.buffer, lines, entries);
    await this.dataSource.transaction(async (m) => {
      await this.checkDatabase(m, establishmentId, lines);
    });
    const id = randomUUID();
    await this.staging.put(zip.buffer, id);
    try {
      await this.dataSource.transaction(async (m) => {
        await insertPermitImport(m, { id, establishmentId, createdBy: actor.id!, fileName, lines });
        const rejected = lines.filter((l) => l.reasons.length > 0).length;
        await this.audit.record(
          {
            actor,
            action: 'PERMITS_IMPORT_PREVIEWED',
            entityType: 'permit_import',
            entityId: id,
            establishmentId,
            after: { file: fileName, zip: zipName, lines: lines.length, rejected },
          },
          m,
        );
      });
    } catch (e) {
      await this.staging.delete(id);
      throw e;
    }
    return id;
  }

  private async checkDatabase(m: Parameters<typeof lockImports>[0], establishmentId: string, lines: ImportLine[]): Promise<void> {
    const ecrous = [...new Set(lines.map((l) => l.ecrou).filter((e) => /^[0-9A-Z]{1,20}$/.test(e)))];
    const detainees = await presentDetainees(m, establishmentId, ecrous);
    const existing = await existingVisitorKeys(
      m,
      detainees.map((d) => d.id),
    );
    const orders = await ordersInForceOf(
      m,
      detainees.map((d) => d.id),
      establishmentDay(this.clock.now(), await establishmentTimeZone(m, establishmentId)),
    );
    checkAgainst(lines, detainees, existing, orders);
  }

  /** Every photo a line uses is checked by its content (JPEG or PNG, at least 200 × 200, 10 MB at most). */
  private async checkPhotos(zip: Buffer, lines: ImportLine[], entries: { name: string; size: number }[]): Promise<void> {
    const byName = new Map<string, ImportLine>(lines.flatMap((l) => (l.photo ? [[l.photo, l] as const] : [])));
    const wanted = entries.filter((e) => byName.has(e.name));
    try {
      await eachZipEntry(zip, wanted, async (name, content) => {
        const checked = await checkPhoto(content);
        const line = byName.get(name)!;
        if (!checked.ok) {
          line.reasons.push(`photo ${name} refusée : ${checked.message.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())}`);
          line.photo = null;
        }
      });
    } catch (e) {
      throw new DomainError('BAD_ZIP', e instanceof ZipError ? e.message : 'Le fichier ZIP est abîmé.');
    }
  }

  async recent(establishmentId: string): Promise<PermitImportRow[]> {
    return recentImports(this.dataSource.manager, establishmentId);
  }

  async find(establishmentId: string, id: string): Promise<PermitImportRow | null> {
    return permitImport(this.dataSource.manager, establishmentId, id);
  }

  /** The preview's lines, rejected first, a page at a time. */
  async previewPage(id: string, page: number, pageSize: number): Promise<{ total: number; rows: ImportLine[] }> {
    const lines = previewOrder(await previewLines(this.dataSource.manager, id));
    return { total: lines.length, rows: lines.slice((page - 1) * pageSize, page * pageSize) };
  }

  createdPage(id: string, page: number, pageSize: number) {
    return createdPermits(this.dataSource.manager, id, page, pageSize);
  }

  async cancel(actor: Actor, establishmentId: string, id: string): Promise<void> {
    const done = await this.dataSource.transaction(async (m) => {
      if (!(await cancelImport(m, establishmentId, id, this.clock.now()))) return false;
      await this.audit.record({ actor, action: 'PERMITS_IMPORT_CANCELLED', entityType: 'permit_import', entityId: id, establishmentId }, m);
      return true;
    });
    if (!done) throw new DomainError('IMPORT_NOT_PENDING', 'Cet import n’est plus en attente.', 409);
    await this.staging.delete(id);
  }

  /**
   * Starts the import of a preview without any rejected line (all or nothing). The work runs in the
   * background: the import page shows its progress.
   */
  async apply(actor: Actor, establishmentId: string, id: string): Promise<void> {
    const previewSince = new Date(this.clock.now().getTime() - PREVIEW_HOURS * 3600_000);
    const started = await this.dataSource.transaction((m) => startImport(m, establishmentId, id, previewSince));
    if (!started)
      throw new DomainError(
        'IMPORT_NOT_READY',
        'Cet import ne peut pas être lancé : des lignes sont refusées, il est déjà lancé, ou son aperçu a plus de 24 heures (déposez le fichier de nouveau).',
        409,
      );
    setImmediate(() => {
      this.run(actor, establishmentId, id).catch((e: unknown) => this.logger.error(`Import ${id} failed: ${String(e)}`));
    });
  }

  /**
   * Writes every photo to the document store, then inserts all the photos' records and permits in
   * one transaction, audited once. On any failure nothing is left: the files written are deleted and
   * the import is FAILED with its reason in French.
   */
  async run(actor: Actor, establishmentId: string, id: string): Promise<void> {
    const written: string[] = [];
    // Once the transaction has committed, the photos belong to permits: no later failure deletes them.
    let committed = false;
    try {
      const lines = await previewLines(this.dataSource.manager, id);
      const zip = await this.staging.get(id);
      const entries = listZip(zip);
      const byName = new Map(lines.map((l) => [l.photo!, l]));
      const wanted = entries.filter((e) => byName.has(e.name));
      const permits: ImportedPermit[] = [];
      await eachZipEntry(zip, wanted, async (name, content) => {
        const line = byName.get(name)!;
        const checked = await checkPhoto(content);
        if (!checked.ok) throw new ImportFailure(`Ligne ${line.line} : la photo ${name} est refusée (${checked.message})`);
        const stored = await this.store.put(checked.content);
        written.push(stored.storageKey);
        permits.push({
          id: randomUUID(),
          photoId: randomUUID(),
          storageKey: stored.storageKey,
          sha256: stored.sha256,
          sizeBytes: checked.content.length,
          claimCode: newClaimCode(),
          line: line as ImportedPermit['line'],
        });
        if (permits.length % 25 === 0) await setProgress(this.dataSource.manager, id, permits.length);
      });
      if (permits.length !== lines.length) throw new ImportFailure('Des photos manquent dans le fichier ZIP conservé.');
      await this.dataSource.transaction(async (m) => {
        await lockImports(m, establishmentId);
        // The establishment may have changed since the preview (a transfer, a permit recorded meanwhile).
        const recheck = lines.map((l) => ({ ...l, reasons: [] as string[], detaineeId: null, detaineeName: null }));
        await this.checkDatabase(m, establishmentId, recheck);
        const changed = recheck.find((l) => l.reasons.length > 0 || l.detaineeId !== lines.find((x) => x.line === l.line)?.detaineeId);
        if (changed)
          throw new ImportFailure(
            `Ligne ${changed.line} : ${changed.reasons[0] ?? 'la personne détenue a changé'} depuis l’aperçu. Importez le fichier de nouveau.`,
          );
        await insertImportedPermits(m, establishmentId, id, permits);
        if (!(await finishImport(m, id, permits.length, this.clock.now())))
          throw new ImportFailure('L’import a été interrompu : aucun permis n’a été créé. Importez le fichier de nouveau.');
        await this.audit.record(
          {
            actor,
            action: 'PERMITS_IMPORTED',
            entityType: 'permit_import',
            entityId: id,
            establishmentId,
            after: {
              permits: permits.length,
              paper: permits.filter((p) => p.line.origin === 'PAPER').length,
              magistrate: permits.filter((p) => p.line.origin === 'MAGISTRATE').length,
            },
          },
          m,
        );
      });
      committed = true;
    } catch (e) {
      for (const key of written) await this.store.delete(key);
      const message =
        e instanceof ImportFailure || e instanceof ZipError ? e.message : 'Erreur inattendue pendant l’import : aucun permis n’a été créé.';
      if (!(e instanceof ImportFailure)) this.logger.error(`Import ${id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      await failImport(this.dataSource.manager, id, message, this.clock.now());
    }
    // The staged ZIP is no longer needed, whatever happened; failing to delete it is only logged (the sweep retries).
    try {
      await this.staging.delete(id);
    } catch (e) {
      this.logger.error(`Import ${id}${committed ? ' (done)' : ''}: the staged ZIP could not be deleted: ${String(e)}`);
    }
  }

  /** Previews abandoned for a day are cancelled (their ZIP deleted); a run whose process died is marked failed. */
  async sweepStale(): Promise<void> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - PREVIEW_HOURS * 3600_000);
    for (const { id } of await stalePreviews(this.dataSource.manager, before)) {
      await this.dataSource.transaction(async (m) => {
        if (await cancelStale(m, id, now))
          await this.audit.record(
            { actor: SYSTEM_ACTOR, action: 'PERMITS_IMPORT_CANCELLED', entityType: 'permit_import', entityId: id },
            m,
          );
      });
      await this.staging.delete(id);
    }
    // A run starts within a day of its preview and takes minutes: one still running a day later has died.
    for (const { id } of await staleRuns(this.dataSource.manager, new Date(before.getTime() - PREVIEW_HOURS * 3600_000))) {
      await failImport(
        this.dataSource.manager,
        id,
        'L’import a été interrompu : aucun permis n’a été créé. Importez le fichier de nouveau.',
        now,
      );
      await this.staging.delete(id);
    }
  }
}

class ImportFailure extends Error {}

/** A file name as the pages show it: without control characters, 200 characters at most. */
function printable(name: string): string {
  return [...name]
    .filter((c) => !hasControlCharacter(c))
    .join('')
    .slice(0, 200);
}

/** Every hour, in every instance (idempotent): abandoned previews and dead runs (PermitImportService.sweepStale). */
@Injectable()
export class PermitImportSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(private readonly imports: PermitImportService) {}

  onApplicationBootstrap(): void {
    this.stop = runPeriodically('PermitImports', 60 * 60_000, () => this.imports.sweepStale());
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
