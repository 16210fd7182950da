import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An establishment's practical information for families (issue 13; issue 16's per-establishment page):
 * the visiting rooms' phone (E.164) and hours, access and transport, lockers, what to bring, dress
 * rules, accessibility. One row per establishment, edited by its administrator or head; the postal
 * address stays `establishments.address` (now limited to 500 characters). An empty field is NULL,
 * never blank, so pages and messages print nothing for it.
 */
export class EstablishmentInfo1763902600000 implements MigrationInterface {
  name = 'EstablishmentInfo1763902600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE establishment_info (
        establishment_id uuid PRIMARY KEY REFERENCES establishments(id) ON DELETE CASCADE,
        parloir_phone text CONSTRAINT establishment_info_phone CHECK (parloir_phone ~ '^\\+[1-9][0-9]{6,14}$'),
        parloir_hours text CONSTRAINT establishment_info_hours CHECK (btrim(parloir_hours) <> '' AND char_length(parloir_hours) <= 1000),
        access text CONSTRAINT establishment_info_access CHECK (btrim(access) <> '' AND char_length(access) <= 2000),
        lockers text CONSTRAINT establishment_info_lockers CHECK (btrim(lockers) <> '' AND char_length(lockers) <= 1000),
        what_to_bring text CONSTRAINT establishment_info_what_to_bring CHECK (btrim(what_to_bring) <> '' AND char_length(what_to_bring) <= 2000),
        dress_code text CONSTRAINT establishment_info_dress_code CHECK (btrim(dress_code) <> '' AND char_length(dress_code) <= 1000),
        accessibility text CONSTRAINT establishment_info_accessibility CHECK (btrim(accessibility) <> '' AND char_length(accessibility) <= 1000),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE establishments ADD CONSTRAINT establishments_address_length CHECK (char_length(address) <= 500)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE establishments DROP CONSTRAINT establishments_address_length`);
    await q.query(`DROP TABLE establishment_info`);
  }
}
