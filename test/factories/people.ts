import { randomUUID } from 'node:crypto';
import { query, queryOne } from '../helpers/db';
import type { AgentIdentity, FamilyIdentity } from '../helpers/sign-in';

/**
 * Rows a test needs, created straight in its database with sensible defaults: each test makes its
 * own people and places, so no test depends on another one's data. Names are unique per call.
 */
let counter = 0;
export function unique(prefix = ''): string {
  counter += 1;
  return `${prefix}${process.env.JEST_WORKER_ID ?? '1'}${Date.now().toString(36).slice(-5)}${counter}`.toUpperCase();
}

export interface EstablishmentRow {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}

export async function insertEstablishment(
  o: Partial<Omit<EstablishmentRow, 'id'>> & { kind?: string; holidayZone?: string } = {},
): Promise<EstablishmentRow> {
  const code = o.code ?? unique('E').slice(0, 16);
  return queryOne<EstablishmentRow>(
    `INSERT INTO establishments (code, name, kind, time_zone, holiday_zone) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, code, name, time_zone AS "timeZone"`,
    [
      code,
      o.name ?? `Centre pénitentiaire de ${code}`,
      o.kind ?? 'CENTRE_PENITENTIAIRE',
      o.timeZone ?? 'Europe/Paris',
      o.holidayZone ?? 'METROPOLE',
    ],
  );
}

/** The demo establishment CPNORD (seeded): its rooms and settings exist already. */
export function demoEstablishment(code: 'CPNORD' | 'MASUD' = 'CPNORD'): Promise<EstablishmentRow> {
  return queryOne<EstablishmentRow>(`SELECT id, code, name, time_zone AS "timeZone" FROM establishments WHERE code = $1`, [code]);
}

export interface DetaineeRow {
  id: string;
  establishmentId: string;
  ecrouNumber: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  legalStatus: 'PREVENU' | 'CONDAMNE' | 'MIXTE';
}

export async function insertDetainee(
  establishmentId: string,
  o: Partial<Omit<DetaineeRow, 'id' | 'establishmentId'>> & { custodyStatus?: string; housing?: string } = {},
): Promise<DetaineeRow> {
  return queryOne<DetaineeRow>(
    `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status, custody_status, housing)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     RETURNING id, establishment_id AS "establishmentId", ecrou_number AS "ecrouNumber", last_name AS "lastName", first_name AS "firstName",
               to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", legal_status AS "legalStatus"`,
    [
      establishmentId,
      o.ecrouNumber ?? unique().slice(-12),
      o.lastName ?? 'Durand',
      o.firstName ?? 'Paul',
      o.birthDate ?? '1980-01-01',
      o.legalStatus ?? 'CONDAMNE',
      o.custodyStatus ?? 'PRESENT',
      o.housing ?? null,
    ],
  );
}

export interface FamilyRow extends FamilyIdentity {
  id: string;
}

/**
 * A family account as FranceConnect would have created it; sign in as it with
 * `signInFamily(app.url, family)` (same subject, derived from the e-mail).
 */
export async function insertFamily(o: Partial<FamilyIdentity> & { mobilePhone?: string } = {}): Promise<FamilyRow> {
  const email = o.email ?? `${unique('famille-').toLowerCase()}@example.fr`;
  const who: FamilyIdentity = {
    givenName: o.givenName ?? 'Camille',
    familyName: o.familyName ?? 'Lefort',
    birthdate: o.birthdate ?? '1985-03-14',
    email,
    acr: o.acr,
  };
  const row = await queryOne<{ id: string }>(
    `INSERT INTO family_accounts (fc_subject, given_name, family_name, birthdate, email, mobile_phone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [`fc-custom-${email}`, who.givenName, who.familyName, who.birthdate, email, o.mobilePhone ?? null],
  );
  return { id: row.id, ...who };
}

export type StaffRole = 'PERMITS_OFFICER' | 'PARLOIR_AGENT' | 'SPIP_COUNSELLOR' | 'HEAD_OF_ESTABLISHMENT' | 'ACTIVITIES_OFFICER' | 'ADMIN';

export interface AgentRow extends AgentIdentity {
  id: string;
}

/** An agent registered with these roles; sign in with `signInAgent(app.url, agent)`. */
export async function insertAgent(
  roles: { establishmentId: string; role: StaffRole }[],
  o: Partial<AgentIdentity> = {},
): Promise<AgentRow> {
  const email = o.email ?? `${unique('agent-').toLowerCase()}@justice.gouv.fr`;
  const who: AgentIdentity = { givenName: o.givenName ?? 'Alex', usualName: o.usualName ?? 'Martin', email };
  const { id } = await queryOne<{ id: string }>(`INSERT INTO agents (email, first_name, last_name) VALUES ($1, $2, $3) RETURNING id`, [
    email,
    who.givenName,
    who.usualName,
  ]);
  for (const r of roles) {
    await query(`INSERT INTO role_assignments (agent_id, establishment_id, role) VALUES ($1, $2, $3)`, [id, r.establishmentId, r.role]);
  }
  return { id, ...who };
}

/**
 * An agent holding `role` in an establishment of their own, so that they can sign in: the tests of a
 * file share one such agent and give them the role where each test works (`grantRole`).
 */
export async function insertAgentElsewhere(role: StaffRole, o: Partial<AgentIdentity> = {}): Promise<AgentRow> {
  return insertAgent([{ establishmentId: (await insertEstablishment()).id, role }], o);
}

/** Gives an agent (already signed in or not) a role in one more establishment. */
export async function grantRole(agentId: string, establishmentId: string, role: StaffRole): Promise<void> {
  await query(`INSERT INTO role_assignments (agent_id, establishment_id, role) VALUES ($1, $2, $3)`, [agentId, establishmentId, role]);
}

export const newId = () => randomUUID();
