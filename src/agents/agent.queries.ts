import { type OversightGrant, parseGrant } from '../auth/roles';
import type { EntityManager } from 'typeorm';
import type { StaffGrant } from '../auth/principal';
import type { StaffRole } from '../auth/roles';
import { execute, select, selectOne } from '../common/sql';

/** The SQL of the agents module: "Agents et rôles", role grants and removals, the signed-in agent's roles. */

/** An agent holding at least one role at an establishment, with those roles. */
export interface AgentWithRoles {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  active: boolean;
  lastSignInAt: Date | null;
  roles: { id: string; role: StaffRole }[];
}

export async function countAgentsAt(db: EntityManager, establishmentId: string): Promise<number> {
  const row = await selectOne<{ count: number }>(
    db,
    `SELECT count(DISTINCT agent_id)::int AS count FROM role_assignments WHERE establishment_id = $1`,
    [establishmentId],
  );
  return row?.count ?? 0;
}

export function agentsAt(db: EntityManager, establishmentId: string, limit: number, offset: number): Promise<AgentWithRoles[]> {
  return select<AgentWithRoles>(
    db,
    `SELECT a.id, a.first_name AS "firstName", a.last_name AS "lastName", a.email, a.active, a.last_sign_in_at AS "lastSignInAt",
            json_agg(json_build_object('id', r.id, 'role', r.role) ORDER BY r.role) AS roles
       FROM agents a JOIN role_assignments r ON r.agent_id = a.id AND r.establishment_id = $1
      GROUP BY a.id ORDER BY a.last_name, a.first_name, a.id LIMIT $2 OFFSET $3`,
    [establishmentId, limit, offset],
  );
}

/** Registers the agent by e-mail unless known, then locks their row; their id. */
export async function lockAgentByEmail(db: EntityManager, agent: { email: string; firstName: string; lastName: string }): Promise<string> {
  await execute(db, `INSERT INTO agents (email, first_name, last_name) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING`, [
    agent.email,
    agent.firstName,
    agent.lastName,
  ]);
  const row = await selectOne<{ id: string }>(db, `SELECT id FROM agents WHERE email = $1 FOR UPDATE`, [agent.email]);
  return row!.id;
}

/** Grants the role; the new assignment's id, or null when the agent holds it already there. */
export async function insertRoleAssignment(
  db: EntityManager,
  a: { agentId: string; establishmentId: string; role: StaffRole; grantedBy: string | null },
): Promise<string | null> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO role_assignments (agent_id, establishment_id, role, granted_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (agent_id, establishment_id, role) DO NOTHING RETURNING id`,
    [a.agentId, a.establishmentId, a.role, a.grantedBy],
  );
  return row?.id ?? null;
}

/** A role held at an establishment, with its agent. */
export interface RoleAssignmentRow {
  id: string;
  role: StaffRole;
  agentId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** The assignment if it is one of this establishment's (null for any other), locked when `lock`. */
export function roleAssignmentAt(
  db: EntityManager,
  establishmentId: string,
  assignmentId: string,
  opts: { lock?: boolean } = {},
): Promise<RoleAssignmentRow | null> {
  return selectOne<RoleAssignmentRow>(
    db,
    `SELECT r.id, r.role, a.id AS "agentId", a.email, a.first_name AS "firstName", a.last_name AS "lastName"
       FROM role_assignments r JOIN agents a ON a.id = r.agent_id
      WHERE r.id = $1 AND r.establishment_id = $2${opts.lock ? ' FOR UPDATE OF r' : ''}`,
    [assignmentId, establishmentId],
  );
}

/** Locks every ADMIN assignment of the establishment (two admins cannot remove each other at once); how many there are. */
export async function lockAdminsAt(db: EntityManager, establishmentId: string): Promise<number> {
  const rows = await select<{ id: string }>(
    db,
    `SELECT id FROM role_assignments WHERE establishment_id = $1 AND role = 'ADMIN' FOR UPDATE`,
    [establishmentId],
  );
  return rows.length;
}

export async function deleteRoleAssignment(db: EntityManager, assignmentId: string): Promise<void> {
  await execute(db, `DELETE FROM role_assignments WHERE id = $1`, [assignmentId]);
}

/** An active agent as the session loads them on every request, with every role they hold now. */
export interface SignedInAgent {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  grants: StaffGrant[];
  /** The national or interregional views they may read (oversight_assignments). */
  oversight: OversightGrant[];
}

export async function signedInAgent(db: EntityManager, agentId: string): Promise<SignedInAgent | null> {
  const rows = await select<{
    id: string;
    firstName: string;
    lastName: string;
    email: string;
    establishmentId: string | null;
    establishmentCode: string | null;
    establishmentName: string | null;
    role: StaffRole | null;
    oversight: string[];
  }>(
    db,
    `SELECT a.id, a.first_name AS "firstName", a.last_name AS "lastName", a.email,
            e.id AS "establishmentId", e.code AS "establishmentCode", e.name AS "establishmentName", r.role,
            ARRAY(SELECT o.scope || coalesce(':' || o.direction, '') FROM oversight_assignments o WHERE o.agent_id = a.id ORDER BY 1) AS oversight
       FROM agents a
       LEFT JOIN role_assignments r ON r.agent_id = a.id
       LEFT JOIN establishments e ON e.id = r.establishment_id
      WHERE a.id = $1 AND a.active
      ORDER BY e.name, r.role`,
    [agentId],
  );
  if (rows.length === 0) return null;
  const grants: StaffGrant[] = [];
  for (const r of rows) {
    if (r.role && r.establishmentId && r.establishmentCode && r.establishmentName) {
      grants.push({
        establishmentId: r.establishmentId,
        establishmentCode: r.establishmentCode,
        establishmentName: r.establishmentName,
        role: r.role,
      });
    }
  }
  const [{ id, firstName, lastName, email, oversight }] = rows;
  return { id, firstName, lastName, email, grants, oversight: oversight.flatMap((g) => parseGrant(g) ?? []) };
}

/** Whether the agent reads the national or an interregional view (they sign in without a role at an establishment). */
export async function holdsOversight(db: EntityManager, agentId: string): Promise<boolean> {
  return (await selectOne(db, `SELECT 1 FROM oversight_assignments WHERE agent_id = $1 LIMIT 1`, [agentId])) !== null;
}
