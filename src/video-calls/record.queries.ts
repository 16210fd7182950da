import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { VideoCallAccessStatus } from './video-call-access.entity';

/**
 * The SQL of a detainee's video-call record: contacts, charters, phone account, access decisions
 * (tables detainee_phone_contacts, video_call_charters, phone_accounts, video_call_access) and the
 * establishment's sanctioned numbers.
 */

export interface RecordDetainee {
  id: string;
  ecrouNumber: string;
  firstName: string;
  lastName: string;
}

const DETAINEE_COLUMNS = `d.id, d.ecrou_number AS "ecrouNumber", d.first_name AS "firstName", d.last_name AS "lastName"`;

/** The detainees present in the establishment, by name or écrou number (empty search: all), by name. */
export async function searchDetainees(
  db: EntityManager,
  establishmentId: string,
  search: string,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: RecordDetainee[] }> {
  const where = `d.establishment_id = $1 AND d.custody_status = 'PRESENT'
    AND ($2 = '' OR upper(d.ecrou_number) = upper($2) OR (d.first_name || ' ' || d.last_name) ILIKE '%' || $2 || '%'
         OR (d.last_name || ' ' || d.first_name) ILIKE '%' || $2 || '%')`;
  const params = [establishmentId, search.replace(/[%_\\]/g, (c) => `\\${c}`)];
  const count = await selectOne<{ total: number }>(db, `SELECT count(*)::int AS total FROM detainees d WHERE ${where}`, params);
  const rows = await select<RecordDetainee>(
    db,
    `SELECT ${DETAINEE_COLUMNS} FROM detainees d WHERE ${where}
      ORDER BY lower(d.last_name), lower(d.first_name), d.ecrou_number LIMIT $3 OFFSET $4`,
    [...params, pageSize, (page - 1) * pageSize],
  );
  return { total: count?.total ?? 0, rows };
}

/** The detainee present in the establishment (null for anyone else: another establishment's, released). */
export function presentDetainee(db: EntityManager, establishmentId: string, id: string): Promise<RecordDetainee | null> {
  return selectOne<RecordDetainee>(
    db,
    `SELECT ${DETAINEE_COLUMNS} FROM detainees d WHERE d.id = $1 AND d.establishment_id = $2 AND d.custody_status = 'PRESENT'`,
    [id, establishmentId],
  );
}

/** Locks the detainee's row (FOR NO KEY UPDATE) to serialise the changes of their record. */
export async function lockDetainee(db: EntityManager, establishmentId: string, id: string): Promise<RecordDetainee | null> {
  return selectOne<RecordDetainee>(
    db,
    `SELECT ${DETAINEE_COLUMNS} FROM detainees d WHERE d.id = $1 AND d.establishment_id = $2 AND d.custody_status = 'PRESENT'
       FOR NO KEY UPDATE`,
    [id, establishmentId],
  );
}

export interface Contact {
  id: string;
  name: string;
  phone: string;
  relationship: string;
  minor: boolean;
  consentGivenBy: string | null;
  consentRecordedAt: Date | null;
  active: boolean;
  createdAt: Date;
}

const CONTACT_COLUMNS = `id, name, phone, relationship, minor, consent_given_by AS "consentGivenBy",
  consent_recorded_at AS "consentRecordedAt", active, created_at AS "createdAt"`;

/** The detainee's contacts, the active ones first. */
export function contactsOf(db: EntityManager, detaineeId: string): Promise<Contact[]> {
  return select<Contact>(
    db,
    `SELECT ${CONTACT_COLUMNS} FROM detainee_phone_contacts WHERE detainee_id = $1 ORDER BY active DESC, lower(name), created_at`,
    [detaineeId],
  );
}

export function contactOf(db: EntityManager, detaineeId: string, id: string): Promise<Contact | null> {
  return selectOne<Contact>(db, `SELECT ${CONTACT_COLUMNS} FROM detainee_phone_contacts WHERE id = $1 AND detainee_id = $2`, [
    id,
    detaineeId,
  ]);
}

