import { createHmac } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** Who made a change: the audit log says it in words too (the person's name, or the job's). */
export interface Actor {
  type: 'AGENT' | 'FAMILY' | 'SYSTEM';
  id?: string | null;
  label: string;
}

export interface AuditEntry {
  actor: Actor;
  action: string;
  entityType: string;
  entityId?: string | null;
  establishmentId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Outside production a fixed development key signs the audit log; never use it for real entries. */
const DEVELOPMENT_AUDIT_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1hdWRpdC1sb2cta2V5LTA=';

/**
 * The HMAC key of the audit chain (AUDIT_KEY, 32 bytes in base64). Read straight from the
 * environment because AuditService is also built by scripts and tests without the Nest config
 * (and common/ imports no config); loadConfig validates it too at start-up (EnvironmentVariables).
 */
export function auditKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const value = env.AUDIT_KEY || undefined;
  if (!value && env.NODE_ENV === 'production') throw new Error('AUDIT_KEY is required in production (the audit log is signed with it)');
  if (value && !/^[A-Za-z0-9+/]{43}=$/.test(value))
    throw new Error('AUDIT_KEY must be 32 random bytes in base64 (openssl rand -base64 32)');
  return Buffer.from(value ?? DEVELOPMENT_AUDIT_KEY, 'base64');
}

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', label: 'P2V' };

/** A staff member's read of a personal document (issue #14): what was read, where. */
export interface AuditedRead {
  action: 'DOCUMENT_READ' | 'PHOTO_READ' | 'PERMIT_PDF_READ' | 'LETTER_READ' | 'CHARTER_READ';
  entityType: string;
  entityId: string;
  establishmentId: string;
  /** What helps a reviewer without opening the file: its kind, the request or case it belongs to. */
  details?: Record<string, unknown>;
}

/** The advisory lock that orders the chain: taken by audit_log_next (or here) and again (re-entrant) by trigger audit_log_chain. */
const CHAIN_LOCK = 727262001;
const GENESIS = '0'.repeat(64);
/** The canonical text of stored row `a`, as hashed (plain) or signed (HMAC). */
const MESSAGE_OF_ROW = `audit_log_message(a.id, a.occurred_at, a.actor_type, a.actor_id, a.actor_label, a.action, a.entity_type,
  a.entity_id, a.establishment_id, a.before, a.after, a.prev_hash)`;

/**
 * AuditService.record's first statement: under the chain's lock, the next id, the time, the head and the
 * canonical text, in one call (migration AuditNextEntry). The benchmark's baseline finds it by this text.
 */
export const NEXT_ENTRY_SQL = `SELECT next_id AS id, next_at AS "occurredAt", next_prev AS "prevHash", next_message AS message
         FROM audit_log_next($1, $2::uuid, $3, $4, $5, $6, $7::uuid, $8::jsonb, $9::jsonb)`;

/** audit:verify's read: a batch of entries after $1, in id order, with what each is checked against. */
export const VERIFY_BATCH_SQL = `SELECT id::text AS id, prev_hash, hash, audit_log_row_hash(a) AS plain, ${MESSAGE_OF_ROW} AS message
         FROM audit_log a WHERE a.id > $1::bigint ORDER BY a.id LIMIT $2`;

