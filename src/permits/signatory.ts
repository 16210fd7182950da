import type { EntityManager } from 'typeorm';
import { selectOne } from '../common/sql';

/** Who signs a permit decision, as printed (CRPA L212-1). */
export interface Signatory {
  agentId: string;
  /** « Prénom NOM, qualité » or « Prénom NOM, qualité, par délégation du chef d’établissement ». */
  label: string;
  delegated: boolean;
}

/**
 * The agent as the signatory of a permit decision of the establishment on `day` (AAAA-MM-JJ): the head
 * of establishment, or an agent holding a signature delegation in force that day; null for anyone else.
 */
export async function signatoryFor(db: EntityManager, establishmentId: string, agentId: string, day: string): Promise<Signatory | null> {
  const row = await selectOne<{ firstName: string; lastName: string; quality: string | null; head: boolean; delegated: boolean }>(
    db,
    `SELECT a.first_name AS "firstName", a.last_name AS "lastName", a.quality,
            EXISTS (SELECT 1 FROM role_assignments r
                     WHERE r.agent_id = a.id AND r.establishment_id = $2 AND r.role = 'HEAD_OF_ESTABLISHMENT') AS head,
            EXISTS (SELECT 1 FROM signature_delegations s
                     WHERE s.agent_id = a.id AND s.establishment_id = $2 AND s.revoked_at IS NULL
                       AND s.valid_from <= $3::date AND (s.valid_to IS NULL OR s.valid_to >= $3::date)) AS delegated
       FROM agents a WHERE a.id = $1 AND a.active`,
    [agentId, establishmentId, day],
  );
  if (!row || (!row.head && !row.delegated)) return null;
  const name = `${row.firstName} ${row.lastName.toUpperCase()}`;
  if (row.head) return { agentId, label: `${name}, ${row.quality ?? 'chef d’établissement'}`, delegated: false };
  return { agentId, label: `${name}, ${row.quality ?? 'agent'}, par délégation du chef d’établissement`, delegated: true };
}
