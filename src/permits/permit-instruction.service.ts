import { Inject, Injectable } from '@nestjs/common';
import { DocumentStore } from '../common/document-store';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import { returnedRows } from '../common/sql';
import { NotificationsService } from '../notifications/notifications.service';
import { decisionDeadline, MIN_MOTIVATION_LENGTH, STATUS_LABELS } from './permit.rules';
import { PERMIT_DOCUMENTS, type RequestRow } from './permit-requests.service';

const OPEN = ['SUBMITTED', 'INCOMPLETE', 'READY'];

/**
 * The establishment's side: the work queue, asking the family for documents, the head of
 * establishment's decision (a granted request creates the permit), the implicit rejection after
 * two months of silence. Every change is audited and the family told.
 */
@Injectable()
export class PermitInstructionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    @Inject(PERMIT_DOCUMENTS) private readonly store: DocumentStore,
  ) {}

  /**
   * Data protection: once a decision is final, the request's documents are deleted after the
   * retention period (files and their records), except the photo a permit shows at the door.
   */
  async purgeDocuments(retentionDays: number, now = new Date()): Promise<number> {
    const docs: { id: string; storage_key: string; request_id: string; establishment_id: string }[] = await this.dataSource.query(
      `SELECT p.id, p.storage_key, p.request_id, r.establishment_id FROM permit_documents p JOIN permit_requests r ON r.id = p.request_id
        WHERE p.deleted_at IS NULL AND r.status IN ('GRANTED','REFUSED','IMPLICITLY_REJECTED') AND r.decided_at <= $1
          AND NOT EXISTS (SELECT 1 FROM permits x WHERE x.photo_document_id = p.id)`,
      [new Date(now.getTime() - retentionDays * 86400_000)],
    );
    for (const d of docs) {
      await this.dataSource.transaction(async (m) => {
        await m.query(`UPDATE permit_documents SET deleted_at = $2 WHERE id = $1`, [d.id, now]);
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: `conservation ${retentionDays} jours` },
            action: 'PERMIT_DOCUMENT_DELETED',
            entityType: 'permit_document',
            entityId: d.id,
            establishmentId: d.establishment_id,
            after: { request: d.request_id },
          },
          m,
        );
      });
      await this.store.delete(d.storage_key);
    }
    return docs.length;
  }

  async queue(establishmentId: string, filter: string, search: string, page: number, pageSize: number) {
    const statuses =
      filter === 'decidees' ? ['GRANTED', 'REFUSED', 'IMPLICITLY_REJECTED'] : filter && STATUS_LABELS[filter] ? [filter] : OPEN;
    const params: unknown[] = [establishmentId, statuses];
    let where = `r.establishment_id = $1 AND r.status = ANY($2)`;
    if (search) {
      params.push(`%${search.toLowerCase()}%`);
      where += ` AND (lower(d.last_name) LIKE $3 OR lower(d.first_name) LIKE $3 OR lower(d.ecrou_number) LIKE $3 OR lower(r.reference) LIKE $3 OR lower(r.visitor_family_name) LIKE $3)`;
    }
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM permit_requests r JOIN detainees d ON d.id = r.detainee_id WHERE ${where}`,
      params,
    );
    const rows = await this.dataSource.query(
      `SELECT r.id, r.reference, r.status, r.submitted_at, r.complete_at, r.visitor_given_name, r.visitor_family_name,
              d.first_name || ' ' || d.last_name AS detainee_name, d.ecrou_number
         FROM permit_requests r JOIN detainees d ON d.id = r.detainee_id
        WHERE ${where} ORDER BY r.complete_at NULLS LAST, r.submitted_at LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return { total, rows };
  }

  async forEstablishment(
    establishmentId: string,
    id: string,
    m: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<RequestRow & { family_email: string | null; family_name: string }> {
    const rows = await m.query(
      `SELECT r.*, to_char(r.visitor_birthdate, 'YYYY-MM-DD') AS visitor_birthdate, e.name AS establishment_name, e.code AS establishment_code,
              d.first_name || ' ' || d.last_name AS detainee_name, d.ecrou_number AS detainee_ecrou, f.email AS family_email,
              f.given_name || ' ' || f.family_name AS family_name
         FROM permit_requests r JOIN establishments e ON e.id = r.establishment_id JOIN detainees d ON d.id = r.detainee_id
         JOIN family_accounts f ON f.id = r.family_account_id
        WHERE r.id = $1 AND r.establishment_id = $2 AND r.status <> 'DRAFT' ${lock ? 'FOR UPDATE OF r' : ''}`,
      [id, establishmentId],
    );
    if (!rows[0]) throw new DomainError('NOT_FOUND', 'Demande introuvable.', 404);
    return rows[0];
  }

  /** Asks the family for documents or a new photo: the request goes back to them, they are told. */
  async askFamily(actor: Actor, establishmentId: string, id: string, message: string, now = new Date()) {
    if (message.trim().length < 10)
      throw new DomainError('MESSAGE_TOO_SHORT', 'Expliquez à la famille ce qu’elle doit envoyer (10 caractères au moins).');
    await this.dataSource.transaction(async (m) => {
      const r = await this.forEstablishment(establishmentId, id, m, true);
      if (!OPEN.includes(r.status)) throw new DomainError('DECIDED', 'Cette demande est déjà décidée.', 409);
      await m.query(`UPDATE permit_requests SET status = 'INCOMPLETE', complete_at = NULL, updated_at = now() WHERE id = $1`, [id]);
      await m.query(
        `INSERT INTO permit_request_events (request_id, at, kind, status, visible_to_family, actor_type, actor_id) VALUES ($1, $2, 'STATUS', 'INCOMPLETE', true, 'AGENT', $3)`,
        [id, now, actor.id],
      );
      await m.query(
        `INSERT INTO permit_request_events (request_id, at, kind, message, visible_to_family, actor_type, actor_id) VALUES ($1, $2, 'MESSAGE', $3, true, 'AGENT', $4)`,
        [id, now, message.trim(), actor.id],
      );
      await this.tell(m, r, 'permit-request-incomplete', { message: message.trim() }, now);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_DOCUMENTS_REQUESTED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId,
          after: { message: message.trim() },
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
  ) {
    if (review === 'TO_REPLACE' && reason.trim().length < 5)
      throw new DomainError('REASON_REQUIRED', 'Indiquez pourquoi le document doit être remplacé.');
    await this.dataSource.transaction(async (m) => {
      const r = await this.forEstablishment(establishmentId, id, m, true);
      if (!OPEN.includes(r.status)) throw new DomainError('DECIDED', 'Cette demande est déjà décidée.', 409);
      const updated = returnedRows(
        await m.query(
          `UPDATE permit_documents SET review = $3, review_reason = $4 WHERE id = $1 AND request_id = $2 AND current RETURNING kind`,
          [documentId, id, review, review === 'TO_REPLACE' ? reason.trim() : null],
        ),
      );
      if (!updated.length) throw new DomainError('NOT_FOUND', 'Document introuvable.', 404);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_DOCUMENT_REVIEWED',
          entityType: 'permit_document',
          entityId: documentId,
          establishmentId,
          after: { review, reason: reason.trim() || undefined },
        },
        m,
      );
    });
  }

  /** An internal note on the request: never shown to the family. */
  async addNote(actor: Actor, establishmentId: string, id: string, note: string) {
    if (!note.trim()) throw new DomainError('EMPTY_NOTE', 'Écrivez la note.');
    await this.dataSource.transaction(async (m) => {
      await this.forEstablishment(establishmentId, id, m, true);
      await m.query(
        `INSERT INTO permit_request_events (request_id, kind, message, visible_to_family, actor_type, actor_id) VALUES ($1, 'NOTE', $2, false, 'AGENT', $3)`,
        [id, note.trim(), actor.id],
      );
      await this.audit.record(
        { actor, action: 'PERMIT_REQUEST_NOTE_ADDED', entityType: 'permit_request', entityId: id, establishmentId },
        m,
      );
    });
  }

  /** The permits officer marks the request ready for the head of establishment's decision. */
  async markReady(actor: Actor, establishmentId: string, id: string) {
    await this.dataSource.transaction(async (m) => {
      const r = await this.forEstablishment(establishmentId, id, m, true);
      if (r.status !== 'SUBMITTED')
        throw new DomainError('NOT_SUBMITTED', 'Seule une demande déposée et complète peut être marquée prête.', 409);
      await m.query(`UPDATE permit_requests SET status = 'READY', updated_at = now() WHERE id = $1`, [id]);
      await m.query(
        `INSERT INTO permit_request_events (request_id, kind, status, visible_to_family, actor_type, actor_id) VALUES ($1, 'STATUS', 'READY', true, 'AGENT', $2)`,
        [id, actor.id],
      );
      await this.audit.record({ actor, action: 'PERMIT_REQUEST_READY', entityType: 'permit_request', entityId: id, establishmentId }, m);
    });
  }

  /** Suspends or withdraws a permit (reason required); the family is told. Reactivation after a suspension. */
  async changePermitStatus(
    actor: Actor,
    establishmentId: string,
    permitId: string,
    status: 'ACTIVE' | 'SUSPENDED' | 'WITHDRAWN',
    reason: string,
  ) {
    if (status !== 'ACTIVE' && reason.trim().length < 10)
      throw new DomainError('REASON_REQUIRED', 'Une suspension ou un retrait doit être motivé (10 caractères au moins).');
    await this.dataSource.transaction(async (m) => {
      const [p] = await m.query(
        `SELECT p.id, p.status, p.family_account_id, p.visitor_given_name, p.visitor_family_name, f.email, e.name AS establishment_name
           FROM permits p JOIN establishments e ON e.id = p.establishment_id LEFT JOIN family_accounts f ON f.id = p.family_account_id
          WHERE p.id = $1 AND p.establishment_id = $2 FOR UPDATE OF p`,
        [permitId, establishmentId],
      );
      if (!p) throw new DomainError('NOT_FOUND', 'Permis introuvable.', 404);
      if (p.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Ce permis est retiré : il ne peut plus changer.', 409);
      if (p.status === status) throw new DomainError('UNCHANGED', 'Le permis a déjà ce statut.', 409);
      await m.query(`UPDATE permits SET status = $2, status_reason = $3, updated_at = now() WHERE id = $1`, [
        permitId,
        status,
        status === 'ACTIVE' ? null : reason.trim(),
      ]);
      if (p.email) {
        await this.notifications.enqueue(m, {
          channel: 'EMAIL',
          to: p.email,
          template: 'permit-status-changed',
          category: 'TRANSACTIONAL',
          data: {
            establishmentName: p.establishment_name,
            visitor: `${p.visitor_given_name} ${p.visitor_family_name}`,
            status,
            reason: reason.trim(),
          },
          entity: { type: 'permit', id: permitId },
          establishmentId,
        });
      }
      await this.audit.record(
        {
          actor,
          action: `PERMIT_${status}`,
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { status: p.status },
          after: { status, reason: reason.trim() || undefined },
        },
        m,
      );
    });
  }

  /**
   * Records a permit issued outside P2V — on paper, or by the magistrate in charge for a prévenu —
   * so that the digital record of who may visit is complete.
   */
  async recordPermit(
    actor: Actor,
    establishmentId: string,
    input: {
      ecrou: string;
      givenName: string;
      familyName: string;
      birthdate: string;
      relationship: string;
      origin: 'PAPER' | 'MAGISTRATE';
      validFrom: string;
      validTo: string | null;
    },
    storePhoto: (m: EntityManager) => Promise<string>,
  ): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const [d] = await m.query(
        `SELECT id, legal_status FROM detainees WHERE establishment_id = $1 AND ecrou_number = $2 AND custody_status = 'PRESENT'`,
        [establishmentId, input.ecrou],
      );
      if (!d) throw new DomainError('UNKNOWN_DETAINEE', 'Aucune personne détenue présente dans l’établissement n’a ce numéro d’écrou.');
      if (d.legal_status === 'PREVENU' && input.origin !== 'MAGISTRATE') {
        throw new DomainError(
          'MAGISTRATE_REQUIRED',
          'Pour une personne prévenue, le permis est délivré par le magistrat chargé du dossier : choisissez « magistrat ».',
        );
      }
      const photoId = await storePhoto(m);
      const [p] = await m.query(
        `INSERT INTO permits (establishment_id, detainee_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship, photo_document_id, valid_from, valid_to, origin)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          establishmentId,
          d.id,
          input.givenName,
          input.familyName,
          input.birthdate,
          input.relationship,
          photoId,
          input.validFrom,
          input.validTo,
          input.origin,
        ],
      );
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_RECORDED',
          entityType: 'permit',
          entityId: p.id,
          establishmentId,
          after: { origin: input.origin, ecrou: input.ecrou, visitor: `${input.givenName} ${input.familyName}` },
        },
        m,
      );
      return p.id;
    });
  }

  /** The head of establishment's decision. A refusal must be motivated; a grant creates the permit. */
  async decide(
    actor: Actor,
    establishmentId: string,
    id: string,
    decision: 'GRANT' | 'REFUSE',
    motivation: string,
    now = new Date(),
  ): Promise<string | null> {
    const text = motivation.trim();
    if (decision === 'REFUSE' && text.length < MIN_MOTIVATION_LENGTH) {
      throw new DomainError(
        'MOTIVATION_REQUIRED',
        `Un refus doit être motivé en fait et en droit (${MIN_MOTIVATION_LENGTH} caractères au moins).`,
      );
    }
    return this.dataSource.transaction(async (m) => {
      const r = await this.forEstablishment(establishmentId, id, m, true);
      if (!OPEN.includes(r.status)) throw new DomainError('DECIDED', 'Cette demande est déjà décidée.', 409);
      const status = decision === 'GRANT' ? 'GRANTED' : 'REFUSED';
      await m.query(
        `UPDATE permit_requests SET status = $2, decided_at = $3, decided_by = $4, decision_motivation = $5, updated_at = now() WHERE id = $1`,
        [id, status, now, actor.id, text || null],
      );
      await m.query(
        `INSERT INTO permit_request_events (request_id, at, kind, status, visible_to_family, actor_type, actor_id) VALUES ($1, $2, 'STATUS', $3, true, 'AGENT', $4)`,
        [id, now, status, actor.id],
      );
      let permitId: string | null = null;
      if (decision === 'GRANT') {
        const [photo] = await m.query(`SELECT id FROM permit_documents WHERE request_id = $1 AND kind = 'PHOTO' AND current`, [id]);
        const [permit] = await m.query(
          `INSERT INTO permits (request_id, establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship, photo_document_id, valid_from, origin)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'ONLINE') RETURNING id`,
          [
            id,
            establishmentId,
            r.detainee_id,
            r.family_account_id,
            r.visitor_given_name,
            r.visitor_family_name,
            r.visitor_birthdate,
            r.relationship,
            photo?.id ?? null,
            now.toISOString().slice(0, 10),
          ],
        );
        permitId = permit.id;
        await this.audit.record(
          {
            actor,
            action: 'PERMIT_ISSUED',
            entityType: 'permit',
            entityId: permitId,
            establishmentId,
            after: { request: r.reference, visitor: `${r.visitor_given_name} ${r.visitor_family_name}` },
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
  async expireOverdue(now = new Date()): Promise<number> {
    const candidates: { id: string; establishment_id: string; complete_at: Date }[] = await this.dataSource.query(
      `SELECT id, establishment_id, complete_at FROM permit_requests WHERE status IN ('SUBMITTED','READY') AND complete_at IS NOT NULL AND complete_at <= $1`,
      [new Date(now.getTime() - 28 * 86400_000)],
    );
    let expired = 0;
    for (const c of candidates) {
      if (decisionDeadline(new Date(c.complete_at)).getTime() > now.getTime()) continue;
      await this.dataSource.transaction(async (m) => {
        const changed = returnedRows(
          await m.query(
            `UPDATE permit_requests SET status = 'IMPLICITLY_REJECTED', decided_at = $2, updated_at = now() WHERE id = $1 AND status IN ('SUBMITTED','READY') RETURNING id`,
            [c.id, now],
          ),
        );
        if (!changed.length) return;
        const r = await this.forEstablishment(c.establishment_id, c.id, m);
        await m.query(
          `INSERT INTO permit_request_events (request_id, at, kind, status, visible_to_family, actor_type) VALUES ($1, $2, 'STATUS', 'IMPLICITLY_REJECTED', true, 'SYSTEM')`,
          [c.id, now],
        );
        await this.tell(m, r, 'permit-request-implicit-rejection', {}, now);
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: 'délai de 2 mois' },
            action: 'PERMIT_REQUEST_IMPLICITLY_REJECTED',
            entityType: 'permit_request',
            entityId: c.id,
            establishmentId: c.establishment_id,
          },
          m,
        );
        expired++;
      });
    }
    return expired;
  }

  async permit(establishmentId: string, permitId: string) {
    const [p] = await this.dataSource.query(
      `SELECT p.*, to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS visitor_birthdate, to_char(p.valid_from, 'YYYY-MM-DD') AS valid_from,
              d.first_name || ' ' || d.last_name AS detainee_name, d.ecrou_number, e.name AS establishment_name, e.code AS establishment_code, r.reference
         FROM permits p JOIN detainees d ON d.id = p.detainee_id JOIN establishments e ON e.id = p.establishment_id LEFT JOIN permit_requests r ON r.id = p.request_id
        WHERE p.id = $1 AND p.establishment_id = $2`,
      [permitId, establishmentId],
    );
    if (!p) throw new DomainError('NOT_FOUND', 'Permis introuvable.', 404);
    return p;
  }

  private async tell(
    m: EntityManager,
    r: RequestRow & { family_email: string | null },
    template: string,
    extra: Record<string, unknown>,
    now: Date,
  ) {
    if (!r.family_email) return;
    await this.notifications.enqueue(
      m,
      {
        channel: 'EMAIL',
        to: r.family_email,
        template,
        category: 'TRANSACTIONAL',
        data: {
          reference: r.reference,
          establishmentName: r.establishment_name,
          visitor: `${r.visitor_given_name} ${r.visitor_family_name}`,
          followUrl: `/demandes/${r.id}`,
          ...extra,
        },
        entity: { type: 'permit_request', id: r.id },
        establishmentId: r.establishment_id,
      },
      now,
    );
  }
}
