import type { EntityManager } from 'typeorm';
import { select, selectOne } from '../common/sql';
import type { IncidentReason } from './visit-incident.rules';

/** The SQL of incident reports (comptes-rendus d'incident) attached to visits. */

export interface IncidentRow {
  id: string;
  visitId: string;
  reference: string;
  startsAt: Date;
  room: string;
  detainee: string;
  ecrouNumber: string;
  reason: IncidentReason;
  report: string;
  interruptedAt: Date | null;
  writtenAt: Date;
  author: string;
  /** The visitor concerned, when the agent named one. */
  visitorId: string | null;
  visitor: string | null;
  permitId: string | null;
}

const COLUMNS = `i.id, i.visit_id AS "visitId", v.reference, lower(v.during) AS "startsAt", r.name AS room,
  d.first_name || ' ' || upper(d.last_name) AS detainee, d.ecrou_number AS "ecrouNumber", i.reason, i.report,
  i.interrupted_at AS "interruptedAt", i.written_at AS "writtenAt", a.first_name || ' ' || a.last_name AS author,
  i.visitor_id AS "visitorId",
  coalesce(p.visitor_given_name || ' ' || upper(p.visitor_family_name), vv.given_name || ' ' || upper(vv.family_name)) AS visitor,
  vv.permit_id AS "permitId"`;
const FROM = `visit_incidents i JOIN visits v ON v.id = i.visit_id JOIN detainees d ON d.id = v.detainee_id
  JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id JOIN agents a ON a.id = i.written_by
  LEFT JOIN visit_visitors vv ON vv.id = i.visitor_id LEFT JOIN permits p ON p.id = vv.permit_id`;

export function incidentsOfEstablishment(db: EntityManager, establishmentId: string, limit = 200): Promise<IncidentRow[]> {
  return select<IncidentRow>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE i.establishment_id = $1 ORDER BY i.written_at DESC LIMIT $2`, [
    establishmentId,
    limit,
  ]);
}

export function incidentsOfVisit(db: EntityManager, visitId: string): Promise<IncidentRow[]> {
  return select<IncidentRow>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE i.visit_id = $1 ORDER BY i.written_at`, [visitId]);
}

export function incidentOf(db: EntityManager, establishmentId: string, id: string): Promise<IncidentRow | null> {
  return selectOne<IncidentRow>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = $1 AND i.establishment_id = $2`, [id, establishmentId]);
}

export async function insertIncident(
  db: EntityManager,
  i: {
    establishmentId: string;
    visitId: string;
    visitorId: string | null;
    reason: IncidentReason;
    report: string;
    interruptedAt: Date | null;
    by: string;
    at: Date;
  },
): Promise<string> {
  const row = await selectOne<{ id: string }>(
    db,
    `INSERT INTO visit_incidents (establishment_id, visit_id, visitor_id, reason, report, interrupted_at, written_by, written_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [i.establishmentId, i.visitId, i.visitorId, i.reason, i.report, i.interruptedAt, i.by, i.at],
  );
  return row!.id;
}
