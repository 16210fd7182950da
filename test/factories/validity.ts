import { query } from '../helpers/db';

/** A permit's limits and conditions (R341-1), and the statuses the base factory does not write (ON_HOLD). */
export async function setPermitTerms(
  permitId: string,
  t: {
    validTo?: string | null;
    maxVisits?: number | null;
    roomCondition?: 'SEPARATION' | 'ACCESSIBLE' | null;
    allowedDays?: number[] | null;
    allowedFrom?: string | null;
    allowedTo?: string | null;
    status?: 'ACTIVE' | 'ON_HOLD' | 'SUSPENDED' | 'WITHDRAWN';
  },
): Promise<void> {
  const columns: Record<string, string> = {
    validTo: 'valid_to',
    maxVisits: 'max_visits',
    roomCondition: 'room_condition',
    allowedDays: 'allowed_days',
    allowedFrom: 'allowed_from',
    allowedTo: 'allowed_to',
    status: 'status',
  };
  const entries = Object.entries(t);
  const sets = entries.map(([k], i) => `${columns[k]} = $${i + 2}${k === 'allowedDays' ? '::smallint[]' : ''}`);
  if (t.status && t.status !== 'ACTIVE') sets.push(`status_reason = 'Motif de test, assez long pour être valable.'`);
  await query(`UPDATE permits SET ${sets.join(', ')} WHERE id = $1`, [permitId, ...entries.map(([, v]) => v)]);
}
