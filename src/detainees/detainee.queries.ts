import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { ExistingDetainee, ImportRecord } from './detainee-import.rules';
import type { CustodyStatus, LegalStatus } from './detainee.entity';
import type { TransferProposalStatus } from './detainee-transfer-proposal.entity';

/** The SQL of the detainees module: the list, the GENESIS import and the transfer proposals. */

/** A line of "Personnes détenues". */
export interface DetaineeListRow {
  id: string;
  ecrouNumber: string;
  lastName: string;
  firstName: string;
  /** JJ/MM/AAAA */
  birthDate: string;
  legalStatus: LegalStatus;
  custodyStatus: CustodyStatus;
  /** The establishment the person was transferred to, by name. */
  transferredTo: string | null;
}

function searchWhere(establishmentId: string, search: string): { where: string; params: unknown[] } {
  if (!search) return { where: `d.establishment_id = $1`, params: [establishmentId] };
  return {
    where: `d.establishment_id = $1 AND (lower(d.last_name) LIKE $2 OR lower(d.first_name) LIKE $2 OR lower(d.ecrou_number) LIKE $2)`,
    params: [establishmentId, `%${search.toLowerCase()}%`],
  };
}

/** How many detainees of the establishment match the search (name, first name or écrou, any case). */
export async function countDetainees(db: EntityManager, establishmentId: string, search: string): Promise<number> {
  const { where, params } = searchWhere(establishmentId, search);
  const row = await selectOne<{ total: number }>(db, `SELECT count(*)::int AS total FROM detainees d WHERE ${where}`, params);
  return row?.total ?? 0;
}

/** One page of the establishment's detainees matching the search: present first, then by name. */
export function listDetainees(
  db: EntityManager,
  establishmentId: string,
  search: string,
  limit: number,
  offset: number,
): Promise<DetaineeListRow[]> {
  const { where, params } = searchWhere(establishmentId, search);
  return select<DetaineeListRow>(
    db,
    `SELECT d.id, d.ecrou_number AS "ecrouNumber", d.last_name AS "lastName", d.first_name AS "firstName",
            to_char(d.birth_date, 'DD/MM/YYYY') AS "birthDate", d.legal_status AS "legalStatus",
            d.custody_status AS "custodyStatus", t.name AS "transferredTo"
       FROM detainees d LEFT JOIN establishments t ON t.id = d.transferred_to_id
      WHERE ${where}
      ORDER BY (d.custody_status <> 'PRESENT'), d.last_name, d.first_name, d.ecrou_number
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, limit, offset],
  );
}

const EXISTING_COLUMNS = `id, establishment_id AS "establishmentId", ecrou_number AS "ecrouNumber", last_name AS "lastName",
  first_name AS "firstName", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", legal_status AS "legalStatus",
  custody_status AS "custodyStatus", left_at AS "leftAt", housing`;

/** Locks the establishment's row: one import at a time per establishment. */
export async function lockEstablishmentForImport(db: EntityManager, establishmentId: string): Promise<void> {
  await execute(db, `SELECT id FROM establishments WHERE id = $1 FOR UPDATE`, [establishmentId]);
}

/** Every detainee record of the establishment, whatever their custody status. */
export function detaineesOf(db: EntityManager, establishmentId: string): Promise<ExistingDetainee[]> {
  return select<ExistingDetainee>(db, `SELECT ${EXISTING_COLUMNS} FROM detainees WHERE establishment_id = $1`, [establishmentId]);
}

/** Records of other establishments a newcomer may be: present there, or released since `leftSince`. */
export function transferCandidates(db: EntityManager, excludedEstablishmentId: string, leftSince: Date): Promise<ExistingDetainee[]> {
  return select<ExistingDetainee>(
    db,
    `SELECT ${EXISTING_COLUMNS} FROM detainees
      WHERE establishment_id <> $1 AND (custody_status = 'PRESENT' OR (custody_status = 'LIBERE' AND left_at >= $2))`,
    [excludedEstablishmentId, leftSince],
  );
}

export async function insertDetainee(db: EntityManager, establishmentId: string, r: ImportRecord): Promise<string> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status, housing)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [establishmentId, r.ecrouNumber, r.lastName, r.firstName, r.birthDate, r.legalStatus, r.housing ?? null],
  );
  return row!.id;
}

/** A known écrou found in the file: identity and status as GENESIS says, present again; the cell kept if the file has none. */
export async function updateDetainee(db: EntityManager, id: string, r: ImportRecord): Promise<void> {
  await execute(
    db,
    `UPDATE detainees SET last_name = $2, first_name = $3, birth_date = $4, legal_status = $5, custody_status = 'PRESENT',
            housing = CASE WHEN $6 THEN $7 ELSE housing END, transferred_to_id = NULL, left_at = NULL, updated_at = now()
      WHERE id = $1`,
    [id, r.lastName, r.firstName, r.birthDate, r.legalStatus, r.housing !== undefined, r.housing ?? null],
  );
}

export async function releaseDetainee(db: EntityManager, id: string, at: Date): Promise<void> {
  await execute(db, `UPDATE detainees SET custody_status = 'LIBERE', left_at = $2, updated_at = now() WHERE id = $1`, [id, at]);
}

/** The detainee left for another establishment (the trigger flag_visits_for_review flags their future visits). */
export async function markTransferred(db: EntityManager, id: string, toEstablishmentId: string, at: Date): Promise<void> {
  await execute(
    db,
    `UPDATE detainees SET custody_status = 'TRANSFERE', transferred_to_id = $2, left_at = coalesce(left_at, $3), updated_at = now()
      WHERE id = $1`,
    [id, toEstablishmentId, at],
  );
}

/** Records a proposal unless the same one (person, arriving establishment, new écrou) exists already; its id, or null. */
export async function insertTransferProposal(
  db: EntityManager,
  p: { detaineeId: string; toEstablishmentId: string; newEcrou: string; detectedAt: Date },
): Promise<string | null> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO detainee_transfer_proposals (detainee_id, to_establishment_id, new_ecrou, detected_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (detainee_id, to_establishment_id, new_ecrou) DO NOTHING RETURNING id`,
    [p.detaineeId, p.toEstablishmentId, p.newEcrou, p.detectedAt],
  );
  return row?.id ?? null;
}

