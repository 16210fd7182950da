import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A booked call's contact is one of the booking's detainee's own contacts: the composite foreign key
 * video_call_bookings (contact_id, detainee_id) → detainee_phone_contacts (id, detainee_id), on the unique
 * key (id, detainee_id) it needs. It replaces the plain key on contact_id, which it implies. A database
 * holding a booking whose contact is another detainee's refuses this migration (to be corrected by hand:
 * no such booking can be made through the application, which books a detainee's own contacts only).
 */
export class VideoCallContactOwner1763902300000 implements MigrationInterface {
  name = 'VideoCallContactOwner1763902300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE detainee_phone_contacts ADD CONSTRAINT detainee_phone_contacts_detainee_unique UNIQUE (id, detainee_id)`);
    await q.query(`
      ALTER TABLE video_call_bookings ADD CONSTRAINT video_call_bookings_contact_owner_fk
        FOREIGN KEY (contact_id, detainee_id) REFERENCES detainee_phone_contacts (id, detainee_id)`);
    await q.query(`ALTER TABLE video_call_bookings DROP CONSTRAINT video_call_bookings_contact_id_fkey`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE video_call_bookings ADD CONSTRAINT video_call_bookings_contact_id_fkey
        FOREIGN KEY (contact_id) REFERENCES detainee_phone_contacts (id)`);
    await q.query(`ALTER TABLE video_call_bookings DROP CONSTRAINT video_call_bookings_contact_owner_fk`);
    await q.query(`ALTER TABLE detainee_phone_contacts DROP CONSTRAINT detainee_phone_contacts_detainee_unique`);
  }
}
