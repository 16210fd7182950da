import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { SignedTokens } from '../common/signed-tokens';
import { NotificationsService } from '../notifications/notifications.service';
import {
  currentDocuments,
  currentPhotoId,
  documentAccess,
  documentsDecidedBefore,
  DocumentRow,
  insertDocument,
  liveStorageKeys,
  markDocumentDeleted,
  setReview,
} from './permit-document.queries';
import type { PermitStatus } from './permit.entity';
import { PermitFileStore } from './permit-files';
import { issueClaimCode } from './permit-claims.service';
import { claimCodeOf } from './permit-claims.queries';
import { permitPdf } from './permit-pdf';
import type { PermitRequestStatus } from './permit-request.entity';
import {
  InstructedRequestRow,
  markImplicitlyRejected,
  markIncomplete,
  markReady,
  presentDetainee,
  queuePage,
  QueueRow,
  recordDecision,
  recordRequestEvent,
  RequestEventRow,
  requestEvents,
  requestOfEstablishment,
  undecidedCompleteBefore,
} from './permit-request.queries';
import { PERMIT_DOCUMENTS, type UploadedFile } from './permit-requests.service';
import { insertPermit, lockPermit, permitOfEstablishment, PermitRow, setPermitStatus } from './permit.queries';
import {
  daysLeft,
  DECIDED_STATUSES,
  decisionDeadline,
  isMinor,
  MIN_MOTIVATION_LENGTH,
  OPEN_STATUSES,
  Relationship,
  RELATIONSHIPS,
} from './permit.rules';
import { refusalLetterPdf } from './refusal-letter';
import { checkPhoto } from './uploads';

export const PERMIT_TOKENS = Symbol('PERMIT_TOKENS');

/** A file with no document record this old was left by a killed process: the sweep deletes it. */
export const ORPHAN_FILE_MINUTES = 60;

const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const day = (isoDay: string) => DATE.format(new Date(`${isoDay}T12:00:00Z`));

/** The queue's filters: the open requests (default), one status, or every decided one. */
export type QueueFilter = '' | 'SUBMITTED' | 'INCOMPLETE' | 'READY' | 'decidees';

/** A permit issued outside P2V, as the greffe records it. Dates AAAA-MM-JJ. */
export interface PermitRecord {
  ecrou: string;
  givenName: string;
  familyName: string;
  birthdate: string;
  relationship: Relationship;
  origin: 'PAPER' | 'MAGISTRATE';
  validFrom: string;
  validTo: string | null;
}

const notFound = () => new DomainError('NOT_FOUND', 'Demande introuvable.', 404);
const permitNotFound = () => new DomainError('NOT_FOUND', 'Permis introuvable.', 404);
const decided = () => new DomainError('DECIDED', 'Cette demande est déjà décidée.', 409);

/**
 * The establishment's side: the work queue, asking the family for documents, the head of
 * establishment's decision (a granted request creates the permit), the implicit rejection after
 * two months of silence. Every change is audited and the family told.
 */
