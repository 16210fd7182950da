import type { Appointment, BookInput } from '../../src/appointments/appointments.service';
import { queryOne } from '../helpers/db';
import { openDataSource, services } from '../helpers/notifications';
import { unique } from './people';

/* eslint-disable @typescript-eslint/no-require-imports */
const { SYSTEM_ACTOR } = require('../../dist/src/common/audit.service') as typeof import('../../src/common/audit.service');
/* eslint-enable @typescript-eslint/no-require-imports */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let phones = 0;
const PHONE_BASE = Date.now() % 100_000;
/** A French mobile number of its own (06 12 …), as a person types it and as stored (E.164). */
export function uniquePhone(): { typed: string; e164: string } {
  phones += 1;
  const digits = `${Number(process.env.JEST_WORKER_ID ?? '1') % 10}${String((PHONE_BASE + phones) % 100_000).padStart(5, '0')}`;
  return { typed: `06 12 ${digits.replace(/(\d\d)(?=\d)/g, '$1 ')}`, e164: `+33612${digits}` };
}

export function uniqueEmail(prefix = 'contact'): string {
  return `${unique(`${prefix}-`).toLowerCase()}@example.fr`;
}

/** What to book: an appointment of this establishment in five days, with an e-mail and a phone of its own. */
export function appointmentInput(establishmentId: string, o: Partial<BookInput> = {}): BookInput {
  const startsAt = o.startsAt ?? new Date(Date.now() + 5 * DAY);
  return {
    kind: 'VISIT',
    establishmentId,
    familyAccountId: null,
    contactEmail: uniqueEmail(),
    contactPhone: uniquePhone().typed,
    place: 'Parloir, bâtiment B',
    address: '2 rue du Test, 75000 Paris',
    ...o,
    startsAt,
    endsAt: o.endsAt ?? new Date(startsAt.getTime() + HOUR),
  };
}

/**
 * An appointment booked as the app books it (AppointmentsService, by the system): confirmation and
 * reminders are in the outbox, for the app's worker to deliver.
 */
export async function bookAppointment(input: BookInput): Promise<Appointment> {
  const ds = await openDataSource(2);
  try {
    return await services(ds).appointments.book(SYSTEM_ACTOR, input);
  } finally {
    await ds.destroy();
  }
}

/** An appointment row only (no message, no audit): for pages that list or refuse it. */
export async function insertAppointment(o: {
  establishmentId: string;
  familyAccountId?: string | null;
  startsAt?: Date;
  status?: 'BOOKED' | 'CANCELLED';
  kind?: BookInput['kind'];
}): Promise<{ id: string; reference: string }> {
  const startsAt = o.startsAt ?? new Date(Date.now() + 5 * DAY);
  const cancelled = o.status === 'CANCELLED';
  return queryOne<{ id: string; reference: string }>(
    `INSERT INTO appointments (kind, establishment_id, family_account_id, starts_at, ends_at, place, address, reference, status,
                               cancelled_at, cancel_reason)
     VALUES ($1, $2, $3, $4, $5, 'Parloir', '1 rue du Test', $6, $7, $8, $9) RETURNING id, reference`,
    [
      o.kind ?? 'VISIT',
      o.establishmentId,
      o.familyAccountId ?? null,
      startsAt,
      new Date(startsAt.getTime() + HOUR),
      unique('R').slice(-12),
      o.status ?? 'BOOKED',
      cancelled ? new Date() : null,
      cancelled ? 'Test' : null,
    ],
  );
}
