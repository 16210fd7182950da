import type { EntityManager } from 'typeorm';
import type { Actor, AuditService } from '../common/audit.service';
import { deleteOversight, insertOversight } from './oversight.queries';
import type { OversightGrant } from './oversight.rules';

const grantAudit = (g: OversightGrant) => ({ scope: g.scope, ...(g.scope === 'INTERREGIONAL' ? { direction: g.direction } : {}) });

type Change = { action: 'OVERSIGHT_GRANTED' | 'OVERSIGHT_REVOKED'; apply: typeof insertOversight };

/** Applies a change of view and audit-logs it (the grant in `after`, or in `before` for a revocation); false when nothing changed. */
async function change(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  agent: { id: string; email: string },
  grant: OversightGrant,
  c: Change,
): Promise<boolean> {
  const id = await c.apply(m, agent.id, grant);
  if (!id) return false;
  const state = { agent: agent.email, ...grantAudit(grant) };
  const entry = c.action === 'OVERSIGHT_GRANTED' ? { after: state } : { before: state };
  await audit.record({ actor, action: c.action, entityType: 'oversight_assignment', entityId: id, ...entry }, m);
  return true;
}

/** Gives an agent the national or a direction's view, audit-logged; false when they held it already. */
export function grantOversight(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  agent: { id: string; email: string },
  grant: OversightGrant,
) {
  return change(m, audit, actor, agent, grant, { action: 'OVERSIGHT_GRANTED', apply: insertOversight });
}

/** Takes the view back, audit-logged; false when the agent did not hold it. */
export function revokeOversight(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  agent: { id: string; email: string },
  grant: OversightGrant,
) {
  return change(m, audit, actor, agent, grant, { action: 'OVERSIGHT_REVOKED', apply: deleteOversight });
}