export function activeContactWithPhone(db: EntityManager, detaineeId: string, phone: string): Promise<Contact | null> {
  return selectOne<Contact>(db, `SELECT ${CONTACT_COLUMNS} FROM detainee_phone_contacts WHERE detainee_id = $1 AND phone = $2 AND active`, [
    detaineeId,
    phone,
  ]);
}

export async function insertContact(
  db: EntityManager,
  c: { detaineeId: string; name: string; phone: string; relationship: string; minor: boolean; consentGivenBy: string | null },
  agentId: string,
  now: Date,
): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO detainee_phone_contacts (detainee_id, name, phone, relationship, minor, consent_given_by, consent_recorded_at,
                                          consent_recorded_by, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::text, CASE WHEN $6::text IS NULL THEN NULL ELSE $7::timestamptz END,
             CASE WHEN $6::text IS NULL THEN NULL ELSE $8::uuid END, $7, $8)
     RETURNING id`,
    [c.detaineeId, c.name, c.phone, c.relationship, c.minor, c.consentGivenBy, now, agentId],
  );
  return row.id;
}

export async function deactivateContact(db: EntityManager, id: string): Promise<void> {
  await execute(db, `UPDATE detainee_phone_contacts SET active = false WHERE id = $1`, [id]);
}

export interface Charter {
  id: string;
  signedOn: string;
  scanStorageKey: string | null;
  recordedAt: Date;
  recordedBy: string;
}

/** The detainee's signed charters, the latest signed first. */
export function chartersOf(db: EntityManager, detaineeId: string): Promise<Charter[]> {
  return select<Charter>(
    db,
    `SELECT c.id, to_char(c.signed_on, 'YYYY-MM-DD') AS "signedOn", c.scan_storage_key AS "scanStorageKey",
            c.recorded_at AS "recordedAt", a.first_name || ' ' || a.last_name AS "recordedBy"
       FROM video_call_charters c JOIN agents a ON a.id = c.recorded_by
      WHERE c.detainee_id = $1 ORDER BY c.signed_on DESC, c.recorded_at DESC`,
    [detaineeId],
  );
}

export async function insertCharter(
  db: EntityManager,
  detaineeId: string,
  signedOn: string,
  storageKey: string,
  agentId: string,
  now: Date,
): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO video_call_charters (detainee_id, signed_on, scan_storage_key, recorded_at, recorded_by)
     VALUES ($1, $2::date, $3, $4, $5) RETURNING id`,
    [detaineeId, signedOn, storageKey, now, agentId],
  );
  return row.id;
}

export interface PhoneAccount {
  balanceCents: number;
  blockedCents: number;
  planCode: string;
  updatedAt: Date | null;
}

/** The detainee's phone account (an empty one without a plan when none is opened yet). */
export async function accountOf(db: EntityManager, detaineeId: string): Promise<PhoneAccount> {
  return (
    (await selectOne<PhoneAccount>(
      db,
      `SELECT balance_cents AS "balanceCents", blocked_cents AS "blockedCents", plan_code AS "planCode", updated_at AS "updatedAt"
         FROM phone_accounts WHERE detainee_id = $1`,
      [detaineeId],
    )) ?? { balanceCents: 0, blockedCents: 0, planCode: 'NONE', updatedAt: null }
  );
}

/** The detainee's phone account, opened if need be, locked until the transaction ends. */
export async function lockAccount(db: EntityManager, detaineeId: string): Promise<PhoneAccount> {
  await execute(db, `INSERT INTO phone_accounts (detainee_id) VALUES ($1) ON CONFLICT (detainee_id) DO NOTHING`, [detaineeId]);
  const row = await selectOne<PhoneAccount>(
    db,
    `SELECT balance_cents AS "balanceCents", blocked_cents AS "blockedCents", plan_code AS "planCode", updated_at AS "updatedAt"
       FROM phone_accounts WHERE detainee_id = $1 FOR UPDATE`,
    [detaineeId],
  );
  if (!row) throw new Error('phone account vanished');
  return row;
}

