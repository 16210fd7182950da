import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import type { Establishment } from '../establishments/establishment.entity';
import { ExistingDetainee, ImportPlan, LineError, parseGenesisCsv, planImport, TRANSFER_WINDOW_DAYS } from './detainee-import.rules';

export interface ImportReport {
  ok: boolean;
  errors: LineError[];
  created: number;
  updated: number;
  released: number;
  transferred: number;
  unchanged: number;
}

const DETAINEE_COLUMNS = `id, establishment_id AS "establishmentId", ecrou_number AS "ecrouNumber", last_name AS "lastName",
  first_name AS "firstName", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", legal_status AS "legalStatus",
  custody_status AS "custodyStatus", left_at AS "leftAt", housing`;

@Injectable()
export class DetaineesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(establishmentId: string, search: string, page: number, pageSize: number) {
    const params: unknown[] = [establishmentId];
    let where = `d.establishment_id = $1`;
    if (search) {
      params.push(`%${search.toLowerCase()}%`);
      where += ` AND (lower(d.last_name) LIKE $2 OR lower(d.first_name) LIKE $2 OR lower(d.ecrou_number) LIKE $2)`;
    }
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM detainees d WHERE ${where}`, params);
    const rows = await this.dataSource.query(
      `SELECT d.ecrou_number, d.last_name, d.first_name, to_char(d.birth_date, 'DD/MM/YYYY') AS birth_date, d.legal_status, d.custody_status, t.name AS transferred_to
         FROM detainees d LEFT JOIN establishments t ON t.id = d.transferred_to_id
        WHERE ${where} ORDER BY (d.custody_status <> 'PRESENT'), d.last_name, d.first_name, d.ecrou_number
        LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return { total, rows };
  }

  /**
   * Imports a GENESIS export for one establishment: all or nothing. Any bad line and nothing is
   * written; otherwise upserts, releases and transfers are applied in one transaction, each audited.
   */
  async importCsv(actor: Actor, establishment: Establishment, text: string, now = new Date()): Promise<ImportReport> {
    const empty = { created: 0, updated: 0, released: 0, transferred: 0, unchanged: 0 };
    const { records, errors } = parseGenesisCsv(text, now.toISOString().slice(0, 10));
    if (errors.length) return { ok: false, errors, ...empty };

    return this.dataSource.transaction(async (m) => {
      // One import at a time per establishment.
      await m.query(`SELECT id FROM establishments WHERE id = $1 FOR UPDATE`, [establishment.id]);
      const here: ExistingDetainee[] = await m.query(`SELECT ${DETAINEE_COLUMNS} FROM detainees WHERE establishment_id = $1`, [
        establishment.id,
      ]);
      const elsewhere: ExistingDetainee[] = await m.query(
        `SELECT ${DETAINEE_COLUMNS} FROM detainees
          WHERE establishment_id <> $1 AND (custody_status = 'PRESENT' OR (custody_status = 'LIBERE' AND left_at >= $2))`,
        [establishment.id, new Date(now.getTime() - TRANSFER_WINDOW_DAYS * 86400_000)],
      );
      const plan = planImport(records, here, elsewhere, now);
      await this.apply(m, actor, establishment, plan, now);
      const report: ImportReport = {
        ok: true,
        errors: [],
        created: plan.creates.length,
        updated: plan.updates.length,
        released: plan.releases.length,
        transferred: plan.transfersIn.length,
        unchanged: plan.unchanged,
      };
      await this.audit.record(
        {
          actor,
          action: 'DETAINEES_IMPORTED',
          entityType: 'establishment',
          entityId: establishment.id,
          establishmentId: establishment.id,
          after: { ...report, errors: undefined, lines: records.length },
        },
        m,
      );
      return report;
    });
  }

  private async apply(m: EntityManager, actor: Actor, establishment: Establishment, plan: ImportPlan, now: Date) {
    const base = { actor, entityType: 'detainee', establishmentId: establishment.id };
    for (const r of plan.creates) {
      const [row] = await m.query(
        `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status, housing) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
        [establishment.id, r.ecrouNumber, r.lastName, r.firstName, r.birthDate, r.legalStatus, r.housing ?? null],
      );
      await this.audit.record(
        {
          ...base,
          action: 'DETAINEE_CREATED',
          entityId: row.id,
          after: { ecrou: r.ecrouNumber, lastName: r.lastName, firstName: r.firstName, birthDate: r.birthDate, legalStatus: r.legalStatus },
        },
        m,
      );
    }
    for (const u of plan.updates) {
      const r = u.record;
      await m.query(
        `UPDATE detainees SET last_name = $2, first_name = $3, birth_date = $4, legal_status = $5, custody_status = 'PRESENT',
                housing = CASE WHEN $6 THEN $7 ELSE housing END, transferred_to_id = NULL, left_at = NULL, updated_at = now() WHERE id = $1`,
        [u.id, r.lastName, r.firstName, r.birthDate, r.legalStatus, r.housing !== undefined, r.housing ?? null],
      );
      const b = u.before;
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
      await m.query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = $2, updated_at = now() WHERE id = $1`, [d.id, now]);
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
    for (const t of plan.transfersIn) {
      await m.query(
        `UPDATE detainees SET custody_status = 'TRANSFERE', transferred_to_id = $2, left_at = coalesce(left_at, $3), updated_at = now() WHERE id = $1`,
        [t.from.id, establishment.id, now],
      );
      await this.audit.record(
        {
          ...base,
          establishmentId: t.from.establishmentId,
          action: 'DETAINEE_TRANSFERRED',
          entityId: t.from.id,
          before: { custodyStatus: t.from.custodyStatus },
          after: { custodyStatus: 'TRANSFERE', to: establishment.code, newEcrou: t.record.ecrouNumber },
        },
        m,
      );
    }
  }
}
