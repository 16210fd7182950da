import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { DocumentStore } from '../common/document-store';
import { DomainError } from '../common/domain-error';
import { newReference } from '../common/reference';
import { NotificationsService } from '../notifications/notifications.service';
import { IdDocumentType, isMinor, MAX_LOOKUP_FAILURES_PER_HOUR, namesMatch, Relationship } from './permit.rules';
import { checkDocument, checkPhoto } from './uploads';

export type DocumentKind = 'PHOTO' | 'ID_DOCUMENT' | 'PROOF_OF_ADDRESS';

export interface RequestRow {
  id: string;
  reference: string | null;
  family_account_id: string;
  establishment_id: string | null;
  establishment_name: string | null;
  establishment_code: string | null;
  detainee_id: string | null;
  detainee_name: string | null;
  detainee_ecrou: string | null;
  step: number;
  documents_understood: boolean;
  for_self: boolean | null;
  visitor_given_name: string | null;
  visitor_family_name: string | null;
  visitor_birthdate: string | null;
  relationship: Relationship | null;
  relationship_detail: string | null;
  id_document_type: IdDocumentType | null;
  comment: string | null;
  status: string;
  submitted_at: Date | null;
  complete_at: Date | null;
  decided_at: Date | null;
  decision_motivation: string | null;
  created_at: Date;
}

export interface DocumentRow {
  id: string;
  kind: DocumentKind;
  content_type: string;
  size_bytes: number;
  original_name: string;
  review: string;
  review_reason: string | null;
  created_at: Date;
}

export const PERMIT_DOCUMENTS = Symbol('PERMIT_DOCUMENTS');

const REQUEST_COLUMNS = `r.id, r.reference, r.family_account_id, r.establishment_id, e.name AS establishment_name, e.code AS establishment_code,
  r.detainee_id, (d.first_name || ' ' || d.last_name) AS detainee_name, d.ecrou_number AS detainee_ecrou, r.step, r.documents_understood,
  r.for_self, r.visitor_given_name, r.visitor_family_name, to_char(r.visitor_birthdate, 'YYYY-MM-DD') AS visitor_birthdate,
  r.relationship, r.relationship_detail, r.id_document_type, r.comment, r.status, r.submitted_at, r.complete_at, r.decided_at,
  r.decision_motivation, r.created_at`;

