import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { newReference } from '../common/reference';
import { NotificationsService } from '../notifications/notifications.service';
import type { DocumentKind } from './permit-document.entity';
import { currentDocuments, documentAccess, DocumentRow, insertDocument } from './permit-document.queries';
import { PermitFileStore } from './permit-files';
import {
  advanceStep,
  familyEmail,
  insertLookupFailure,
  lockFamilyAccount,
  lookupFailuresSince,
  markResubmitted,
  markSubmitted,
  openEmptyDraft,
  presentDetainee,
  recordRequestEvent,
  RequestAnswers,
  RequestEventRow,
  requestEvents,
  requestOfFamily,
  RequestRow,
  requestsOfFamily,
  saveDraftAnswers,
  setDetainee,
} from './permit-request.queries';
import { acknowledgement, type Acknowledgement, acknowledgementLetter } from './acknowledgement';
import { departmentOf } from './decisions.queries';
import { lettersOfFamily, recordLetter, type LetterRow } from './letters';
import { listIn, tr } from '../common/translate';
import { familyRecourse } from './family-texts';
import { decisionDeadline, isMinor, MAX_LOOKUP_FAILURES_PER_HOUR, missingPieces, namesMatch, uploadableKinds } from './permit.rules';
import { checkDocument, checkPhoto } from './uploads';

export const PERMIT_DOCUMENTS = Symbol('PERMIT_DOCUMENTS');

/** The family filing a request, as the audit log names it. */
export interface FamilyActor {
  type: 'FAMILY';
  id: string;
  label: string;
}

/** A file as the upload middleware hands it over. */
export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

export type LookupResult = { ok: true } | { ok: false; reason: 'NOT_FOUND' | 'PREVENU' | 'RATE_LIMITED' };

/** Who asks for a document's content. */
export type DocumentViewer = { kind: 'family'; familyId: string } | { kind: 'agent'; establishmentId: string; permitPhotosOnly: boolean };

export const DOCUMENT_NAMES: Record<DocumentKind, string> = {
  PHOTO: 'photo',
  ID_DOCUMENT: 'pièce d’identité',
  PROOF_OF_ADDRESS: 'justificatif de domicile',
  LIVRET_FAMILLE: 'livret de famille',
  PACS_PROOF: 'attestation de PACS',
  COHABITATION_PROOF: 'preuve de vie commune',
  PARENTAL_CONSENT: 'autorisation des titulaires de l’autorité parentale',
  DOMICILIATION: 'attestation de domiciliation',
  BIRTH_CERTIFICATE: 'acte de naissance',
  OTHER: 'autre document',
};

const notFound = () => new DomainError('NOT_FOUND', tr('permits:errors.requestNotFound'), 404);

/** The missing pieces of a draft, named in the request's language. */
const missingNames = (...args: Parameters<typeof missingPieces>) => missingPieces(...args).map((p) => tr(`permits:missing.${p}`));

/**
 * The family's side of a visit permit request: a draft filled step by step, resumable, then
 * submitted. Every query is scoped to the family account: another family's request does not exist.
 */
