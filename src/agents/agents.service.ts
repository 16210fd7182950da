import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StaffRole } from '../auth/roles';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { Establishment } from '../establishments/establishment.entity';
import { Agent } from './agent.entity';
import {
  agentsAt,
  AgentWithRoles,
  countAgentsAt,
  deleteRoleAssignment,
  insertRoleAssignment,
  lockAdminsAt,
  lockAgentByEmail,
  roleAssignmentAt,
  RoleAssignmentRow,
  signedInAgent,
  holdsOversight,
  SignedInAgent,
} from './agent.queries';
import { RoleAssignment } from './role-assignment.entity';

export type { AgentWithRoles, RoleAssignmentRow, SignedInAgent };

export interface ProConnectIdentity {
  subject: string;
  email: string;
  givenName: string;
  usualName: string;
}

/** The agent as the actor of an audited change: their name, as the pages show it. */
function agentActor(agent: Pick<Agent, 'id' | 'firstName' | 'lastName'>): Actor {
  return { type: 'AGENT', id: agent.id, label: `${agent.firstName} ${agent.lastName}` };
}

@Injectable()
export class AgentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * An agent signs in only if an administrator registered them (by e-mail) and gave them at least
   * one role. The first sign-in binds the ProConnect subject to the agent; later ones must match it.
   */
  async signIn(identity: ProConnectIdentity): Promise<Agent | null> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(Agent);
      let agent = await repo.findOne({ where: { oidcSubject: identity.subject }, lock: { mode: 'pessimistic_write' } });
      if (!agent && identity.email) {
        const byEmail = await repo.findOne({ where: { email: identity.email.toLowerCase() }, lock: { mode: 'pessimistic_write' } });
        if (byEmail && byEmail.oidcSubject === null) {
          byEmail.oidcSubject = identity.subject;
          await repo.save(byEmail);
          await this.audit.record(
            {
              actor: agentActor(byEmail),
              action: 'AGENT_ACCOUNT_LINKED',
              entityType: 'agent',
              entityId: byEmail.id,
              after: { email: byEmail.email },
            },
            m,
          );
          agent = byEmail;
        }
      }
      if (!agent || !agent.active) return null;
      const roles = await m.getRepository(RoleAssignment).countBy({ agentId: agent.id });
      if (roles === 0 && !(await holdsOversight(m, agent.id))) return null;
      agent.lastSignInAt = this.clock.now();
      await repo.save(agent);
      await this.audit.record({ actor: agentActor(agent), action: 'AGENT_SIGNED_IN', entityType: 'agent', entityId: agent.id }, m);
      return agent;
    });
  }

  /** The active agent of a session with the roles they hold now (null once deactivated or removed). */
  signedIn(agentId: string): Promise<SignedInAgent | null> {
    return signedInAgent(this.dataSource.manager, agentId);
  }

  async listForEstablishment(
    establishmentId: string,
    page: number,
    pageSize: number,
  ): Promise<{ agents: AgentWithRoles[]; total: number }> {
    const db = this.dataSource.manager;
    const [total, agents] = await Promise.all([
      countAgentsAt(db, establishmentId),
      agentsAt(db, establishmentId, pageSize, (page - 1) * pageSize),
    ]);
    return { agents, total };
  }

  /** Grants a role at an establishment, registering the agent by e-mail if they are new. */
  async grantRole(
    actor: Actor,
    establishment: Establishment,
    input: { email: string; firstName: string; lastName: string; role: StaffRole },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const email = input.email.trim().toLowerCase();
      const agentId = await lockAgentByEmail(m, { email, firstName: input.firstName.trim(), lastName: input.lastName.trim() });
      const assignmentId = await insertRoleAssignment(m, {
        agentId,
        establishmentId: establishment.id,
        role: input.role,
        grantedBy: actor.type === 'AGENT' ? (actor.id ?? null) : null,
      });
      if (!assignmentId) throw new DomainError('ROLE_ALREADY_GRANTED', 'Cet agent a déjà ce rôle dans cet établissement.', 409);
      await this.audit.record(
        {
          actor,
          action: 'ROLE_GRANTED',
          entityType: 'role_assignment',
          entityId: assignmentId,
          establishmentId: establishment.id,
          after: { agent: email, role: input.role, establishment: establishment.code },
        },
        m,
      );
    });
  }

  /** A role held at this establishment; 404 for a role of any other establishment. */
  async assignmentAt(establishment: Establishment, assignmentId: string): Promise<RoleAssignmentRow> {
    const assignment = await roleAssignmentAt(this.dataSource.manager, establishment.id, assignmentId);
    if (!assignment) throw new NotFoundException();
    return assignment;
  }

  async revokeRole(actor: Actor, establishment: Establishment, assignmentId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const assignment = await roleAssignmentAt(m, establishment.id, assignmentId, { lock: true });
      if (!assignment) throw new DomainError('ROLE_NOT_FOUND', 'Ce rôle n’existe pas ou a déjà été retiré.', 404);
      if (assignment.role === 'ADMIN' && (await lockAdminsAt(m, establishment.id)) <= 1) {
        throw new DomainError(
          'LAST_ADMIN',
          'C’est le dernier administrateur de cet établissement : nommez-en un autre avant de retirer ce rôle.',
          409,
        );
      }
      await deleteRoleAssignment(m, assignmentId);
      await this.audit.record(
        {
          actor,
          action: 'ROLE_REVOKED',
          entityType: 'role_assignment',
          entityId: assignmentId,
          establishmentId: establishment.id,
          before: { agent: assignment.email, role: assignment.role, establishment: establishment.code },
        },
        m,
      );
    });
  }
}