export type LookupResult = { ok: true } | { ok: false; reason: 'NOT_FOUND' | 'PREVENU' | 'RATE_LIMITED' };

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
    @Inject(PERMIT_DOCUMENTS) private readonly store: DocumentStore,
  ) {}

  async createDraft(familyId: string): Promise<string> {
    const [row] = await this.dataSource.query(`INSERT INTO permit_requests (family_account_id) VALUES ($1) RETURNING id`, [familyId]);
    return row.id;
  }

  async listForFamily(familyId: string): Promise<RequestRow[]> {
    return this.dataSource.query(
      `SELECT ${REQUEST_COLUMNS} FROM permit_requests r LEFT JOIN establishments e ON e.id = r.establishment_id LEFT JOIN detainees d ON d.id = r.detainee_id
        WHERE r.family_account_id = $1 ORDER BY r.created_at DESC LIMIT 100`,
      [familyId],
    );
  }

  /** The family's own request, or a 404 error: ids of others are indistinguishable from unknown ids. */
  async forFamily(familyId: string, id: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<RequestRow> {
    const rows = await m.query(
      `SELECT ${REQUEST_COLUMNS} FROM permit_requests r LEFT JOIN establishments e ON e.id = r.establishment_id LEFT JOIN detainees d ON d.id = r.detainee_id
        WHERE r.id = $1 AND r.family_account_id = $2 ${lock ? 'FOR UPDATE OF r' : ''}`,
      [id, familyId],
    );
    if (!rows[0]) throw new DomainError('NOT_FOUND', 'Demande introuvable.', 404);
    return rows[0];
  }

  async draftForFamily(familyId: string, id: string): Promise<RequestRow> {
    const r = await this.forFamily(familyId, id);
    if (r.status !== 'DRAFT')
      throw new DomainError('ALREADY_SUBMITTED', 'Cette demande est déjà envoyée : elle ne peut plus être modifiée.', 409);
    return r;
  }

  async documents(requestId: string, m: EntityManager = this.dataSource.manager): Promise<DocumentRow[]> {
    return m.query(
      `SELECT id, kind, content_type, size_bytes, original_name, review, review_reason, created_at FROM permit_documents
        WHERE request_id = $1 AND current AND deleted_at IS NULL ORDER BY kind`,
      [requestId],
    );
  }

  async events(requestId: string, familyView: boolean) {
    return this.dataSource.query(
      `SELECT at, kind, status, message, actor_type FROM permit_request_events WHERE request_id = $1 AND ($2 = false OR visible_to_family) ORDER BY at, id`,
      [requestId, familyView],
    );
  }

  /**
   * Step 1: the detainee, by establishment + numéro d'écrou + name. Unknown and mismatching
   * combinations get the same answer, failures are counted per account and limited per hour.
   */
  async chooseDetainee(
    familyId: string,
    id: string,
    input: { establishmentCode: string; ecrou: string; lastName: string },
    now = new Date(),
  ): Promise<LookupResult> {
    await this.draftForFamily(familyId, id);
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT id FROM family_accounts WHERE id = $1 FOR UPDATE`, [familyId]);
      const [{ failures }] = await m.query(
        `SELECT count(*)::int AS failures FROM permit_lookup_failures WHERE family_account_id = $1 AND at > $2`,
        [familyId, new Date(now.getTime() - 3600_000)],
      );
      if (failures >= MAX_LOOKUP_FAILURES_PER_HOUR) return { ok: false, reason: 'RATE_LIMITED' } as const;
      const [d] = await m.query(
        `SELECT d.id, d.last_name, d.legal_status, d.establishment_id FROM detainees d JOIN establishments e ON e.id = d.establishment_id
          WHERE e.code = $1 AND d.ecrou_number = $2 AND d.custody_status = 'PRESENT'`,
        [input.establishmentCode, input.ecrou.trim().toUpperCase()],
      );
      if (!d || !namesMatch(input.lastName, d.last_name)) {
        await m.query(`INSERT INTO permit_lookup_failures (family_account_id, at) VALUES ($1, $2)`, [familyId, now]);
        return { ok: false, reason: 'NOT_FOUND' } as const;
      }
      if (d.legal_status === 'PREVENU') return { ok: false, reason: 'PREVENU' } as const;
      await m.query(
        `UPDATE permit_requests SET establishment_id = $2, detainee_id = $3, step = greatest(step, 2), updated_at = now() WHERE id = $1`,
        [id, d.establishment_id, d.id],
      );
      return { ok: true } as const;
    });
  }

  /** Saves the answers of one step (2, 3, 4, 6 or 8) and moves the resume point forward. */
  async saveAnswers(familyId: string, id: string, nextStep: number, values: Record<string, unknown>): Promise<void> {
    const allowed = [
      'documents_understood',
      'for_self',
      'visitor_given_name',
      'visitor_family_name',
      'visitor_birthdate',
      'relationship',
      'relationship_detail',
      'id_document_type',
      'comment',
    ];
    const keys = Object.keys(values).filter((k) => allowed.includes(k));
    await this.draftForFamily(familyId, id);
    const sets = keys.map((k, i) => `${k} = $${i + 3}`).join(', ');
    await this.dataSource.query(
      `UPDATE permit_requests SET ${sets}${sets ? ', ' : ''}step = greatest(step, $2), updated_at = now() WHERE id = $1 AND status = 'DRAFT'`,
      [id, nextStep, ...keys.map((k) => values[k])],
    );
  }

  /** Checks a file by content, stores it encrypted, replaces the previous one of the same kind. */
  async upload(
    familyId: string,
    id: string,
    kind: DocumentKind,
    file: { buffer: Buffer; originalname: string } | undefined,
    nextStep: number | null,
  ): Promise<void> {
    const request = await this.forFamily(familyId, id);
    if (!['DRAFT', 'INCOMPLETE'].includes(request.status))
      throw new DomainError('LOCKED', 'Cette demande ne peut plus recevoir de documents.', 409);
    if (!file) throw new DomainError('NO_FILE', kind === 'PHOTO' ? 'Choisissez une photo.' : 'Choisissez un fichier.');
    const checked = kind === 'PHOTO' ? await checkPhoto(file.buffer) : await checkDocument(file.buffer);
    if (!checked.ok) throw new DomainError('BAD_FILE', checked.message);
    const { storageKey, sha256 } = await this.store.put(checked.content);
    try {
      await this.dataSource.transaction(async (m) => {
        await m.query(`SELECT id FROM permit_requests WHERE id = $1 FOR UPDATE`, [id]);
        await m.query(`UPDATE permit_documents SET current = false WHERE request_id = $1 AND kind = $2 AND current`, [id, kind]);
        const [doc] = await m.query(
          `INSERT INTO permit_documents (request_id, kind, storage_key, content_type, size_bytes, sha256, original_name) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [id, kind, storageKey, checked.contentType, checked.content.length, sha256, file.originalname.slice(0, 200)],
        );
        if (nextStep)
          await m.query(`UPDATE permit_requests SET step = greatest(step, $2), updated_at = now() WHERE id = $1`, [id, nextStep]);
        if (request.status === 'INCOMPLETE') {
          await m.query(
            `INSERT INTO permit_request_events (request_id, kind, message, visible_to_family, actor_type, actor_id) VALUES ($1, 'MESSAGE', $2, true, 'FAMILY', $3)`,
            [
              id,
              `Nouveau document envoyé : ${kind === 'PHOTO' ? 'photo' : kind === 'ID_DOCUMENT' ? 'pièce d’identité' : 'justificatif de domicile'}`,
              familyId,
            ],
          );
        }
        await this.audit.record(
          {
            actor: { type: 'FAMILY', id: familyId },
            action: 'PERMIT_DOCUMENT_UPLOADED',
            entityType: 'permit_document',
            entityId: doc.id,
            establishmentId: request.establishment_id,
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

  /** What is still missing before the request can be sent, in plain French. */
  missing(r: RequestRow, docs: DocumentRow[]): string[] {
    const has = (k: DocumentKind) => docs.some((d) => d.kind === k);
    const missing: string[] = [];
    if (!r.detainee_id) missing.push('la personne détenue');
    if (!r.documents_understood) missing.push('la confirmation de la liste des documents');
    if (r.for_self === null || !r.visitor_given_name || !r.visitor_family_name || !r.visitor_birthdate)
      missing.push('l’identité du visiteur');
    if (!r.relationship) missing.push('le lien avec la personne détenue');
    if (!has('PHOTO')) missing.push('la photo d’identité');
    if (!r.id_document_type || !has('ID_DOCUMENT')) missing.push('la pièce d’identité');
    if (!has('PROOF_OF_ADDRESS')) missing.push('le justificatif de domicile');
    return missing;
  }

  /** Sends the request: a reference, the status "Déposée", an acknowledgement e-mail, an audit entry. */
  async submit(familyId: string, id: string, now = new Date()): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const r = await this.forFamily(familyId, id, m, true);
      if (r.status !== 'DRAFT') throw new DomainError('ALREADY_SUBMITTED', 'Cette demande est déjà envoyée.', 409);
      // Inside the transaction, every query goes through its manager (one transaction at a time on PGlite).
      const missing = this.missing(r, await this.documents(id, m));
      if (missing.length) throw new DomainError('INCOMPLETE', `Il manque encore : ${missing.join(', ')}.`);
      const reference = `PV-${newReference()}`;
      await m.query(
        `UPDATE permit_requests SET status = 'SUBMITTED', reference = $2, submitted_at = $3, complete_at = $3, step = 9, updated_at = now() WHERE id = $1`,
        [id, reference, now],
      );
      await m.query(
        `INSERT INTO permit_request_events (request_id, at, kind, status, visible_to_family, actor_type, actor_id) VALUES ($1, $2, 'STATUS', 'SUBMITTED', true, 'FAMILY', $3)`,
        [id, now, familyId],
      );
      const [family] = await m.query(`SELECT email FROM family_accounts WHERE id = $1`, [familyId]);
      if (family?.email) {
        await this.notifications.enqueue(
          m,
          {
            channel: 'EMAIL',
            to: family.email,
            template: 'permit-request-received',
            category: 'TRANSACTIONAL',
            data: {
              reference,
              establishmentName: r.establishment_name,
              visitor: `${r.visitor_given_name} ${r.visitor_family_name}`,
              detainee: r.detainee_name,
              followUrl: `/demandes/${id}`,
            },
            entity: { type: 'permit_request', id },
            establishmentId: r.establishment_id,
          },
          now,
        );
      }
      await this.audit.record(
        {
          actor: { type: 'FAMILY', id: familyId } as Actor,
          action: 'PERMIT_REQUEST_SUBMITTED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId: r.establishment_id,
          after: { reference, minor: isMinor(r.visitor_birthdate!, now) },
        },
        m,
      );
      return reference;
    });
  }

  /** Stores a checked photo for a permit recorded by staff (no online request behind it). */
  async storePermitPhoto(m: EntityManager, file: { buffer: Buffer; originalname: string } | undefined): Promise<string> {
    if (!file) throw new DomainError('NO_FILE', 'Ajoutez la photo du visiteur : les agents la comparent avec son visage à l’entrée.');
    const checked = await checkPhoto(file.buffer);
    if (!checked.ok) throw new DomainError('BAD_FILE', checked.message);
    const { storageKey, sha256 } = await this.store.put(checked.content);
    try {
      const [doc] = await m.query(
        `INSERT INTO permit_documents (kind, storage_key, content_type, size_bytes, sha256, original_name) VALUES ('PHOTO', $1, $2, $3, $4, $5) RETURNING id`,
        [storageKey, checked.contentType, checked.content.length, sha256, file.originalname.slice(0, 200)],
      );
      return doc.id;
    } catch (e) {
      await this.store.delete(storageKey);
      throw e;
    }
  }

  /** After sending the documents asked for, the family sends the request back: complete again from now. */
  async resubmit(familyId: string, id: string, now = new Date()): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const r = await this.forFamily(familyId, id, m, true);
      if (r.status !== 'INCOMPLETE') throw new DomainError('NOT_INCOMPLETE', 'Cette demande n’attend pas de documents.', 409);
      await m.query(`UPDATE permit_requests SET status = 'SUBMITTED', complete_at = $2, updated_at = now() WHERE id = $1`, [id, now]);
      await m.query(
        `INSERT INTO permit_request_events (request_id, at, kind, status, visible_to_family, actor_type, actor_id) VALUES ($1, $2, 'STATUS', 'SUBMITTED', true, 'FAMILY', $3)`,
        [id, now, familyId],
      );
      await this.audit.record(
        {
          actor: { type: 'FAMILY', id: familyId },
          action: 'PERMIT_REQUEST_RESUBMITTED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId: r.establishment_id,
        },
        m,
      );
    });
  }

  /**
   * A document's content for its owner (the family who filed the request) or the permits staff of
   * the request's establishment; visiting-room agents see only the photos of permits (to compare
   * with the visitor's face); anyone else gets "not found".
   */
  async documentFor(
    viewer: { kind: 'family'; id: string } | { kind: 'agent'; establishmentIds: string[]; permitPhotosOnly?: boolean },
    documentId: string,
  ) {
    const [doc] = await this.dataSource.query(
      `SELECT p.storage_key, p.content_type, p.kind, r.family_account_id, coalesce(r.establishment_id, pm.establishment_id) AS establishment_id,
              pm.id IS NOT NULL AS permit_photo
         FROM permit_documents p LEFT JOIN permit_requests r ON r.id = p.request_id LEFT JOIN permits pm ON pm.photo_document_id = p.id
        WHERE p.id = $1 AND p.deleted_at IS NULL`,
      [documentId],
    );
    const allowed =
      doc &&
      (viewer.kind === 'family'
        ? doc.family_account_id === viewer.id
        : viewer.establishmentIds.includes(doc.establishment_id) && (!viewer.permitPhotosOnly || doc.permit_photo));
    if (!allowed) throw new DomainError('NOT_FOUND', 'Document introuvable.', 404);
    return { content: await this.store.get(doc.storage_key), contentType: doc.content_type as string, kind: doc.kind as DocumentKind };
  }
}