export async function creditAccount(db: EntityManager, detaineeId: string, cents: number, now: Date): Promise<void> {
  await execute(db, `UPDATE phone_accounts SET balance_cents = balance_cents + $2, updated_at = $3 WHERE detainee_id = $1`, [
    detaineeId,
    cents,
    now,
  ]);
}

export async function setPlan(db: EntityManager, detaineeId: string, planCode: string, now: Date): Promise<void> {
  await execute(db, `UPDATE phone_accounts SET plan_code = $2, updated_at = $3 WHERE detainee_id = $1`, [detaineeId, planCode, now]);
}

export interface AccessDecisionRow {
  id: string;
  status: VideoCallAccessStatus;
  suspendedUntil: Date | null;
  motivation: string | null;
  decidedAt: Date;
  decidedBy: string;
}

/** The access decisions on the detainee, newest first (the first holds). */
export function accessHistory(db: EntityManager, detaineeId: string): Promise<AccessDecisionRow[]> {
  return select<AccessDecisionRow>(
    db,
    `SELECT v.id, v.status, v.suspended_until AS "suspendedUntil", v.motivation, v.decided_at AS "decidedAt",
            a.first_name || ' ' || a.last_name AS "decidedBy"
       FROM video_call_access v JOIN agents a ON a.id = v.decided_by
      WHERE v.detainee_id = $1 ORDER BY v.decided_at DESC, v.id`,
    [detaineeId],
  );
}

export async function insertAccessDecision(
  db: EntityManager,
  d: { detaineeId: string; status: VideoCallAccessStatus; suspendedUntil: Date | null; motivation: string | null },
  agentId: string,
  now: Date,
): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO video_call_access (detainee_id, status, suspended_until, motivation, decided_at, decided_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [d.detaineeId, d.status, d.suspendedUntil, d.motivation, now, agentId],
  );
  return row.id;
}

export interface Sanction {
  id: string;
  phone: string;
  until: Date | null;
  motivation: string;
  decidedAt: Date;
  decidedBy: string;
}

/** The condition « the sanction `s` is in force at `at` »: its end (if any) is still to come and it has not been lifted (by then). */
const IN_FORCE = (at: string) => `((s.until IS NULL OR s.until > ${at}) AND (s.lifted_at IS NULL OR s.lifted_at > ${at}))`;

/** Serialises the sanctions of one number of the establishment (transaction-scoped advisory lock). */
export async function lockNumber(db: EntityManager, establishmentId: string, phone: string): Promise<void> {
  await select(db, `SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked`, [`sanctioned_numbers:${establishmentId}:${phone}`]);
}

/** The establishment's sanctions on these numbers that are in force now (a lifted one is not). */
export function sanctionsInForce(db: EntityManager, establishmentId: string, phones: string[], now: Date): Promise<Sanction[]> {
  return select<Sanction>(
    db,
    `SELECT s.id, s.phone, s.until, s.motivation, s.decided_at AS "decidedAt", a.first_name || ' ' || a.last_name AS "decidedBy"
       FROM sanctioned_numbers s JOIN agents a ON a.id = s.decided_by
      WHERE s.establishment_id = $1 AND s.phone = ANY($2::text[]) AND ${IN_FORCE('$3')}
      ORDER BY s.decided_at DESC`,
    [establishmentId, phones, now],
  );
}

/** A sanction of the establishment's list: who decided it and when, its lifting if any, and the detainees it concerns. */
export interface SanctionEntry extends Sanction {
  liftedAt: Date | null;
  liftedBy: string | null;
  liftMotivation: string | null;
  /** In force now: not ended, not lifted. */
  inForce: boolean;
  /** The detainees present in the establishment with an active contact on this number, by name. */
  detainees: RecordDetainee[];
}