@Injectable()
export class PermitRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    @Inject(PERMIT_DOCUMENTS) private readonly store: PermitFileStore,
    private readonly clock: Clock,
  ) {}

  /** "Demander un permis de visite": a new draft, or the family's empty one if it has one (tapped twice, come back). */
  async startDraft(family: FamilyActor): Promise<string> {
    return openEmptyDraft(this.dataSource.manager, family.id);
  }

  listForFamily(familyId: string): Promise<RequestRow[]> {
    return requestsOfFamily(this.dataSource.manager, familyId);
  }

  /** The family's own request, or a 404 error: ids of others are indistinguishable from unknown ids. */
  async requestOfFamily(familyId: string, id: string): Promise<RequestRow> {
    const request = await requestOfFamily(this.dataSource.manager, familyId, id);
    if (!request) throw notFound();
    return request;
  }

  /**
   * The page of a sent request: its documents, the history the family may read, its letters, and
   * what the acknowledgement says (implicit-rejection date, department, recourse routes), in the
   * family's language (the recourse routes quoted in French too).
   */
  async requestPage(
    familyId: string,
    id: string,
  ): Promise<{
    request: RequestRow;
    documents: DocumentRow[];
    events: RequestEventRow[];
    letters: LetterRow[];
    ack: (Acknowledgement & ReturnType<typeof familyRecourse> & { deadline: Date }) | null;
  }> {
    const db = this.dataSource.manager;
    const request = await this.requestOfFamily(familyId, id);
    const open = request.status === 'SUBMITTED' || request.status === 'READY' || request.status === 'INCOMPLETE';
    const department = open && request.establishmentId ? await departmentOf(db, request.establishmentId) : null;
    const deadline = decisionDeadline(request.completeAt ? new Date(request.completeAt) : this.clock.now());
    return {
      request,
      documents: await currentDocuments(db, id),
      events: await requestEvents(db, id, true),
      letters: (await lettersOfFamily(db, familyId)).filter((l) => l.requestId === id),
      ack: department ? { ...acknowledgement(department, deadline), ...familyRecourse(department), deadline } : null,
    };
  }

  /** A step page of a draft (409 once sent): its documents, whether the visitor is a minor, what is still missing. */
  async stepPage(
    familyId: string,
    id: string,
  ): Promise<{ request: RequestRow; documents: DocumentRow[]; minor: boolean; missing: string[] }> {
    const request = await this.draftOfFamily(familyId, id);
    const documents = await currentDocuments(this.dataSource.manager, id);
    const minor = request.visitorBirthdate ? isMinor(request.visitorBirthdate, this.clock.now()) : false;
    return {
      request,
      documents,
      minor,
      missing: missingNames(
        request,
        documents.map((d) => d.kind),
        minor,
      ),
    };
  }

  private async draftOfFamily(familyId: string, id: string): Promise<RequestRow> {
    const request = await this.requestOfFamily(familyId, id);
    if (request.status !== 'DRAFT') throw new DomainError('ALREADY_SUBMITTED', tr('permits:errors.alreadySentLocked'), 409);
    return request;
  }

  private async lockedRequest(m: EntityManager, familyId: string, id: string): Promise<RequestRow> {
    const request = await requestOfFamily(m, familyId, id, true);
    if (!request) throw notFound();
    return request;
  }

  /**
   * Step 1: the detainee, by establishment + numéro d'écrou + name. Unknown and mismatching
   * combinations get the same answer, failures are counted per account and limited per hour.
   */
  async chooseDetainee(
    family: FamilyActor,
    id: string,
    input: { establishmentCode: string; ecrou: string; lastName: string },
  ): Promise<LookupResult> {
    await this.draftOfFamily(family.id, id);
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      await lockFamilyAccount(m, family.id);
      const failures = await lookupFailuresSince(m, family.id, new Date(now.getTime() - 3600_000));
      if (failures >= MAX_LOOKUP_FAILURES_PER_HOUR) return { ok: false, reason: 'RATE_LIMITED' } as const;
      const detainee = await presentDetainee(m, { code: input.establishmentCode }, input.ecrou.trim().toUpperCase());
      if (!detainee || !namesMatch(input.lastName, detainee.lastName)) {
        await insertLookupFailure(m, family.id, now);
        return { ok: false, reason: 'NOT_FOUND' } as const;
      }
      // Prévenu, even in one case only (MIXTE): the magistrate in charge issues permits, not P2V.
      if (detainee.legalStatus !== 'CONDAMNE') return { ok: false, reason: 'PREVENU' } as const;
      await setDetainee(m, id, detainee.establishmentId, detainee.id);
      return { ok: true } as const;
    });
  }

  /** Saves the answers of one step (2, 3, 4, 6 or 8) and moves the resume point forward. */
  async saveAnswers(family: FamilyActor, id: string, nextStep: number, answers: RequestAnswers): Promise<void> {
    await this.draftOfFamily(family.id, id);
    await saveDraftAnswers(this.dataSource.manager, id, nextStep, answers);
  }

  /**
   * Checks a file by content, stores it encrypted, replaces the previous one of the same kind. The
   * file is written before the transaction (a record never points to nothing) and deleted if the
   * transaction fails; a file left by a killed process is swept later (PermitInstructionService.sweepOrphanFiles).
   */
  async upload(
    family: FamilyActor,
    id: string,
    kind: DocumentKind,
    file: UploadedFile | undefined,
    nextStep: number | null,
  ): Promise<void> {
    const locked = () =>
      new DomainError(
        'LOCKED',
        tr(
          kind === 'PHOTO' || kind === 'ID_DOCUMENT' || kind === 'PROOF_OF_ADDRESS'
            ? 'permits:errors.mainDocumentsLocked'
            : 'permits:errors.noMoreDocuments',
        ),
        409,
      );
    const before = await this.requestOfFamily(family.id, id);
    if (!uploadableKinds(before.status).includes(kind)) throw locked();
    if (!file) throw new DomainError('NO_FILE', tr(kind === 'PHOTO' ? 'permits:errors.choosePhoto' : 'permits:errors.chooseFile'));
    const checked = kind === 'PHOTO' ? await checkPhoto(file.buffer) : await checkDocument(file.buffer);
    if (!checked.ok) throw new DomainError('BAD_FILE', checked.message);
    const { storageKey, sha256 } = await this.store.put(checked.content);
    try {
      await this.dataSource.transaction(async (m) => {
        const request = await this.lockedRequest(m, family.id, id);
        if (!uploadableKinds(request.status).includes(kind)) throw locked();
        const now = this.clock.now();
        const documentId = await insertDocument(m, {
          requestId: id,
          kind,
          storageKey,
          contentType: checked.contentType,
          sizeBytes: checked.content.length,
          sha256,
          originalName: file.originalname.slice(0, 200),
        });
        if (nextStep) await advanceStep(m, id, nextStep);
        if (request.status !== 'DRAFT') {
          await recordRequestEvent(m, {
            requestId: id,
            at: now,
            kind: 'MESSAGE',
            message: `Nouveau document envoyé : ${DOCUMENT_NAMES[kind]}`,
            actor: family,
          });
        }
        await this.audit.record(
          {
            actor: family,
            action: 'PERMIT_DOCUMENT_UPLOADED',
            entityType: 'permit_document',
            entityId: documentId,
            establishmentId: request.establishmentId,
            after: { request: id, kind, sha256 },
          },
          m,
        );
      });
    } catch (e) {
      await this.store.delete(storageKey); // nothing stored when the database refuses
      throw e;
    }
  }

  /** Sends the request: a reference, the status "Déposée", an acknowledgement e-mail, an audit entry. */
  async submit(family: FamilyActor, id: string): Promise<string> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const r = await this.lockedRequest(m, family.id, id);
      if (r.status !== 'DRAFT') throw new DomainError('ALREADY_SUBMITTED', tr('permits:errors.alreadySent'), 409);
      const documents = await currentDocuments(m, id);
      const missing = missingNames(
        r,
        documents.map((d) => d.kind),
        r.visitorBirthdate ? isMinor(r.visitorBirthdate, now) : false,
      );
      if (missing.length) throw new DomainError('INCOMPLETE', tr('permits:errors.incomplete', { missing: listIn(missing) }));
      const reference = `PV-${newReference()}`;
      await markSubmitted(m, id, reference, now);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'SUBMITTED', actor: family });
      const ack = acknowledgement(await departmentOf(m, r.establishmentId!), decisionDeadline(now));
      await recordLetter(m, {
        establishmentId: r.establishmentId!,
        requestId: id,
        familyAccountId: family.id,
        kind: 'ACKNOWLEDGEMENT',
        title: 'Accusé de réception de votre demande de permis de visite',
        addressee: family.label,
        author: null,
        issuedAt: now,
        body: acknowledgementLetter(ack, {
          reference,
          visitor: `${r.visitorGivenName} ${r.visitorFamilyName}`,
          detainee: r.detaineeName ?? '',
          submittedAt: now,
        }),
      });
      const email = await familyEmail(m, family.id);
      if (email) {
        await this.notifications.enqueue(
          m,
          {
            channel: 'EMAIL',
            to: email,
            template: 'permit-request-received',
            category: 'TRANSACTIONAL',
            data: {
              reference,
              establishmentName: r.establishmentName,
              visitor: `${r.visitorGivenName} ${r.visitorFamilyName}`,
              detainee: r.detaineeName,
              followUrl: `/demandes/${id}`,
              ...ack,
            },
            entity: { type: 'permit_request', id },
            establishmentId: r.establishmentId,
          },
          now,
        );
      }
      await this.audit.record(
        {
          actor: family,
          action: 'PERMIT_REQUEST_SUBMITTED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId: r.establishmentId,
          after: { reference, minor: r.visitorBirthdate ? isMinor(r.visitorBirthdate, now) : false },
        },
        m,
      );
      return reference;
    });
  }

  /** After sending the documents asked for, the family sends the request back: complete again from now. */
  async resubmit(family: FamilyActor, id: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await this.lockedRequest(m, family.id, id);
      if (r.status !== 'INCOMPLETE') throw new DomainError('NOT_INCOMPLETE', tr('permits:errors.notIncomplete'), 409);
      await markResubmitted(m, id, now);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'SUBMITTED', actor: family });
      await this.audit.record(
        {
          actor: family,
          action: 'PERMIT_REQUEST_RESUBMITTED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId: r.establishmentId,
        },
        m,
      );
    });
  }

  /**
   * A document's content for its owner (the family who filed the request), or for the permits staff
   * of the request's establishment once the request is sent (a draft is the family's alone);
   * visiting-room agents see only the photos of permits (to compare with the visitor's face);
   * anyone else gets "not found".
   */
  async documentFor(viewer: DocumentViewer, documentId: string): Promise<{ content: Buffer; contentType: string; kind: DocumentKind }> {
    const doc = await documentAccess(this.dataSource.manager, documentId);
    const allowed =
      doc !== null &&
      (viewer.kind === 'family'
        ? doc.familyAccountId === viewer.familyId
        : doc.establishmentId === viewer.establishmentId &&
          (doc.permitPhoto || (!viewer.permitPhotosOnly && doc.requestStatus !== null && doc.requestStatus !== 'DRAFT')));
    if (!doc || !allowed) throw new DomainError('NOT_FOUND', tr('permits:errors.documentNotFound'), 404);
    return { content: await this.store.get(doc.storageKey), contentType: doc.contentType, kind: doc.kind };
  }
}
