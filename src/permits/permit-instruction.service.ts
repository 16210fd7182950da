import { Inject, Injectable, Logger } from '@nestjs/common';
import { differenceInYears } from 'date-fns';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { SignedTokens } from '../common/signed-tokens';
import { NotificationsService } from '../notifications/notifications.service';
import {
  currentDocuments,
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
  recordRequestEvent,
  RequestEventRow,
  requestEvents,
  requestOfEstablishment,
  undecidedCompleteBefore,
} from './permit-request.queries';
import { PERMIT_DOCUMENTS, type UploadedFile } from './permit-requests.service';
import {
  type ConsentDocument,
  consentDocumentsOfRequest,
  insertPermit,
  lockPermit,
  permitOfEstablishment,
  PermitRow,
  type PermitTerms,
  setPermitStatus,
  setUnaccompaniedConsent,
} from './permit.queries';
import { daysLeft, DECIDED_STATUSES, decisionDeadline, isMinor, OPEN_STATUSES, Relationship, RELATIONSHIPS } from './permit.rules';
import { termsView } from './permit-validity';
import { checkPhoto } from './uploads';
import { departmentOf, NO_CONTACT_RECORD, ordersInForce, orderPerson, setDocumentsDue } from './decisions.queries';
import { samePerson } from './person-match';
import { recourseParagraphs } from './letters';
import { ASKABLE_DOCUMENTS, AskableDocument, defaultDocumentsDue, missingPiecesMessage, RESTART_NOTICE } from './missing-pieces';
import { establishmentTimeZone } from './permit-import.queries';
import { measuresOfPermit, permitForMeasure } from './permit-measures.queries';
import { establishmentDay, liftRefusal } from './permit-measures.rules';
import { signatoryFor } from './signatory';
import { notReadyForDecision } from './instruction.rules';
import { tellRequester } from './request-notice';

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
  /** Limits and conditions (R341-1); who issued it and its paper reference. */
  limits?: PermitTerms;
  issuingAuthority?: string | null;
  paperReference?: string | null;
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

  /**
   * Asks the family for documents or a new photo: the pieces missing, a message, the date they are due
   * (a month by default); the request goes back to them, they are told that the 2-month delay
   * restarts on receipt (CRPA L114-5).
   */
  async askFamily(
    actor: Actor,
    establishmentId: string,
    id: string,
    ask: { kinds: readonly AskableDocument[]; message: string; due: string | null },
  ): Promise<void> {
    const note = ask.message.trim();
    if (!ask.kinds.length && note.length < 10)
      throw new DomainError('MESSAGE_TOO_SHORT', 'Expliquez à la famille ce qu’elle doit envoyer (10 caractères au moins).');
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await this.sentRequest(m, establishmentId, id, true);
      if (!OPEN_STATUSES.includes(r.status)) throw decided();
      const today = establishmentDay(now, r.timeZone);
      const due = ask.due ?? defaultDocumentsDue(today);
      if (due <= today) throw new DomainError('DUE', 'La date limite doit être après aujourd’hui.');
      const text = missingPiecesMessage(ask.kinds, note, day(due));
      await markIncomplete(m, id);
      await setDocumentsDue(m, id, due);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'INCOMPLETE', actor });
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'MESSAGE', message: text, actor });
      await tellRequester(
        this.notifications,
        m,
        r,
        'permit-request-incomplete',
        {
          message: note,
          missing: ask.kinds.map((k) => ASKABLE_DOCUMENTS[k]),
          missingKinds: ask.kinds,
          due: day(due),
          dueDay: due,
          restart: RESTART_NOTICE,
        },
        now,
      );
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_DOCUMENTS_REQUESTED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId,
          after: { kinds: ask.kinds, message: note || undefined, due },
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

  /**
   * The permits officer marks the request ready for the head of establishment's decision: a sent request whose documents
   * are all examined (none still "à examiner"). Reviews are written under the request's lock, so none can slip in between.
   */
  async markReady(actor: Actor, establishmentId: string, id: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await this.sentRequest(m, establishmentId, id, true);
      if (r.status === 'READY') return; // marked twice (a double click, two officers): already done
      const reviews = (await currentDocuments(m, id)).map((d) => d.review);
      const refusal = notReadyForDecision(r.status, reviews);
      if (refusal) throw new DomainError(refusal.code, refusal.message, 409);
      await markReady(m, id);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'READY', actor });
      await this.audit.record({ actor, action: 'PERMIT_REQUEST_READY', entityType: 'permit_request', entityId: id, establishmentId }, m);
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
        await tellRequester(
          this.notifications,
          m,
          r,
          'permit-request-implicit-rejection',
          { recourse: recourseParagraphs(await departmentOf(m, c.establishmentId)) },
          now,
        );
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

  async permit(establishmentId: string, permitId: string): Promise<PermitRow> {
    const permit = await permitOfEstablishment(this.dataSource.manager, establishmentId, permitId);
    if (!permit) throw permitNotFound();
    return permit;
  }

  /** The parental-authority consents sent with the permit's request (none for a paper or magistrate permit). */
  async consentDocuments(permit: PermitRow): Promise<ConsentDocument[]> {
    return permit.requestId ? consentDocumentsOfRequest(this.dataSource.manager, permit.requestId) : [];
  }

  /**
   * The greffe records the written consent of the parental-authority holders for a minor visitor to come
   * without an adult to an ordinary parloir (from 16: circulaire of 20 February 2012; the booking and the
   * door apply it): one of the consents sent with the request, or the paper one described. Audited.
   */
  async recordUnaccompaniedConsent(
    actor: Actor,
    establishmentId: string,
    permitId: string,
    consent: { documentId: string | null; note: string | null },
  ): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      if (!(await lockPermit(m, establishmentId, permitId))) throw permitNotFound();
      const p = (await permitOfEstablishment(m, establishmentId, permitId))!;
      if (p.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Ce permis est retiré : il ne peut plus changer.', 409);
      if (!isMinor(p.visitorBirthdate, now))
        throw new DomainError('NOT_MINOR', 'Le visiteur est majeur : il vient sans adulte, aucune autorisation n’est nécessaire.', 409);
      if (!consent.documentId && !consent.note)
        throw new DomainError(
          'CONSENT_MISSING',
          'Choisissez l’autorisation jointe à la demande ou décrivez l’autorisation reçue sur papier.',
        );
      if (consent.documentId) {
        const sent = p.requestId ? await consentDocumentsOfRequest(m, p.requestId) : [];
        if (!sent.some((d) => d.id === consent.documentId))
          throw new DomainError('CONSENT_DOCUMENT', 'Choisissez une autorisation jointe à la demande de ce permis.');
      }
      const by = actor.type === 'AGENT' ? (actor.id ?? null) : null;
      await setUnaccompaniedConsent(m, permitId, { at: now, by, documentId: consent.documentId, note: consent.note });
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_UNACCOMPANIED_CONSENT_RECORDED',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { recordedAt: p.unaccompaniedConsentAt, document: p.unaccompaniedConsentDocumentId, note: p.unaccompaniedConsentNote },
          after: { document: consent.documentId, note: consent.note },
        },
        m,
      );
    });
  }

  /** The consent to come without an adult is withdrawn (the holders took it back, or it was recorded by mistake). Audited. */
  async withdrawUnaccompaniedConsent(actor: Actor, establishmentId: string, permitId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await lockPermit(m, establishmentId, permitId))) throw permitNotFound();
      const p = (await permitOfEstablishment(m, establishmentId, permitId))!;
      if (!p.unaccompaniedConsentAt)
        throw new DomainError('NO_CONSENT', 'Aucune autorisation de venir sans adulte n’est enregistrée.', 409);
      await setUnaccompaniedConsent(m, permitId, null);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_UNACCOMPANIED_CONSENT_WITHDRAWN',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { recordedAt: p.unaccompaniedConsentAt, document: p.unaccompaniedConsentDocumentId, note: p.unaccompaniedConsentNote },
        },
        m,
      );
    });
  }

  /** The permit's page: the permit, whether its visitor is a minor today, its state, limits and conditions today. */
  async permitPage(
    establishmentId: string,
    permitId: string,
    timeZone = 'Europe/Paris',
  ): Promise<{ permit: PermitRow; minor: boolean; age: number; terms: ReturnType<typeof termsView> }> {
    const permit = await this.permit(establishmentId, permitId);
    const today = formatInTimeZone(this.clock.now(), timeZone, 'yyyy-MM-dd');
    const age = differenceInYears(new Date(`${today}T00:00:00Z`), new Date(`${permit.visitorBirthdate}T00:00:00Z`));
    return { permit, minor: isMinor(permit.visitorBirthdate, this.clock.now()), age, terms: termsView(permit, today) };
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

  /**
   * Lifts a suspension (the family is told). A suspension or a withdrawal goes through
   * PermitMeasuresService (contradictory step, or urgency; the magistrate for his permits).
   */
  async changePermitStatus(actor: Actor, establishmentId: string, permitId: string, status: PermitStatus, reason: string): Promise<void> {
    const text = reason.trim();
    if (status !== 'ACTIVE')
      throw new DomainError(
        'MEASURE_REQUIRED',
        'Une suspension ou un retrait se décide après avoir invité le titulaire à présenter ses ' +
          'observations : utilisez « Envisager une suspension ou un retrait ».',
        409,
      );
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const p = await permitForMeasure(m, establishmentId, permitId, true);
      if (!p) throw permitNotFound();
      // Lifting a suspension is a decision: the head, or a delegate in force that day at the establishment.
      const signatory = actor.id ? await signatoryFor(m, establishmentId, actor.id, establishmentDay(now, p.timeZone)) : null;
      if (!signatory)
        throw new DomainError(
          'NOT_SIGNATORY',
          'Seul le chef d’établissement, ou un agent ayant une délégation de signature en cours, peut lever une suspension.',
          403,
        );
      if (p.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Ce permis est retiré : il ne peut plus changer.', 409);
      if (p.status === status) throw new DomainError('UNCHANGED', 'Le permis a déjà ce statut.', 409);
      if (p.status !== 'SUSPENDED')
        throw new DomainError('NOT_SUSPENDED', 'Seule une suspension peut être levée ici (un sursis attend la réponse du magistrat).', 409);
      const refusal = liftRefusal(p, (await measuresOfPermit(m, permitId))[0] ?? null);
      if (refusal) throw new DomainError('MAGISTRATE_COMPETENT', refusal, 409);
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
          after: { status, reason: text || undefined, signedBy: signatory.label },
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
        if (detainee.legalStatus !== 'CONDAMNE' && input.origin !== 'MAGISTRATE') {
          throw new DomainError(
            'MAGISTRATE_REQUIRED',
            'Pour une personne prévenue, le permis est délivré par le magistrat chargé du dossier : choisissez « magistrat ».',
          );
        }
        const visitor = { givenName: input.givenName, familyName: input.familyName, birthdate: input.birthdate };
        if (
          (await ordersInForce(m, detainee.id, establishmentDay(now, await establishmentTimeZone(m, establishmentId)))).some((o) =>
            samePerson(orderPerson(o), visitor),
          )
        )
          throw new DomainError('NO_CONTACT_ORDER', NO_CONTACT_RECORD, 409);
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
          ...input.limits,
          issuingAuthority: input.issuingAuthority,
          paperReference: input.paperReference,
          headReviewDue: detainee.legalStatus === 'CONDAMNE' && input.origin === 'MAGISTRATE',
        });
        await issueClaimCode(m, permitId, now); // the visitor links it to a family account with this code (« Mes permis »)
        await this.audit.record(
          {
            actor,
            action: 'PERMIT_RECORDED',
            entityType: 'permit',
            entityId: permitId,
            establishmentId,
            after: {
              origin: input.origin,
              ecrou: input.ecrou,
              visitor: `${input.givenName} ${input.familyName}`,
              validTo: input.validTo,
              ...input.limits,
              issuingAuthority: input.issuingAuthority,
              paperReference: input.paperReference,
            },
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
}
