import { parseDay } from '../common/dates';
import type { PermitOrigin } from './permit.entity';
import { PERMIT_ORIGINS, REGISTER_STATES, type RegisterState } from './permit-register.queries';

/** The register's search and filters, as typed in the query string (anything unknown is no filter). */
export function registerQuery(query: Record<string, unknown>): { search: string; state: RegisterState | ''; origin: PermitOrigin | '' } {
  const search = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
  const state = REGISTER_STATES.find((s) => s === query.statut) ?? '';
  const origin = PERMIT_ORIGINS.find((o) => o === query.origine) ?? '';
  return { search, state, origin };
}

/** The dashboard's statistics period, `du` and `au` (JJ/MM/AAAA or AAAA-MM-JJ, `au` included); invalid days are ignored. */
export function dashboardPeriod(query: Record<string, unknown>): { from?: Date; to?: Date; fromDay: string; toDay: string } {
  const day = (raw: unknown) => (typeof raw === 'string' && raw.trim() ? parseDay(raw.trim()) : null);
  const from = day(query.du);
  const to = day(query.au);
  return {
    from: from ? new Date(`${from}T00:00:00Z`) : undefined,
    to: to ? new Date(new Date(`${to}T00:00:00Z`).getTime() + 86400_000) : undefined,
    fromDay: from ?? '',
    toDay: to ?? '',
  };
}
