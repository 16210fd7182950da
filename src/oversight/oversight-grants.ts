import type { EntityManager } from 'typeorm';
import type { Actor, AuditService } from '../common/audit.service';
import { deleteOversight, insertOversight } from './oversight.queries';
import type { OversightGrant } from './oversight.rules';

const grantAudit = (g: OversightGrant) => ({ scope: g.scope, ...(g.scope === 'INTERREGIONAL' ? { direction: g.direction } : {}) });

/** Gives an agent the national or a direction's view, audit-logged; false when they held it already. */
export async function grantOversight(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  agent: { id: string; email: string },
  grant: OversightGrant,
): Promise<boolean> {
  const id = await insertOversight(m, agent.id, grant);
  if (id)
    await audit.record(
      {
        actor,
        action: 'OVERSIGHT_GRANTED',
        entityType: 'oversight_assignment',
        entityId: id,
        after: { agent: agent.email, ...grantAudit(grant) },
      },
      m,
    );
  return id !== null;
}

/** Takes the view back, audit-logged; false when the agent did not hold it. */
export async function revokeOversight(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  agent: { id: string; email: string },
  grant: OversightGrant,
): Promise<boolean> {
  const id = await deleteOversight(m, agent.id, grant);
  if (id)
    await audit.record(
      {
        actor,
        action: 'OVERSIGHT_REVOKED',
        entityType: 'oversight_assignment',
        entityId: id,
        before: { agent: agent.email, ...grantAudit(grant) },
      },
      m,
    );
  return id !== null;
}
