import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { PermitOrigin, PermitStatus, RoomCondition } from './permit.entity';
import type { Relationship } from './permit.rules';

/** The SQL of linking recorded permits to family accounts (claim codes, staff links) and of « Mes permis ». */

/** A permit as a claim or a link needs it, locked. */
export interface PermitToLink {
  id: string;
  establishmentId: string;
  establishmentName: string;
  status: PermitStatus;
  origin: PermitOrigin;
  familyAccountId: string | null;
  claimCode: string | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  /** AAAA-MM-JJ */
  visitorBirthdate: string;
  detaineeName: string;
}

const TO_LINK = `p.id, p.establishment_id AS "establishmentId", e.name AS "establishmentName", p.status, p.origin,
  p.family_account_id AS "familyAccountId", p.claim_code AS "claimCode", p.visitor_given_name AS "visitorGivenName",
  p.visitor_family_name AS "visitorFamilyName", to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate",
  d.first_name || ' ' || d.last_name AS "detaineeName"
  FROM permits p JOIN establishments e ON e.id = p.establishment_id JOIN detainees d ON d.id = p.detainee_id`;

/** The permit of the establishment, locked for the transaction that links it or gives it a code. */
export function lockPermitToLink(m: EntityManager, establishmentId: string, permitId: string): Promise<PermitToLink | null> {
  return selectOne<PermitToLink>(m, `SELECT ${TO_LINK} WHERE p.id = $1 AND p.establishment_id = $2 FOR UPDATE OF p`, [
    permitId,
    establishmentId,
  ]);
}

/** The permit that has this claim code, locked (null: no such code). */
export function lockPermitByClaimCode(m: EntityManager, code: string): Promise<PermitToLink | null> {
  return selectOne<PermitToLink>(m, `SELECT ${TO_LINK} WHERE p.claim_code = $1 FOR UPDATE OF p`, [code]);
}

/** The permit read without a lock (the staff's confirmation page). */
export function permitToLink(db: EntityManager, establishmentId: string, permitId: string): Promise<PermitToLink | null> {
  return selectOne<PermitToLink>(db, `SELECT ${TO_LINK} WHERE p.id = $1 AND p.establishment_id = $2`, [permitId, establishmentId]);
}

export function permitToLinkById(db: EntityManager, permitId: string): Promise<PermitToLink | null> {
  return selectOne<PermitToLink>(db, `SELECT ${TO_LINK} WHERE p.id = $1`, [permitId]);
}

export async function setClaimCode(m: EntityManager, permitId: string, code: string): Promise<void> {
  await execute(m, `UPDATE permits SET claim_code = $2, updated_at = now() WHERE id = $1`, [permitId, code]);
}

export async function claimCodeOf(db: EntityManager, permitId: string): Promise<string | null> {
  return (
    (await selectOne<{ claimCode: string | null }>(db, `SELECT claim_code AS "claimCode" FROM permits WHERE id = $1`, [permitId]))
      ?.claimCode ?? null
  );
}

/** Links the permit to the account: the code is spent. */
export async function linkPermit(m: EntityManager, permitId: string, familyId: string, at: Date): Promise<void> {
  await execute(
    m,
    `UPDATE permits SET family_account_id = $2, claimed_at = $3, claim_code = NULL, updated_at = now()
      WHERE id = $1 AND family_account_id IS NULL`,
    [permitId, familyId, at],
  );
}

/** A family account as FranceConnect gave it. */
export interface AccountIdentity {
  id: string;
  givenName: string;
  familyName: string;
  /** AAAA-MM-JJ, or null when FranceConnect did not give it. */
  birthdate: string | null;
  email: string | null;
}

const ACCOUNT = `id, given_name AS "givenName", family_name AS "familyName", to_char(birthdate, 'YYYY-MM-DD') AS birthdate, email
  FROM family_accounts`;

/** The account, locked: one claim at a time per account, so the attempts are counted exactly. */
export function lockAccount(m: EntityManager, familyId: string): Promise<AccountIdentity | null> {
  return selectOne<AccountIdentity>(m, `SELECT ${ACCOUNT} WHERE id = $1 FOR UPDATE`, [familyId]);
}

export function account(db: EntityManager, familyId: string): Promise<AccountIdentity | null> {
  return selectOne<AccountIdentity>(db, `SELECT ${ACCOUNT} WHERE id = $1`, [familyId]);
}

