import { queryOne } from '../helpers/db';
import { insertFamilyVisitCase } from './family-visits-instruction';

/**
 * The quarterly entitlement's test data straight in the database: a case with the detainee's own
 * request in a given state (as the instruction and decision would leave it), and stays in a unit.
 */

/** A case of the detainee with their own request, received at `receivedAt`, in `status` (decided at `decidedAt`). */
export async function insertDetaineeCase(o: {
  establishmentId: string;
  detaineeId: string;
  receivedAt: Date;
  status?: 'RECEIVED' | 'GRANTED' | 'REFUSED' | 'IMPLICITLY_REJECTED' | 'REFERRED' | 'WITHDRAWN';
  decidedAt?: Date | null;
  caseStatus?: string;
  kind?: 'UVF' | 'PF';
}): Promise<{ id: string; reference: string; requestId: string }> {
  const c = await insertFamilyVisitCase({
    establishmentId: o.establishmentId,
    detaineeId: o.detaineeId,
    kind: o.kind,
    status: o.caseStatus ?? (o.status === 'GRANTED' || o.status === 'REFUSED' ? 'DECIDED' : 'INSTRUCTION'),
  });
  const status = o.status ?? 'RECEIVED';
  const r = await queryOne<{ id: string }>(
    `INSERT INTO family_visit_requests (case_id, applicant, channel, received_at, status, decided_at, granted_hours, decision_motivation)
     VALUES ($1, 'DETAINEE', 'LETTER', $2, $3, $4, $5, $6) RETURNING id`,
    [
      c.id,
      o.receivedAt,
      status,
      o.decidedAt ?? null,
      status === 'GRANTED' ? 24 : null,
      status === 'REFUSED' ? 'Refus motivé par la sécurité de l’établissement (test).' : null,
    ],
  );
  return { ...c, requestId: r.id };
}

/** A stay of a case in a unit, from `from` for `hours` hours. */
export async function insertStay(o: {
  caseId: string;
  unitId: string;
  from: Date;
  hours?: number;
  visitors?: number;
  status?: 'BOOKED' | 'IN_PROGRESS' | 'ENDED' | 'ENDED_EARLY' | 'CANCELLED';
}): Promise<{ id: string }> {
  const to = new Date(o.from.getTime() + (o.hours ?? 24) * 3_600_000);
  const status = o.status ?? 'BOOKED';
  return queryOne(
    `INSERT INTO family_visit_stays (case_id, unit_id, during, visitors, status, ended_at, end_reason)
     VALUES ($1, $2, tstzrange($3, $4, '[)'), $5, $6, $7, $8) RETURNING id`,
    [
      o.caseId,
      o.unitId,
      o.from,
      to,
      o.visitors ?? 2,
      status,
      status.startsWith('ENDED') ? to : null,
      status === 'ENDED_EARLY' ? 'Fin anticipée à la demande de la famille.' : null,
    ],
  );
}