/** A transfer proposal as the detainee's establishment reads it. */
export interface TransferProposalRow {
  id: string;
  status: TransferProposalStatus;
  detaineeId: string;
  ecrouNumber: string;
  lastName: string;
  firstName: string;
  /** JJ/MM/AAAA */
  birthDate: string;
  custodyStatus: CustodyStatus;
  toEstablishmentId: string;
  toEstablishmentCode: string;
  toEstablishmentName: string;
  newEcrou: string;
  detectedAt: Date;
}

const PROPOSAL_COLUMNS = `p.id, p.status, d.id AS "detaineeId", d.ecrou_number AS "ecrouNumber", d.last_name AS "lastName",
  d.first_name AS "firstName", to_char(d.birth_date, 'DD/MM/YYYY') AS "birthDate", d.custody_status AS "custodyStatus",
  t.id AS "toEstablishmentId", t.code AS "toEstablishmentCode", t.name AS "toEstablishmentName", p.new_ecrou AS "newEcrou",
  p.detected_at AS "detectedAt"`;

/** The proposals awaiting a decision about the establishment's own detainees who are still here (or just left). */
export function pendingTransferProposals(db: EntityManager, establishmentId: string): Promise<TransferProposalRow[]> {
  return select<TransferProposalRow>(
    db,
    `SELECT ${PROPOSAL_COLUMNS}
       FROM detainee_transfer_proposals p
       JOIN detainees d ON d.id = p.detainee_id
       JOIN establishments t ON t.id = p.to_establishment_id
      WHERE d.establishment_id = $1 AND p.status = 'PENDING' AND d.custody_status <> 'TRANSFERE'
      ORDER BY p.detected_at, d.last_name, d.first_name, p.id`,
    [establishmentId],
  );
}

/** One proposal about a detainee of this establishment (null for any other), locked with its detainee when `lock`. */
export function transferProposal(
  db: EntityManager,
  establishmentId: string,
  proposalId: string,
  opts: { lock?: boolean } = {},
): Promise<TransferProposalRow | null> {
  return selectOne<TransferProposalRow>(
    db,
    `SELECT ${PROPOSAL_COLUMNS}
       FROM detainee_transfer_proposals p
       JOIN detainees d ON d.id = p.detainee_id
       JOIN establishments t ON t.id = p.to_establishment_id
      WHERE p.id = $1 AND d.establishment_id = $2${opts.lock ? ' FOR UPDATE OF p, d' : ''}`,
    [proposalId, establishmentId],
  );
}

export async function decideTransferProposal(
  db: EntityManager,
  id: string,
  decision: { status: Exclude<TransferProposalStatus, 'PENDING'>; decidedBy: string | null; decidedAt: Date },
): Promise<void> {
  await execute(db, `UPDATE detainee_transfer_proposals SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1`, [
    id,
    decision.status,
    decision.decidedBy,
    decision.decidedAt,
  ]);
}

// ---------- Previews of a population import (the file waits for the administrator's confirmation) ----------

export interface ImportPreviewRow {
  id: string;
  fileName: string;
  content: string;
}

/** Keeps one file to confirm per establishment: earlier previews of the establishment are dropped. */
export async function saveImportPreview(
  db: EntityManager,
  p: { establishmentId: string; agentId: string | null; fileName: string; content: string },
): Promise<string> {
  await execute(db, `DELETE FROM detainee_import_previews WHERE establishment_id = $1`, [p.establishmentId]);
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO detainee_import_previews (establishment_id, agent_id, file_name, content) VALUES ($1, $2, $3, $4) RETURNING id`,
    [p.establishmentId, p.agentId, p.fileName, p.content],
  );
  return row!.id;
}

/** A preview of this establishment (locked when it is being applied), or null. */
export function importPreview(db: EntityManager, establishmentId: string, id: string, lock = false): Promise<ImportPreviewRow | null> {
  return selectOne<ImportPreviewRow>(
    db,
    `SELECT id, file_name AS "fileName", content FROM detainee_import_previews
      WHERE id = $1 AND establishment_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [id, establishmentId],
  );
}

export async function deleteImportPreview(db: EntityManager, id: string): Promise<void> {
  await execute(db, `DELETE FROM detainee_import_previews WHERE id = $1`, [id]);
}