/** The accounts with this e-mail address (case aside): one, none, or several. */
export function accountsByEmail(db: EntityManager, email: string): Promise<AccountIdentity[]> {
  return select<AccountIdentity>(db, `SELECT ${ACCOUNT} WHERE lower(email) = lower($1) ORDER BY created_at LIMIT 2`, [email]);
}

export async function claimFailuresSince(db: EntityManager, familyId: string, since: Date): Promise<number> {
  const row = await selectOne<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM permit_claim_failures WHERE family_account_id = $1 AND at > $2`,
    [familyId, since],
  );
  return row?.n ?? 0;
}

export async function insertClaimFailure(m: EntityManager, familyId: string, at: Date): Promise<void> {
  await execute(m, `INSERT INTO permit_claim_failures (family_account_id, at) VALUES ($1, $2)`, [familyId, at]);
}

/** Who holds the permit in P2V (the staff's permit page). */
export interface PermitHolderRow {
  familyAccountId: string | null;
  holderName: string | null;
  holderEmail: string | null;
  claimedAt: Date | null;
  claimCode: string | null;
  status: PermitStatus;
}

export function permitHolder(db: EntityManager, establishmentId: string, permitId: string): Promise<PermitHolderRow | null> {
  return selectOne<PermitHolderRow>(
    db,
    `SELECT p.family_account_id AS "familyAccountId", f.given_name || ' ' || f.family_name AS "holderName", f.email AS "holderEmail",
            p.claimed_at AS "claimedAt", p.claim_code AS "claimCode", p.status
       FROM permits p LEFT JOIN family_accounts f ON f.id = p.family_account_id
      WHERE p.id = $1 AND p.establishment_id = $2`,
    [permitId, establishmentId],
  );
}

/** A permit of the family, as « Mes permis » shows it. */
export interface FamilyPermitRow {
  id: string;
  /** The online request it was granted on, if any. */
  requestId: string | null;
  /** The permit's number: its request's reference, or the paper permit's. */
  number: string | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  relationship: Relationship;
  detaineeName: string;
  establishmentName: string;
  status: PermitStatus;
  statusReason: string | null;
  origin: PermitOrigin;
  validFrom: string;
  validTo: string | null;
  maxVisits: number | null;
  roomCondition: RoomCondition | null;
  allowedDays: number[] | null;
  allowedFrom: string | null;
  allowedTo: string | null;
  conditionsNote: string | null;
  /** Visits booked or made with it: the permit among the visit's visitors (still active), the visit not cancelled. */
  visitsUsed: number;
  /** The establishment's calendar day at `now` (AAAA-MM-JJ). */
  today: string;
  /** An intended suspension or withdrawal the family may answer until this day (AAAA-MM-JJ), if any. */
  observationsDue: string | null;
}

export function permitsOfFamily(db: EntityManager, familyId: string, now: Date): Promise<FamilyPermitRow[]> {
  return select<FamilyPermitRow>(
    db,
    `SELECT p.id, p.request_id AS "requestId", COALESCE(pr.reference, p.paper_reference) AS number,
            p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName", p.relationship,
            d.first_name || ' ' || d.last_name AS "detaineeName", e.name AS "establishmentName", p.status,
            p.status_reason AS "statusReason", p.origin, to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom",
            to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo", p.max_visits AS "maxVisits", p.room_condition AS "roomCondition",
            p.allowed_days::int[] AS "allowedDays", to_char(p.allowed_from, 'HH24:MI') AS "allowedFrom",
            to_char(p.allowed_to, 'HH24:MI') AS "allowedTo", p.conditions_note AS "conditionsNote",
            (SELECT count(DISTINCT v.id)::int FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id
              WHERE vv.permit_id = p.id AND vv.active AND v.status <> 'CANCELLED') AS "visitsUsed",
            to_char(($2::timestamptz AT TIME ZONE e.time_zone)::date, 'YYYY-MM-DD') AS today,
            (SELECT to_char(m.observations_due, 'YYYY-MM-DD') FROM permit_measures m
              WHERE m.permit_id = p.id AND m.status = 'PROPOSED') AS "observationsDue"
       FROM permits p JOIN detainees d ON d.id = p.detainee_id JOIN establishments e ON e.id = p.establishment_id
       LEFT JOIN permit_requests pr ON pr.id = p.request_id
      WHERE p.family_account_id = $1
      ORDER BY e.name, d.last_name, d.first_name, p.visitor_family_name, p.visitor_given_name, p.id`,
    [familyId, now],
  );
}
