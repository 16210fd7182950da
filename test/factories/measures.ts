import { query, queryOne } from '../helpers/db';
import { insertPermit, type PermitRow } from './permits';

/** A permit (see insertPermit) with the issuing authority a magistrate's permit records, or flagged for the head's review. */
export async function insertPermitWith(
  o: Parameters<typeof insertPermit>[0] & { issuingAuthority?: string | null; headReviewDue?: boolean },
): Promise<PermitRow> {
  const { issuingAuthority, headReviewDue, ...rest } = o;
  const permit = await insertPermit(rest);
  await query(`UPDATE permits SET issuing_authority = $2, head_review_due = $3 WHERE id = $1`, [
    permit.id,
    issuingAuthority ?? null,
    headReviewDue ?? false,
  ]);
  return permit;
}

/** Today in Paris plus `days`, AAAA-MM-JJ (as the database computes it). */
export async function parisDayPlus(days: number): Promise<string> {
  const row = await queryOne<{ day: string }>(`SELECT to_char((now() AT TIME ZONE 'Europe/Paris')::date + $1::int, 'YYYY-MM-DD') AS day`, [
    days,
  ]);
  return row.day;
}

/** The delay to present observations has run out (as if the due day had passed). */
export async function expireObservations(permitId: string): Promise<void> {
  await query(
    `UPDATE permit_measures SET observations_due = (now() AT TIME ZONE 'Europe/Paris')::date - 1 WHERE permit_id = $1 AND status = 'PROPOSED'`,
    [permitId],
  );
}

/** The letters about a permit (its measures' included), oldest first. */
export function lettersOf(permitId: string) {
  return query<{ id: string; kind: string; family_account_id: string | null; author: string | null; addressee: string }>(
    `SELECT id, kind, family_account_id, author, addressee FROM letters
      WHERE permit_id = $1 OR measure_id IN (SELECT id FROM permit_measures WHERE permit_id = $1) ORDER BY issued_at, id`,
    [permitId],
  );
}
