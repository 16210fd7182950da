import { query, queryOne } from '../helpers/db';
import { insertDetainee, unique } from './people';
import { insertPermit } from './permits';

/**
 * UVF / PF test data straight in the database: units, and authorised cases (the detainee's request
 * and each visitor's GRANTED, granted_hours set), as the instruction and decision would leave them.
 */

export interface UnitRow {
  id: string;
  name: string;
  capacity: number;
}

export function insertUnit(
  establishmentId: string,
  o: { kind?: 'UVF' | 'PF'; name?: string; capacity?: number; accessible?: boolean; active?: boolean } = {},
): Promise<UnitRow> {
  return queryOne<UnitRow>(
    `INSERT INTO family_units (establishment_id, kind, name, capacity, accessible, active) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, name, capacity`,
    [establishmentId, o.kind ?? 'UVF', o.name ?? unique('UVF '), o.capacity ?? 4, o.accessible ?? true, o.active ?? true],
  );
}

export interface AuthorisedCase {
  caseId: string;
  detaineeId: string;
  detaineeName: string;
}

/**
 * An authorised case: a detainee of the establishment (a non-Latin-1 name), their request and
 * `visitors` visitors' requests GRANTED for `hours` hours.
 */
export async function insertAuthorisedCase(
  establishmentId: string,
  o: {
    kind?: 'UVF' | 'PF';
    hours?: number;
    visitors?: number;
    lastName?: string;
    firstName?: string;
    noLeavePossible?: boolean;
    distanceKm?: number | null;
    detaineeId?: string;
    decidedAt?: Date;
    /** The family account holding the first visitor's permit (and request, filed online). */
    familyAccountId?: string;
    /** The first visitor's request's status (GRANTED by default). */
    firstVisitorStatus?: 'GRANTED' | 'REFUSED' | 'RECEIVED';
    /** A PF's granted slots on every GRANTED request (1, or 2 cumulated with a lunch break); none by default. */
    slots?: 1 | 2;
  } = {},
): Promise<AuthorisedCase> {
  const detainee = o.detaineeId
    ? { id: o.detaineeId, firstName: o.firstName ?? 'Łukasz', lastName: o.lastName ?? 'Wiśniewski' }
    : await insertDetainee(establishmentId, { lastName: o.lastName ?? 'Wiśniewski', firstName: o.firstName ?? 'Łukasz' });
  const kind = o.kind ?? 'UVF';
  const hours = o.hours ?? (kind === 'UVF' ? 24 : 6);
  const decidedAt = o.decidedAt ?? new Date('2026-10-01T10:00:00Z');
  const c = await queryOne<{ id: string }>(
    `INSERT INTO family_visit_cases (reference, establishment_id, detainee_id, kind, wished_from, wished_to, wished_hours, status,
                                     no_leave_possible, distance_km)
     VALUES ($1, $2, $3, $4, '2026-11-01', '2027-03-31', $5, 'DECIDED', $6, $7) RETURNING id`,
    [unique('U').slice(-12), establishmentId, detainee.id, kind, hours, o.noLeavePossible ?? false, o.distanceKm ?? null],
  );
  await query(
    `INSERT INTO family_visit_requests (case_id, applicant, channel, received_at, status, decided_at, granted_hours, granted_slots)
     VALUES ($1, 'DETAINEE', 'IN_PERSON', '2026-09-01T10:00:00Z', 'GRANTED', $2, $3, $4)`,
    [c.id, decidedAt, hours, o.slots ?? null],
  );
  for (let i = 0; i < (o.visitors ?? 2); i++) {
    const family = i === 0 ? (o.familyAccountId ?? null) : null;
    const permit = await insertPermit({
      establishmentId,
      detaineeId: detainee.id,
      familyAccountId: family,
      visitorGivenName: 'ليلى',
      visitorFamilyName: `Nguyễn ${i}`,
      validFrom: '2026-01-01',
    });
    const status = i === 0 ? (o.firstVisitorStatus ?? 'GRANTED') : 'GRANTED';
    const granted = status === 'GRANTED';
    await query(
      `INSERT INTO family_visit_requests (case_id, applicant, permit_id, family_account_id, channel, received_at, status, decided_at,
                                          granted_hours, decision_motivation, granted_slots)
       VALUES ($1, 'VISITOR', $2, $3, $4, '2026-09-01T10:00:00Z', $5, $6, $7, $8, $9)`,
      [
        c.id,
        permit.id,
        family,
        family ? 'ONLINE' : 'LETTER',
        status,
        status === 'RECEIVED' ? null : decidedAt,
        granted ? hours : null,
        status === 'REFUSED' ? 'Refus pour motif de sécurité, faits précis relevés au dossier.' : null,
        granted ? (o.slots ?? null) : null,
      ],
    );
  }
  return { caseId: c.id, detaineeId: detainee.id, detaineeName: `${detainee.firstName} ${detainee.lastName.toUpperCase()}` };
}
