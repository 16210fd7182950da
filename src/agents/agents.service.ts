import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import type { StaffRole } from '../auth/roles';
import { Establishment } from '../establishments/establishment.entity';
import { Agent } from './agent.entity';
import { RoleAssignment } from './role-assignment.entity';

export interface ProConnectIdentity {
  subject: string;
  email: string;
  givenName: string;
  usualName: string;
}

export interface AgentWithRoles {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
  lastSignInAt: Date | null;
  roles: { id: string; role: StaffRole }[];
}

@Injectable()
export class AgentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
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
              actor: { type: 'AGENT', id: byEmail.id },
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
      if (roles === 0) return null;
      agent.lastSignInAt = new Date();
      await repo.save(agent);
      await this.audit.record(
        { actor: { type: 'AGENT', id: agent.id }, action: 'AGENT_SIGNED_IN', entityType: 'agent', entityId: agent.id },
        m,
      );
      return agent;
    });
  }

  async listForEstablishment(
    establishmentId: string,
    page: number,
    pageSize: number,
  ): Promise<{ agents: AgentWithRoles[]; total: number }> {
    const [{ count }] = await this.dataSource.query(
      `SELECT count(DISTINCT agent_id)::int AS count FROM role_assignments WHERE establishment_id = $1`,
      [establishmentId],
    );
    const rows = await this.dataSource.query(
      `SELECT a.id, a.first_name, a.last_name, a.email, a.active, a.last_sign_in_at,
              json_agg(json_build_object('id', r.id, 'role', r.role) ORDER BY r.role) AS roles
         FROM agents a JOIN role_assignments r ON r.agent_id = a.id AND r.establishment_id = $1
        GROUP BY a.id ORDER BY a.last_name, a.first_name, a.id LIMIT $2 OFFSET $3`,
      [establishmentId, pageSize, (page - 1) * pageSize],
    );
    return {
      total: count,
      agents: rows.map((r: Record<string, unknown>) => ({
        id: r.id,
        firstName: r.first_name,
        lastName: r.last_name,
        email: r.email,
        active: r.active,
        lastSignInAt: r.last_sign_in_at,
        roles: r.roles,
      })) as AgentWithRoles[],
    };
  }

  /** Grants a role at an establishment, registering the agent by e-mail if they are new. */
  async grantRole(
    actor: Actor,
    establishment: Establishment,
    input: { email: string; firstName: string; lastName: string; role: StaffRole },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const email = input.email.trim().toLowerCase();
      await m.query(`INSERT INTO agents (email, first_name, last_name) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING`, [
        email,
        input.firstName.trim(),
        input.lastName.trim(),
      ]);
      const [agent] = await m.query(`SELECT id, first_name, last_name FROM agents WHERE email = $1 FOR UPDATE`, [email]);
      const inserted = await m.query(
        `INSERT INTO role_assignments (agent_id, establishment_id, role, granted_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (agent_id, establishment_id, role) DO NOTHING RETURNING id`,
        [agent.id, establishment.id, input.role, actor.id ?? null],
      );
      if (inserted.length === 0) throw new DomainError('ROLE_ALREADY_GRANTED', 'Cet agent a déjà ce rôle dans cet établissement.', 409);
      await this.audit.record(
        {
          actor,
          action: 'ROLE_GRANTED',
          entityType: 'role_assignment',
          entityId: inserted[0].id,
          establishmentId: establishment.id,
          after: { agent: email, role: input.role, establishment: establishment.code },
        },
        m,
      );
    });
  }

  async findAssignment(establishmentId: string, assignmentId: string) {
    const rows = await this.dataSource.query(
      `SELECT r.id, r.role, a.id AS agent_id, a.email, a.first_name, a.last_name
         FROM role_assignments r JOIN agents a ON a.id = r.agent_id
        WHERE r.id = $1 AND r.establishment_id = $2`,
      [assignmentId, establishmentId],
    );
    return rows[0] as { id: string; role: StaffRole; agent_id: string; email: string; first_name: string; last_name: string } | undefined;
  }

  async revokeRole(actor: Actor, establishment: Establishment, assignmentId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const rows = await m.query(
        `SELECT r.id, r.role, r.agent_id, a.email FROM role_assignments r JOIN agents a ON a.id = r.agent_id
          WHERE r.id = $1 AND r.establishment_id = $2 FOR UPDATE OF r`,
        [assignmentId, establishment.id],
      );
      const assignment = rows[0];
      if (!assignment) throw new DomainError('ROLE_NOT_FOUND', 'Ce rôle n’existe pas ou a déjà été retiré.', 404);
      if (assignment.role === 'ADMIN') {
        // Lock every ADMIN row of the establishment so two admins cannot remove each other at once.
        const admins = await m.query(`SELECT id FROM role_assignments WHERE establishment_id = $1 AND role = 'ADMIN' FOR UPDATE`, [
          establishment.id,
        ]);
        if (admins.length <= 1)
          throw new DomainError(
            'LAST_ADMIN',
            'C’est le dernier administrateur de cet établissement : nommez-en un autre avant de retirer ce rôle.',
            409,
          );
      }
      await m.query(`DELETE FROM role_assignments WHERE id = $1`, [assignmentId]);
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
