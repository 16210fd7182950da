import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { Department } from './letters';
import type { RefusalGround } from './permit-request.entity';
import type { Person } from './person-match';

/** The SQL of decisions: the author and ground of a decision, no-contact orders, signature delegations, the department. */

/** The establishment as the letters and acknowledgements name it (CRPA R112-5). */
export async function departmentOf(db: EntityManager, establishmentId: string): Promise<Department> {
  const row = await selectOne<Department>(
    db,
    `SELECT name, address, phone, email, interregional_direction AS "interregionalDirection" FROM establishments WHERE id = $1`,
    [establishmentId],
  );
  if (!row) throw new Error(`Unknown establishment ${establishmentId}`);
  return row;
}

/** The decision's legal ground (a refusal) and its author as printed. */
export async function setDecisionAuthor(db: EntityManager, id: string, ground: RefusalGround | null, decidedAs: string): Promise<void> {
  await execute(db, `UPDATE permit_requests SET refusal_ground = $2, decided_as = $3 WHERE id = $1`, [id, ground, decidedAs]);
}

/** The decision of a re-examination (recours gracieux): granted, by this author. */
export async function markReexaminedGranted(
  db: EntityManager,
  id: string,
  d: { at: Date; by: string; decidedAs: string; motivation: string | null },
): Promise<void> {
  await execute(
    db,
    `UPDATE permit_requests SET status = 'GRANTED', decided_at = $2, decided_by = $3, decided_as = $4, decision_motivation = $5,
            refusal_ground = NULL, updated_at = now() WHERE id = $1`,
    [id, d.at, d.by, d.decidedAs, d.motivation],
  );
}

/** The date by which the missing pieces of an incomplete request are expected. */
export async function setDocumentsDue(db: EntityManager, id: string, due: string): Promise<void> {
  await execute(db, `UPDATE permit_requests SET documents_due = $2 WHERE id = $1`, [id, due]);
}

// ---- No-contact orders ------------------------------------------------------------------------

export interface NoContactOrderRow {
  id: string;
  personGivenName: string;
  personFamilyName: string;
  /** AAAA-MM-JJ */
  personBirthdate: string | null;
  source: 'JUDICIAL_RECORD' | 'DECLARED';
  authority: string;
  validUntil: string | null;
  recordedAt: Date;
}

/** The orders in force on `day` (AAAA-MM-JJ) for a detainee. */
/** The person a no-contact order names, for `samePerson`. */
export function orderPerson(o: NoContactOrderRow): Person {
  return { givenName: o.personGivenName, familyName: o.personFamilyName, birthdate: o.personBirthdate };
}

/** Why a permit cannot be recorded or imported for a person a no-contact order in force names. */
export const NO_CONTACT_RECORD =
  'Une interdiction d’entrer en relation en vigueur vise ce visiteur : le permis ne peut pas être enregistré.';

export function ordersInForce(db: EntityManager, detaineeId: string, day: string): Promise<NoContactOrderRow[]> {
  return select<NoContactOrderRow>(
    db,
    `SELECT id, person_given_name AS "personGivenName", person_family_name AS "personFamilyName",
            to_char(person_birthdate, 'YYYY-MM-DD') AS "personBirthdate", source, authority,
            to_char(valid_until, 'YYYY-MM-DD') AS "validUntil", recorded_at AS "recordedAt"
       FROM no_contact_orders
      WHERE detainee_id = $1 AND ended_at IS NULL AND (valid_until IS NULL OR valid_until >= $2::date)
      ORDER BY recorded_at, id`,
    [detaineeId, day],
  );
}

/** The persons named by the no-contact orders in force on these detainees, by detainee id (the import's check). */
export async function ordersInForceOf(db: EntityManager, detaineeIds: string[], day: string): Promise<Map<string, Person[]>> {
  const rows = await select<Person & { detaineeId: string }>(
    db,
    `SELECT detainee_id AS "detaineeId", person_given_name AS "givenName", person_family_name AS "familyName",
            to_char(person_birthdate, 'YYYY-MM-DD') AS birthdate
       FROM no_contact_orders
      WHERE detainee_id = ANY($1::uuid[]) AND ended_at IS NULL AND (valid_until IS NULL OR valid_until >= $2::date)`,
    [detaineeIds, day],
  );
  const byDetainee = new Map<string, Person[]>();
  for (const { detaineeId, ...person } of rows) byDetainee.set(detaineeId, [...(byDetainee.get(detaineeId) ?? []), person]);
  return byDetainee;
}

