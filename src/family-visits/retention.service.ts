import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { PermitFileStore } from '../permits/permit-files';
import { FAMILY_VISIT_DOCUMENTS } from './instruction-documents';
import { familyVisitDocumentsExpired, liveFamilyVisitStorageKeys, markFamilyVisitDocumentDeleted, requestHeld } from './retention.queries';

/** A file no record uses is swept only once older than this: its transaction may still be running. */
export const FAMILY_VISIT_ORPHAN_FILE_MINUTES = 60;

const DAY_MS = 86_400_000;

/**
 * The retention of UVF / PF documents (docs/retention.md), as the permits' documents: the consents and
 * signed rules of a request finally decided (granted, refused, implicitly rejected) or withdrawn are
 * deleted DOCUMENTS_RETENTION_DAYS after (the file removed, the record marked `deleted_at`, its kind,
 * size and hash kept as proof of what was received), except while the request is under a litigation
 * hold (`family_visit_requests.litigation_hold_since`, recorded and lifted by the head on the case
 * page: litigation.service.ts) or a stay of the case is to come; and the files of the family visits'
 * folder that no live record uses, older than an hour, are swept (a held request's documents are
 * live records: the sweep never takes them).
 */
@Injectable()
export class FamilyVisitRetentionService {
  private readonly logger = new Logger('FamilyVisitRetention');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FAMILY_VISIT_DOCUMENTS) private readonly store: PermitFileStore,
  ) {}

  /**
   * Deletes the documents past their retention: each in a transaction of its own (one audit entry
   * `FAMILY_VISIT_DOCUMENT_DELETED`), the file after the commit (if the process dies in between, the
   * sweep deletes it); one `RETENTION_APPLIED` entry with the count when the run deleted something.
   * Safe in several instances at once: a document marked by another run is skipped; so is one whose
   * request was put under a litigation hold since the list was read.
   */
  async purgeDocuments(): Promise<number> {
    const now = this.clock.now();
    const days = this.config.documents.retentionDays;
    const expired = await familyVisitDocumentsExpired(this.dataSource.manager, new Date(now.getTime() - days * DAY_MS));
    let deleted = 0;
    for (const d of expired) {
      const marked = await this.dataSource.transaction(async (m) => {
        if (await requestHeld(m, d.requestId)) return false;
        if ((await markFamilyVisitDocumentDeleted(m, d.id, now)) === 0) return false;
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: `conservation ${days} jours` },
            action: 'FAMILY_VISIT_DOCUMENT_DELETED',
            entityType: 'family_visit_document',
            entityId: d.id,
            establishmentId: d.establishmentId,
            after: { request: d.requestId },
          },
          m,
        );
        return true;
      });
      if (!marked) continue;
      await this.store.delete(d.storageKey);
      deleted++;
    }
    if (deleted) {
      await this.dataSource.transaction((m) =>
        this.audit.record(
          {
            actor: { type: 'SYSTEM', label: 'durées de conservation' },
            action: 'RETENTION_APPLIED',
            entityType: 'retention',
            after: { family_visit_documents: deleted },
          },
          m,
        ),
      );
    }
    return deleted;
  }

  /**
   * Deletes the files of the family visits' folder that no document record uses (or only a deleted
   * one), written more than an hour ago: left by a process killed between writing a file and
   * committing its record, or between deleting a record and its file.
   */
  async sweepOrphanFiles(): Promise<number> {
    const keys = await this.store.writtenBefore(new Date(this.clock.now().getTime() - FAMILY_VISIT_ORPHAN_FILE_MINUTES * 60_000));
    let swept = 0;
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      const live = await liveFamilyVisitStorageKeys(this.dataSource.manager, batch);
      for (const key of batch.filter((k) => !live.has(k))) {
        await this.store.delete(key);
        swept++;
      }
    }
    if (swept) this.logger.log(`${swept} orphan UVF / PF document file(s) deleted`);
    return swept;
  }
}
