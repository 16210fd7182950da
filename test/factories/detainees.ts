import { queryOne } from '../helpers/db';
import { unique, type DetaineeRow } from './people';

/** The header of a GENESIS population export (docs/genesis-detainees-csv.md). */
export const GENESIS_HEADER = 'numero_ecrou;nom;prenom;date_naissance;categorie_penale';

/** A line of a GENESIS population export for this person (birth date written JJ/MM/AAAA, as GENESIS does). */
export function genesisLine(d: Pick<DetaineeRow, 'ecrouNumber' | 'lastName' | 'firstName' | 'birthDate' | 'legalStatus'>): string {
  const [y, m, day] = d.birthDate.split('-');
  return `${d.ecrouNumber};${d.lastName};${d.firstName};${day}/${m}/${y};${d.legalStatus}`;
}

/** A GENESIS population export: the header, then these lines. */
export function genesisCsv(lines: string[], eol = '\n'): string {
  return [GENESIS_HEADER, ...lines].join(eol);
}

/**
 * A visit booked for this detainee in a week (a room and a slot of its own, no appointment): what
 * the "À revoir" trigger looks at when the detainee leaves.
 */
export async function insertBookedVisit(establishmentId: string, detaineeId: string): Promise<{ id: string }> {
  const room = await queryOne<{ id: string }>(
    `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, $2, 'ORDINARY', 1) RETURNING id`,
    [establishmentId, `Parloir ${unique()}`],
  );
  const slot = await queryOne<{ id: string; startsAt: Date; endsAt: Date }>(
    `INSERT INTO visit_slots (room_id, starts_at, ends_at, capacity, booked)
     VALUES ($1, date_trunc('hour', now()) + interval '7 days', date_trunc('hour', now()) + interval '7 days 1 hour', 1, 1)
     RETURNING id, starts_at AS "startsAt", ends_at AS "endsAt"`,
    [room.id],
  );
  return queryOne<{ id: string }>(
    `INSERT INTO visits (establishment_id, slot_id, detainee_id, reference, channel, during)
     VALUES ($1, $2, $3, $4, 'PHONE', tstzrange($5, $6)) RETURNING id`,
    [establishmentId, slot.id, detaineeId, unique('V').slice(-12), slot.startsAt, slot.endsAt],
  );
}

/** A transfer proposed to the detainee's establishment, as another establishment's import records it. */
export function insertTransferProposal(o: { detaineeId: string; toEstablishmentId: string; newEcrou?: string }): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO detainee_transfer_proposals (detainee_id, to_establishment_id, new_ecrou) VALUES ($1, $2, $3) RETURNING id`,
    [o.detaineeId, o.toEstablishmentId, o.newEcrou ?? unique().slice(-12)],
  );
}
