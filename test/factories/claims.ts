import { randomInt } from 'node:crypto';
import { query } from '../helpers/db';
import { insertPermit, type PermitRow } from './permits';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A claim code as P2V makes them (12 characters, no look-alikes). */
export function claimCode(): string {
  return Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** The code as printed: ABCD-EFGH-JKLM. */
export const printed = (code: string) => code.match(/.{4}/g)!.join('-');

/** A permit recorded by the greffe (paper by default), without a family account, with its claim code. */
export async function insertClaimablePermit(
  o: Omit<Parameters<typeof insertPermit>[0], 'familyAccountId'>,
): Promise<PermitRow & { code: string }> {
  const permit = await insertPermit({ ...o, familyAccountId: null });
  const code = claimCode();
  await query(`UPDATE permits SET claim_code = $2 WHERE id = $1`, [permit.id, code]);
  return { ...permit, code };
}

/** A linked permit's limits and conditions (R341-1), as the greffe sets them. */
export async function setPermitConditions(
  permitId: string,
  o: {
    validTo?: string | null;
    maxVisits?: number | null;
    roomCondition?: 'SEPARATION' | 'ACCESSIBLE' | null;
    conditionsNote?: string | null;
  },
): Promise<void> {
  await query(`UPDATE permits SET valid_to = $2, max_visits = $3, room_condition = $4, conditions_note = $5 WHERE id = $1`, [
    permitId,
    o.validTo ?? null,
    o.maxVisits ?? null,
    o.roomCondition ?? null,
    o.conditionsNote ?? null,
  ]);
}

export async function claimFailures(familyId: string): Promise<number> {
  return (await query<{ n: number }>(`SELECT count(*)::int AS n FROM permit_claim_failures WHERE family_account_id = $1`, [familyId]))[0].n;
}
