import { queryOne } from '../helpers/db';

export interface PermitRow {
  id: string;
  establishmentId: string;
  detaineeId: string;
  familyAccountId: string | null;
  visitorGivenName: string;
  visitorFamilyName: string;
  visitorBirthdate: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'WITHDRAWN';
}

/** A visit permit, as the greffe records it (paper by default), for a visitor of a family account. */
export async function insertPermit(o: {
  establishmentId: string;
  detaineeId: string;
  familyAccountId?: string | null;
  visitorGivenName?: string;
  visitorFamilyName?: string;
  visitorBirthdate?: string;
  relationship?: string;
  validFrom?: string;
  validTo?: string | null;
  status?: PermitRow['status'];
  statusReason?: string | null;
  origin?: 'PAPER' | 'MAGISTRATE' | 'ONLINE';
}): Promise<PermitRow> {
  const status = o.status ?? 'ACTIVE';
  return queryOne<PermitRow>(
    `INSERT INTO permits (establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name, visitor_birthdate,
                          relationship, valid_from, valid_to, status, status_reason, origin)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     RETURNING id, establishment_id AS "establishmentId", detainee_id AS "detaineeId", family_account_id AS "familyAccountId",
               visitor_given_name AS "visitorGivenName", visitor_family_name AS "visitorFamilyName",
               to_char(visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", status`,
    [
      o.establishmentId,
      o.detaineeId,
      o.familyAccountId ?? null,
      o.visitorGivenName ?? 'Camille',
      o.visitorFamilyName ?? 'Lefort',
      o.visitorBirthdate ?? '1985-03-14',
      o.relationship ?? 'SPOUSE',
      o.validFrom ?? '2026-01-01',
      o.validTo ?? null,
      status,
      o.statusReason ?? (status === 'ACTIVE' ? null : 'Motif de test, assez long pour être valable.'),
      o.origin ?? 'PAPER',
    ],
  );
}
