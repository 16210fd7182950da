import { formatInTimeZone } from 'date-fns-tz';
import type { EntityManager } from 'typeorm';
import { addMonths } from '../common/months';
import { hasMonths, refreshMonths, type ScopedEstablishment } from './oversight.queries';
import { MAX_MONTHS, refreshFrom } from './oversight.rules';

/**
 * Recomputes the months of these establishments up to the current one of each one's clock: the recent
 * months (`recent`; every month of the longest period for an establishment never computed), or every
 * month of the longest period (`all`: the demo data, the national dataset). One statement per
 * establishment, each its own short write.
 */
export async function refreshEstablishments(
  db: EntityManager,
  establishments: Pick<ScopedEstablishment, 'id' | 'timeZone'>[],
  now: Date,
  mode: 'recent' | 'all',
): Promise<void> {
  for (const e of establishments) {
    const thisMonth = formatInTimeZone(now, e.timeZone, 'yyyy-MM');
    const from = mode === 'all' ? addMonths(thisMonth, -(MAX_MONTHS - 1)) : refreshFrom(thisMonth, await hasMonths(db, e.id));
    await refreshMonths(db, e, `${from}-01`, `${addMonths(thisMonth, 1)}-01`, now);
  }
}
