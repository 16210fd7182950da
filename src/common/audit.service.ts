import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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

export const SYSTEM_ACTOR: Actor = { type: 'SYSTEM', label: 'P2V' };

/**
 * The one way to write the audit log. Call it with the EntityManager of the transaction that
 * makes the change, so the entry exists if and only if the change does. The database assigns the
 * id, time and hash chain (trigger audit_log_chain) and refuses updates and deletes.
 */
@Injectable()
export class AuditService {
  async record(entry: AuditEntry, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_label, action, entity_type, entity_id, establishment_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.actor.type,
        entry.actor.id ?? null,
        entry.actor.label,
        entry.action,
        entry.entityType,
        entry.entityId ?? null,
        entry.establishmentId ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
      ],
    );
  }
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  head: string | null;
  brokenAt?: string;
  reason?: string;
}

/** Walks the whole chain in id order, recomputing every hash in the database. */
export async function verifyAuditChain(query: (sql: string, params: unknown[]) => Promise<unknown[]>, batch = 5000): Promise<ChainReport> {
  let previous = '0'.repeat(64);
  let lastId = '0';
  let checked = 0;
  for (;;) {
    const rows = (await query(
      `SELECT id::text AS id, prev_hash, hash, audit_log_row_hash(a) AS computed
         FROM audit_log a WHERE a.id > $1::bigint ORDER BY a.id LIMIT $2`,
      [lastId, batch],
    )) as { id: string; prev_hash: string; hash: string; computed: string }[];
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
      if (row.computed !== row.hash) {
        return { ok: false, checked, head: previous, brokenAt: row.id, reason: 'content does not match its hash (row modified)' };
      }
      previous = row.hash;
      lastId = row.id;
      checked++;
    }
    if (rows.length < batch) return { ok: true, checked, head: checked ? previous : null };
  }
}
