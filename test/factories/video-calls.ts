import { queryOne } from '../helpers/db';

/** Video-call rows straight in the test database (migration VideoCalls). */

export function insertDevice(establishmentId: string, name: string): Promise<{ id: string }> {
  return queryOne<{ id: string }>(`INSERT INTO video_call_devices (establishment_id, name) VALUES ($1, $2) RETURNING id`, [
    establishmentId,
    name,
  ]);
}

/** An authorised adult contact of the detainee, recorded by this agent. */
export function insertContact(detaineeId: string, agentId: string, o: { name?: string; phone?: string } = {}): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO detainee_phone_contacts (detainee_id, name, phone, relationship, created_by) VALUES ($1, $2, $3, 'Sœur', $4) RETURNING id`,
    [detaineeId, o.name ?? 'Thị Lan Nguyễn', o.phone ?? '+33612345678', agentId],
  );
}

/** A booking (status BOOKED, no-plan prices, the cost of 30 minutes blocked) on this slot, a tstzrange literal. */
export function insertBooking(o: {
  establishmentId: string;
  detainee: { id: string; contact: string };
  deviceId: string;
  slot: string;
  agentId: string;
}): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO video_call_bookings (establishment_id, detainee_id, contact_id, device_id, slot, plan_code, cents_per_minute, connection_cents,
                                      blocked_cents, booked_by)
     VALUES ($1, $2, $3, $4, $5, 'NONE', 30, 14, 914, $6) RETURNING id`,
    [o.establishmentId, o.detainee.id, o.detainee.contact, o.deviceId, o.slot, o.agentId],
  );
}