/** HMAC-SHA256 of an entry's canonical text (SQL audit_log_message), in hex like the plain hashes. */
export function auditHmac(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/**
 * The one way to write the audit log. Call it with the EntityManager of the transaction that
 * makes the change, so the entry exists if and only if the change does. The database refuses
 * updates and deletes. Each entry's hash is an HMAC under AUDIT_KEY (issue #14, migration
 * AuditChainKeyed): under the chain's lock this reads the next id, the time, the head and the
 * canonical text in one call (audit_log_next), signs it here, then inserts the row; the key never reaches the
 * database, so whoever owns it cannot recompute the chain after rewriting a row.
 */
@Injectable()
export class AuditService {
  private readonly key = auditKey();

  /** The DataSource is only needed by recordNow; scripts and tests build the service without it. */
  constructor(@Optional() private readonly dataSource?: DataSource) {}

  /**
   * Records that a staff member read an identity document, a photo, a permit PDF or a letter
   * (who, what, where; the time is the entry's). Call it after the document was found and before it
   * is sent. If the entry cannot be written the read fails (500) rather than happen unrecorded:
   * these are the files a data-protection officer asks about, and a read nobody can account for is
   * the very thing the log exists to prevent. Family reads of their own files are not recorded.
   */
  async recordRead(actor: Actor, read: AuditedRead): Promise<void> {
    await this.recordNow({
      actor,
      action: read.action,
      entityType: read.entityType,
      entityId: read.entityId,
      establishmentId: read.establishmentId,
      after: read.details,
    });
  }

  /** An entry that goes with no change of its own (a read, a refused sign-in, a sign-out): one short transaction. */
  async recordNow(entry: AuditEntry): Promise<void> {
    if (!this.dataSource) throw new Error('AuditService.recordNow needs the DataSource');
    await this.dataSource.transaction((m) => this.record(entry, m));
  }

  async record(entry: AuditEntry, manager: EntityManager): Promise<void> {
    const before = entry.before === undefined ? null : JSON.stringify(entry.before);
    const after = entry.after === undefined ? null : JSON.stringify(entry.after);
    const content = [
      entry.actor.type,
      entry.actor.id ?? null,
      entry.actor.label,
      entry.action,
      entry.entityType,
      entry.entityId ?? null,
      entry.establishmentId ?? null,
      before,
      after,
    ];
    // The chain's lock, then the next id, the time, the head and the canonical text, in one round trip: the
    // lock is held until the transaction ends, so every statement after it keeps the other writers waiting
    // (migration AuditNextEntry; its query sees the head committed while it waited for the lock).
    const [next] = await manager.query<{ id: string; occurredAt: string; prevHash: string; message: string }[]>(NEXT_ENTRY_SQL, content);
    await manager.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_label, action, entity_type, entity_id, establishment_id, before, after,
                              id, occurred_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [...content, next.id, next.occurredAt, next.prevHash, auditHmac(this.key, next.message)],
    );
  }

  /**
   * At start-up, after the migrations: a chain whose head is a plain SHA-256 entry (written before
   * the chain was keyed) gets an AUDIT_CHAIN_KEYED entry, signed, which anchors every entry before
   * it. A head that is neither plain nor signed under this key (a wrong AUDIT_KEY, or tampering) is
   * left alone: `audit:verify` reports it.
   */
  async anchorLegacyChain(manager: EntityManager): Promise<'EMPTY' | 'KEYED' | 'ANCHORED' | 'UNKNOWN_HEAD'> {
    // Under the chain's lock: two instances starting together anchor the chain once.
    await manager.query(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
    const [head] = await manager.query<{ id: string; hash: string; plain: string; message: string }[]>(
      `SELECT a.id::text AS id, a.hash, audit_log_row_hash(a) AS plain, ${MESSAGE_OF_ROW} AS message
         FROM audit_log a ORDER BY a.id DESC LIMIT 1`,
    );
    if (!head) return 'EMPTY';
    if (head.hash === auditHmac(this.key, head.message)) return 'KEYED';
    if (head.hash !== head.plain) return 'UNKNOWN_HEAD';
    await this.record(
      { actor: SYSTEM_ACTOR, action: 'AUDIT_CHAIN_KEYED', entityType: 'audit_log', entityId: head.id, after: { plainUpTo: head.id } },
      manager,
    );
    return 'ANCHORED';
  }
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  head: string | null;
  brokenAt?: string;
  reason?: string;
  /** The first entry signed with the key (entries before it are plain SHA-256, anchored by it). */
  keyedFrom?: string;
}

/**
 * Walks the whole chain in id order. Every entry must name the previous entry's hash; its own hash
 * must be the HMAC of its canonical text under `key`. Plain SHA-256 entries (written before the
 * chain was keyed) are accepted only before the first signed one, and a non-empty chain must hold
 * a signed entry: a chain rewritten without the key (every hash recomputed as plain SHA-256) fails.
 */
export async function verifyAuditChain(
  query: (sql: string, params: unknown[]) => Promise<unknown[]>,
  key: Buffer = auditKey(),
  batch = 5000,
): Promise<ChainReport> {
  let previous = GENESIS;
  let lastId = '0';
  let checked = 0;
  let keyedFrom: string | undefined;
  for (;;) {
    const rows = (await query(VERIFY_BATCH_SQL, [lastId, batch])) as {
      id: string;
      prev_hash: string;
      hash: string;
      plain: string;
      message: string;
    }[];
    for (const row of rows) {
      if (row.prev_hash !== previous) {
        return {
          ok: false,
          checked,
          head: previous,
          brokenAt: row.id,
          reason: 'prev_hash does not match the previous row (row removed or inserted)',
        };
      }
      if (row.hash === auditHmac(key, row.message)) keyedFrom ??= row.id;
      else if (keyedFrom || row.plain !== row.hash) {
        return {
          ok: false,
          checked,
          head: previous,
          brokenAt: row.id,
          reason: keyedFrom
            ? 'its HMAC does not match (row modified, or the chain recomputed without the key)'
            : 'content does not match its hash or HMAC (row modified, or AUDIT_KEY is not the chain’s key)',
        };
      }
      previous = row.hash;
      lastId = row.id;
      checked++;
    }
    if (rows.length < batch) break;
  }
  if (checked && !keyedFrom) {
    return {
      ok: false,
      checked,
      head: previous,
      brokenAt: lastId,
      reason: 'no entry is signed with AUDIT_KEY (the chain was recomputed without the key, or the app has not started since it was keyed)',
    };
  }
  return { ok: true, checked, head: checked ? previous : null, keyedFrom };
}