@Injectable()
export class PermitInstructionService {
  private readonly logger = new Logger('PermitInstruction');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    @Inject(PERMIT_DOCUMENTS) private readonly store: PermitFileStore,
    @Inject(PERMIT_TOKENS) private readonly tokens: SignedTokens,
    private readonly clock: Clock,
  ) {}

  /**
   * Data protection: once a decision is final, the request's documents are deleted after the
   * retention period (files and their records), except the photo a permit shows at the door.
   */
  async purgeDocuments(retentionDays: number): Promise<number> {
    const now = this.clock.now();
    const docs = await documentsDecidedBefore(this.dataSource.manager, new Date(now.getTime() - retentionDays * 86400_000));
    for (const d of docs) {
      await this.dataSource.transaction(async (m) => {
        await markDocumentDeleted(m, d.id, now);
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: `conservation ${retentionDays} jours` },
            action: 'PERMIT_DOCUMENT_DELETED',
            entityType: 'permit_document',
            entityId: d.id,
            establishmentId: d.establishmentId,
            after: { request: d.requestId },
          },
          m,
        );
      });
      await this.store.delete(d.storageKey); // after the commit; if the process dies first, the sweep deletes it
    }
    return docs.length;
  }

  /**
   * Deletes the files that no document record uses (or only a deleted one) and that were written more
   * than ORPHAN_FILE_MINUTES ago: left by a process killed between writing a file and committing its
   * record, or between deleting a record and its file. Recent files are left alone: their
   * transaction may still be running.
   */
  async sweepOrphanFiles(): Promise<number> {
    const keys = await this.store.writtenBefore(new Date(this.clock.now().getTime() - ORPHAN_FILE_MINUTES * 60_000));
    let swept = 0;
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      const live = await liveStorageKeys(this.dataSource.manager, batch);
      for (const key of batch.filter((k) => !live.has(k))) {
        await this.store.delete(key);
        swept++;
      }
    }
    if (swept) this.logger.log(`${swept} orphan document file(s) deleted`);
    return swept;
  }

  async queue(
    establishmentId: string,
    q: { filter: QueueFilter; search: string; page: number },
    pageSize: number,
  ): Promise<{ total: number; rows: (QueueRow & { daysLeft: number | null })[] }> {
    const statuses: readonly PermitRequestStatus[] = q.filter === 'decidees' ? DECIDED_STATUSES : q.filter ? [q.filter] : OPEN_STATUSES;
    const { total, rows } = await queuePage(this.dataSource.manager, establishmentId, statuses, q.search, q.page, pageSize);
    const now = this.clock.now();
    return { total, rows: rows.map((r) => ({ ...r, daysLeft: r.completeAt ? daysLeft(new Date(r.completeAt), now) : null })) };
  }

  /** The instruction page of a sent request: documents, full history (notes included), deadline. */
  async requestPage(
    establishmentId: string,
    id: string,
  ): Promise<{
    request: InstructedRequestRow;
    documents: DocumentRow[];
    events: RequestEventRow[];
    minor: boolean;
    deadline: Date | null;
    open: boolean;
  }> {
    const db = this.dataSource.manager;
    const request = await this.sentRequest(db, establishmentId, id);
    return {
      request,
      documents: await currentDocuments(db, id),
      events: await requestEvents(db, id, false),
      minor: request.visitorBirthdate ? isMinor(request.visitorBirthdate, this.clock.now()) : false,
      deadline: request.completeAt ? decisionDeadline(new Date(request.completeAt)) : null,
      open: OPEN_STATUSES.includes(request.status),
    };
  }

  private async sentRequest(m: EntityManager, establishmentId: string, id: string, lock = false): Promise<InstructedRequestRow> {
    const request = await requestOfEstablishment(m, establishmentId, id, lock);
    if (!request) throw notFound();
    return request;
  }

  /** Asks the family for documents or a new photo: the request goes back to them, they are told. */
  async askFamily(actor: Actor, establishmentId: string, id: string, message: string): Promise<void> {
    const text = message.trim();
    if (text.length < 10)
      throw new DomainError('MESSAGE_TOO_SHORT', 'Expliquez à la famille ce qu’elle doit envoyer (10 caractères au moins).');
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await this.sentRequest(m, establishmentId, id, true);
      if (!OPEN_STATUSES.includes(r.status)) throw decided();
      await markIncomplete(m, id);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'INCOMPLETE', actor });
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'MESSAGE', message: text, actor });
      await this.tell(m, r, 'permit-request-incomplete', { message: text }, now);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_DOCUMENTS_REQUESTED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId,
          after: { message: text },
        },
        m,
      );
    });
  }

  /** The permits officer's review of one document: accepted, or to be replaced (with the reason). */
  async reviewDocument(
    actor: Actor,
    establishmentId: string,
    id: string,
    documentId: string,
    review: 'ACCEPTED' | 'TO_REPLACE',
    reason: string,
  ): Promise<void> {
    const text = reason.trim();
    if (review === 'TO_REPLACE' && text.length < 5)
      throw new DomainError('REASON_REQUIRED', 'Indiquez pourquoi le document doit être remplacé.');
    await this.dataSource.transaction(async (m) => {
      const r = await this.sentRequest(m, establishmentId, id, true);
      if (!OPEN_STATUSES.includes(r.status)) throw decided();
      if (!(await setReview(m, id, documentId, review, review === 'TO_REPLACE' ? text : null)))
        throw new DomainError('NOT_FOUND', 'Document introuvable.', 404);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_DOCUMENT_REVIEWED',
          entityType: 'permit_document',
          entityId: documentId,
          establishmentId,
          after: { review, reason: text || undefined },
        },
        m,
      );
    });
  }

  /** An internal note on the request: never shown to the family. */
  async addNote(actor: Actor, establishmentId: string, id: string, note: string): Promise<void> {
    const text = note.trim();
    if (!text) throw new DomainError('EMPTY_NOTE', 'Écrivez la note.');
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await this.sentRequest(m, establishmentId, id, true);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'NOTE', message: text, actor });
      await this.audit.record(
        { actor, action: 'PERMIT_REQUEST_NOTE_ADDED', entityType: 'permit_request', entityId: id, establishmentId },
        m,
      );
    });
  }

  /** The permits officer marks the request ready for the head of establishment's decision. */
  async markReady(actor: Actor, establishmentId: string, id: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await this.sentRequest(m, establishmentId, id, true);
      if (r.status !== 'SUBMITTED')
        throw new DomainError('NOT_SUBMITTED', 'Seule une demande déposée et complète peut être marquée prête.', 409);
      await markReady(m, id);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'READY', actor });
      await this.audit.record({ actor, action: 'PERMIT_REQUEST_READY', entityType: 'permit_request', entityId: id, establishmentId }, m);
    });
  }

  /** The head of establishment's decision. A refusal must be motivated; a grant creates the permit. */
  async decide(
    actor: Actor,
    establishmentId: string,
    id: string,
    decision: 'GRANT' | 'REFUSE',
    motivation: string,
  ): Promise<string | null> {
    const text = motivation.trim();
    if (decision === 'REFUSE' && text.length < MIN_MOTIVATION_LENGTH) {
      throw new DomainError(
        'MOTIVATION_REQUIRED',
        `Un refus doit être motivé en fait et en droit (${MIN_MOTIVATION_LENGTH} caractères au moins).`,
      );
    }
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const r = await this.sentRequest(m, establishmentId, id, true);
      if (!OPEN_STATUSES.includes(r.status)) throw decided();
      const status = decision === 'GRANT' ? 'GRANTED' : 'REFUSED';
      await recordDecision(m, id, { status, at: now, by: actor.id!, motivation: text || null });
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status, actor });
      let permitId: string | null = null;
      if (decision === 'GRANT') {
        permitId = await insertPermit(m, {
          requestId: id,
          establishmentId,
          detaineeId: r.detaineeId,
          familyAccountId: r.familyAccountId,
          visitorGivenName: r.visitorGivenName!,
          visitorFamilyName: r.visitorFamilyName!,
          visitorBirthdate: r.visitorBirthdate!,
          relationship: r.relationship!,
          photoDocumentId: await currentPhotoId(m, id),
          validFrom: now.toISOString().slice(0, 10),
          validTo: null,
          origin: 'ONLINE',
        });
        await this.audit.record(
          {
            actor,
            action: 'PERMIT_ISSUED',
            entityType: 'permit',
            entityId: permitId,
            establishmentId,
            after: { request: r.reference, visitor: `${r.visitorGivenName} ${r.visitorFamilyName}` },
          },
          m,
        );
      }
      await this.tell(m, r, decision === 'GRANT' ? 'permit-request-granted' : 'permit-request-refused', { motivation: text }, now);
      await this.audit.record(
        {
          actor,
          action: decision === 'GRANT' ? 'PERMIT_REQUEST_GRANTED' : 'PERMIT_REQUEST_REFUSED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId,
          after: { status, motivation: text || undefined },
        },
        m,
      );
      return permitId;
    });
  }

  /** Silence two months after the request was complete is an implicit rejection; the family is told. */
  async expireOverdue(): Promise<number> {
    const now = this.clock.now();
    const candidates = await undecidedCompleteBefore(this.dataSource.manager, new Date(now.getTime() - 28 * 86400_000));
    let expired = 0;
    for (const c of candidates) {
      if (decisionDeadline(new Date(c.completeAt)).getTime() > now.getTime()) continue;
      await this.dataSource.transaction(async (m) => {
        if (!(await markImplicitlyRejected(m, c.id, now))) return;
        const r = await this.sentRequest(m, c.establishmentId, c.id);
        await recordRequestEvent(m, { requestId: c.id, at: now, kind: 'STATUS', status: 'IMPLICITLY_REJECTED', actor: { type: 'SYSTEM' } });
        await this.tell(m, r, 'permit-request-implicit-rejection', {}, now);
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: 'délai de 2 mois' },
            action: 'PERMIT_REQUEST_IMPLICITLY_REJECTED',
            entityType: 'permit_request',
            entityId: c.id,
            establishmentId: c.establishmentId,
          },
          m,
        );
        expired++;
      });
    }
    return expired;
  }

  /** The motivated refusal letter of a refused request (404 for any other). */
  async refusalLetter(establishmentId: string, id: string): Promise<{ reference: string; pdf: Buffer }> {
    const r = await this.sentRequest(this.dataSource.manager, establishmentId, id);
    if (r.status !== 'REFUSED' || !r.reference || !r.decidedAt || !r.submittedAt) throw notFound();
    const pdf = await refusalLetterPdf({
      establishmentName: r.establishmentName,
      reference: r.reference,
      date: DATE.format(new Date(r.decidedAt)),
      familyName: r.familyName,
      visitor: `${r.visitorGivenName} ${r.visitorFamilyName}`,
      detainee: r.detaineeName,
      submittedOn: DATE.format(new Date(r.submittedAt)),
      motivation: r.decisionMotivation ?? '',
      signatory: `Le chef d’établissement, ${r.establishmentName}`,
    });
    return { reference: r.reference, pdf };
  }

  async permit(establishmentId: string, permitId: string): Promise<PermitRow> {
    const permit = await permitOfEstablishment(this.dataSource.manager, establishmentId, permitId);
    if (!permit) throw permitNotFound();
    return permit;
  }

  /** The permit's page: the permit, and whether its visitor is a minor today. */
  async permitPage(establishmentId: string, permitId: string): Promise<{ permit: PermitRow; minor: boolean }> {
    const permit = await this.permit(establishmentId, permitId);
    return { permit, minor: isMinor(permit.visitorBirthdate, this.clock.now()) };
  }

  /** The permit of the establishment a QR code's token names, or null (forged, another establishment's, unknown). */
  async permitOfToken(establishmentId: string, token: string): Promise<string | null> {
    const permitId = this.tokens.verify(token);
    if (!permitId) return null;
    return (await permitOfEstablishment(this.dataSource.manager, establishmentId, permitId))?.id ?? null;
  }

  /** The printable permit (PDF): photo, identity, validity, and a QR code with a signed token only. */
  async printablePermit(establishmentId: string, permitId: string): Promise<Buffer> {
    const p = await this.permit(establishmentId, permitId);
    const photo = p.photoDocumentId ? await documentAccess(this.dataSource.manager, p.photoDocumentId) : null;
    return permitPdf({
      token: this.tokens.sign(p.id),
      visitor: `${p.visitorGivenName} ${p.visitorFamilyName.toUpperCase()}`,
      birthdate: day(p.visitorBirthdate),
      detainee: `${p.detaineeName} (écrou ${p.ecrouNumber})`,
      establishment: p.establishmentName,
      relationship: RELATIONSHIPS[p.relationship] ?? p.relationship,
      validity: p.validTo ? `du ${day(p.validFrom)} au ${day(p.validTo)}` : `permanent, depuis le ${day(p.validFrom)}`,
      photoJpeg: photo ? await this.store.get(photo.storageKey) : null,
      claimCode: await claimCodeOf(this.dataSource.manager, p.id),
    });
  }

  /** Suspends or withdraws a permit (reason required); the family is told. Reactivation after a suspension. */
  async changePermitStatus(actor: Actor, establishmentId: string, permitId: string, status: PermitStatus, reason: string): Promise<void> {
    const text = reason.trim();
    if (status !== 'ACTIVE' && text.length < 10)
      throw new DomainError('REASON_REQUIRED', 'Une suspension ou un retrait doit être motivé (10 caractères au moins).');
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const p = await lockPermit(m, establishmentId, permitId);
      if (!p) throw permitNotFound();
      if (p.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Ce permis est retiré : il ne peut plus changer.', 409);
      if (p.status === status) throw new DomainError('UNCHANGED', 'Le permis a déjà ce statut.', 409);
      await setPermitStatus(m, permitId, status, status === 'ACTIVE' ? null : text);
      if (p.familyEmail) {
        await this.notifications.enqueue(
          m,
          {
            channel: 'EMAIL',
            to: p.familyEmail,
            template: 'permit-status-changed',
            category: 'TRANSACTIONAL',
            data: { establishmentName: p.establishmentName, visitor: `${p.visitorGivenName} ${p.visitorFamilyName}`, status, reason: text },
            entity: { type: 'permit', id: permitId },
            establishmentId,
          },
          now,
        );
      }
      await this.audit.record(
        {
          actor,
          action: `PERMIT_${status}`,
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { status: p.status },
          after: { status, reason: text || undefined },
        },
        m,
      );
    });
  }

  /**
   * Records a permit issued outside P2V — on paper, or by the magistrate in charge for a prévenu —
   * so that the digital record of who may visit is complete. The photo's file is written before the
   * transaction and deleted if it fails (a killed process leaves it to the orphan sweep).
   */
  async recordPermit(actor: Actor, establishmentId: string, input: PermitRecord, photo: UploadedFile | undefined): Promise<string> {
    const now = this.clock.now();
    if (input.birthdate > now.toISOString().slice(0, 10))
      throw new DomainError('BIRTHDATE', 'Saisissez une date de naissance valide, au format JJ/MM/AAAA');
    const checked = photo ? await checkPhoto(photo.buffer) : null;
    const stored = checked?.ok ? await this.store.put(checked.content) : null;
    try {
      return await this.dataSource.transaction(async (m) => {
        const detainee = await presentDetainee(m, { id: establishmentId }, input.ecrou);
        if (!detainee)
          throw new DomainError('UNKNOWN_DETAINEE', 'Aucune personne détenue présente dans l’établissement n’a ce numéro d’écrou.');
        if (detainee.legalStatus === 'PREVENU' && input.origin !== 'MAGISTRATE') {
          throw new DomainError(
            'MAGISTRATE_REQUIRED',
            'Pour une personne prévenue, le permis est délivré par le magistrat chargé du dossier : choisissez « magistrat ».',
          );
        }
        if (!photo || !checked)
          throw new DomainError('NO_FILE', 'Ajoutez la photo du visiteur : les agents la comparent avec son visage à l’entrée.');
        if (!checked.ok || !stored)
          throw new DomainError('BAD_FILE', checked.ok ? 'La photo n’a pas pu être enregistrée.' : checked.message);
        const photoDocumentId = await insertDocument(m, {
          requestId: null,
          kind: 'PHOTO',
          storageKey: stored.storageKey,
          contentType: checked.contentType,
          sizeBytes: checked.content.length,
          sha256: stored.sha256,
          originalName: photo.originalname.slice(0, 200),
        });
        const permitId = await insertPermit(m, {
          requestId: null,
          establishmentId,
          detaineeId: detainee.id,
          familyAccountId: null,
          visitorGivenName: input.givenName,
          visitorFamilyName: input.familyName,
          visitorBirthdate: input.birthdate,
          relationship: input.relationship,
          photoDocumentId,
          validFrom: input.validFrom,
          validTo: input.validTo,
          origin: input.origin,
        });
        await issueClaimCode(m, permitId, now); // the visitor links it to a family account with this code (« Mes permis »)
        await this.audit.record(
          {
            actor,
            action: 'PERMIT_RECORDED',
            entityType: 'permit',
            entityId: permitId,
            establishmentId,
            after: { origin: input.origin, ecrou: input.ecrou, visitor: `${input.givenName} ${input.familyName}` },
          },
          m,
        );
        return permitId;
      });
    } catch (e) {
      if (stored) await this.store.delete(stored.storageKey); // no file without its record
      throw e;
    }
  }

  private async tell(
    m: EntityManager,
    r: InstructedRequestRow,
    template: string,
    extra: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    if (!r.familyEmail) return;
    await this.notifications.enqueue(
      m,
      {
        channel: 'EMAIL',
        to: r.familyEmail,
        template,
        category: 'TRANSACTIONAL',
        data: {
          reference: r.reference,
          establishmentName: r.establishmentName,
          visitor: `${r.visitorGivenName} ${r.visitorFamilyName}`,
          followUrl: `/demandes/${r.id}`,
          ...extra,
        },
        entity: { type: 'permit_request', id: r.id },
        establishmentId: r.establishmentId,
      },
      now,
    );
  }
}