export interface NewNoContactOrder {
  detaineeId: string;
  personGivenName: string;
  personFamilyName: string;
  personBirthdate: string | null;
  source: 'JUDICIAL_RECORD' | 'DECLARED';
  authority: string;
  validUntil: string | null;
  recordedBy: string;
  recordedAt: Date;
}

export async function insertNoContactOrder(db: EntityManager, o: NewNoContactOrder): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO no_contact_orders (detainee_id, person_given_name, person_family_name, person_birthdate, source, authority, valid_until,
                                    recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      o.detaineeId,
      o.personGivenName,
      o.personFamilyName,
      o.personBirthdate,
      o.source,
      o.authority,
      o.validUntil,
      o.recordedBy,
      o.recordedAt,
    ],
  );
  return rows[0].id;
}

/** Ends an order of this detainee still in force; false when there is none. */
export async function endNoContactOrder(db: EntityManager, detaineeId: string, id: string, at: Date): Promise<boolean> {
  return (
    (await execute(db, `UPDATE no_contact_orders SET ended_at = $3 WHERE id = $1 AND detainee_id = $2 AND ended_at IS NULL`, [
      id,
      detaineeId,
      at,
    ])) > 0
  );
}

// ---- Signature delegations --------------------------------------------------------------------

export interface DelegationRow {
  id: string;
  agentId: string;
  agentName: string;
  quality: string | null;
  validFrom: string;
  validTo: string | null;
  revokedAt: Date | null;
}

export function delegationsOf(db: EntityManager, establishmentId: string): Promise<DelegationRow[]> {
  return select<DelegationRow>(
    db,
    `SELECT s.id, s.agent_id AS "agentId", a.first_name || ' ' || a.last_name AS "agentName", a.quality,
            to_char(s.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(s.valid_to, 'YYYY-MM-DD') AS "validTo", s.revoked_at AS "revokedAt"
       FROM signature_delegations s JOIN agents a ON a.id = s.agent_id
      WHERE s.establishment_id = $1 ORDER BY s.revoked_at IS NOT NULL, s.valid_from DESC, s.created_at DESC LIMIT 200`,
    [establishmentId],
  );
}

export interface StaffAgentRow {
  id: string;
  name: string;
  quality: string | null;
}

/** The active agents of the establishment who instruct permits (permits officers, heads): those a delegation can go to. */
export function agentsOf(db: EntityManager, establishmentId: string): Promise<StaffAgentRow[]> {
  return select<StaffAgentRow>(
    db,
    `SELECT a.id, a.first_name || ' ' || a.last_name AS name, a.quality FROM agents a
      WHERE a.active AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.agent_id = a.id AND r.establishment_id = $1
                                   AND r.role IN ('PERMITS_OFFICER', 'HEAD_OF_ESTABLISHMENT'))
      ORDER BY a.last_name, a.first_name LIMIT 500`,
    [establishmentId],
  );
}

export async function insertDelegation(
  db: EntityManager,
  d: { establishmentId: string; agentId: string; validFrom: string; validTo: string | null; createdBy: string },
): Promise<string> {
  const rows = await select<{ id: string }>(
    db,
    `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, valid_to, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [d.establishmentId, d.agentId, d.validFrom, d.validTo, d.createdBy],
  );
  return rows[0].id;
}

export async function revokeDelegation(db: EntityManager, establishmentId: string, id: string, at: Date): Promise<boolean> {
  return (
    (await execute(db, `UPDATE signature_delegations SET revoked_at = $3 WHERE id = $1 AND establishment_id = $2 AND revoked_at IS NULL`, [
      id,
      establishmentId,
      at,
    ])) > 0
  );
}

export async function setAgentQuality(db: EntityManager, agentId: string, quality: string | null): Promise<void> {
  await execute(db, `UPDATE agents SET quality = $2 WHERE id = $1`, [agentId, quality]);
}

/** Whether the family already asked for the reasons of the implicit rejection (an event with this text). */
export async function eventRecorded(db: EntityManager, requestId: string, message: string): Promise<boolean> {
  return (
    (
      await selectOne<{ found: boolean }>(
        db,
        `SELECT EXISTS (SELECT 1 FROM permit_request_events WHERE request_id = $1 AND kind = 'MESSAGE' AND message = $2) AS found`,
        [requestId, message],
      )
    )?.found ?? false
  );
}