const ENTRY_COLUMNS = (now: string) => `s.id, s.phone, s.until, s.motivation, s.decided_at AS "decidedAt",
  a.first_name || ' ' || a.last_name AS "decidedBy", s.lifted_at AS "liftedAt",
  CASE WHEN l.id IS NULL THEN NULL ELSE l.first_name || ' ' || l.last_name END AS "liftedBy",
  s.lift_motivation AS "liftMotivation", ${IN_FORCE(now)} AS "inForce",
  coalesce((SELECT json_agg(json_build_object('id', d.id, 'ecrouNumber', d.ecrou_number, 'firstName', d.first_name,
                                              'lastName', d.last_name)
                            ORDER BY lower(d.last_name), lower(d.first_name), d.ecrou_number)
              FROM detainees d
             WHERE d.establishment_id = s.establishment_id AND d.custody_status = 'PRESENT'
               AND EXISTS (SELECT 1 FROM detainee_phone_contacts c WHERE c.detainee_id = d.id AND c.phone = s.phone AND c.active)),
           '[]'::json) AS detainees`;

const ENTRY_FROM = `sanctioned_numbers s JOIN agents a ON a.id = s.decided_by LEFT JOIN agents l ON l.id = s.lifted_by`;

/**
 * The establishment's sanctions, those in force first, then the ended and lifted ones, each group the
 * latest decided first; `digits` ('' for all) keeps the numbers that contain them (E.164 without its +).
 */
export async function establishmentSanctions(
  db: EntityManager,
  establishmentId: string,
  digits: string,
  now: Date,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: SanctionEntry[] }> {
  const where = `s.establishment_id = $1 AND ($2 = '' OR position($2 IN s.phone) > 0)`;
  const count = await selectOne<{ total: number }>(db, `SELECT count(*)::int AS total FROM sanctioned_numbers s WHERE ${where}`, [
    establishmentId,
    digits,
  ]);
  const rows = await select<SanctionEntry>(
    db,
    `SELECT ${ENTRY_COLUMNS('$3')} FROM ${ENTRY_FROM} WHERE ${where}
      ORDER BY ${IN_FORCE('$3')} DESC, s.decided_at DESC, s.id LIMIT $4 OFFSET $5`,
    [establishmentId, digits, now, pageSize, (page - 1) * pageSize],
  );
  return { total: count?.total ?? 0, rows };
}

/** One sanction of the establishment (null for another establishment's or an unknown id). */
export function establishmentSanction(db: EntityManager, establishmentId: string, id: string, now: Date): Promise<SanctionEntry | null> {
  return selectOne<SanctionEntry>(db, `SELECT ${ENTRY_COLUMNS('$3')} FROM ${ENTRY_FROM} WHERE s.id = $1 AND s.establishment_id = $2`, [
    id,
    establishmentId,
    now,
  ]);
}

/** Locks the establishment's sanction FOR UPDATE (serialises its lifting); null for another establishment's. */
export function lockSanction(
  db: EntityManager,
  establishmentId: string,
  id: string,
): Promise<{ phone: string; until: Date | null; motivation: string; liftedAt: Date | null } | null> {
  return selectOne(
    db,
    `SELECT phone, until, motivation, lifted_at AS "liftedAt" FROM sanctioned_numbers WHERE id = $1 AND establishment_id = $2 FOR UPDATE`,
    [id, establishmentId],
  );
}

export async function liftSanction(db: EntityManager, id: string, motivation: string, agentId: string, now: Date): Promise<void> {
  await execute(db, `UPDATE sanctioned_numbers SET lifted_at = $2, lifted_by = $3, lift_motivation = $4 WHERE id = $1`, [
    id,
    now,
    agentId,
    motivation,
  ]);
}

export async function insertSanction(
  db: EntityManager,
  s: { establishmentId: string; phone: string; until: Date | null; motivation: string },
  agentId: string,
  now: Date,
): Promise<string> {
  const [row] = await select<{ id: string }>(
    db,
    `INSERT INTO sanctioned_numbers (establishment_id, phone, until, motivation, decided_at, decided_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [s.establishmentId, s.phone, s.until, s.motivation, now, agentId],
  );
  return row.id;
}
