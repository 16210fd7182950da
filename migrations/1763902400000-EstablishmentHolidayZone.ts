import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which public holidays close an establishment's visits and video calls: the national list, Alsace-Moselle's
 * (Good Friday and 26 December too) or an overseas department's (its day of the abolition of slavery). The
 * zones are those of src/common/public-holidays.ts. Existing establishments get theirs from what is known:
 * the overseas departments from their time zone, Alsace-Moselle from the postal code of their address
 * (57, 67, 68); every other keeps the national list.
 */
export class EstablishmentHolidayZone1763902400000 implements MigrationInterface {
  name = 'EstablishmentHolidayZone1763902400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE establishments ADD COLUMN holiday_zone text NOT NULL DEFAULT 'METROPOLE'`);
    await q.query(`
      ALTER TABLE establishments ADD CONSTRAINT establishments_holiday_zone
        CHECK (holiday_zone IN ('METROPOLE', 'ALSACE_MOSELLE', 'GUADELOUPE', 'MARTINIQUE', 'GUYANE', 'LA_REUNION', 'MAYOTTE'))`);
    await q.query(`
      UPDATE establishments SET holiday_zone = CASE time_zone
        WHEN 'America/Guadeloupe' THEN 'GUADELOUPE'
        WHEN 'America/Martinique' THEN 'MARTINIQUE'
        WHEN 'America/Cayenne' THEN 'GUYANE'
        WHEN 'Indian/Reunion' THEN 'LA_REUNION'
        WHEN 'Indian/Mayotte' THEN 'MAYOTTE'
        ELSE CASE WHEN time_zone = 'Europe/Paris' AND address ~ '\\m(57|67|68)[0-9]{3}\\M' THEN 'ALSACE_MOSELLE' ELSE 'METROPOLE' END
      END`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE establishments DROP CONSTRAINT establishments_holiday_zone`);
    await q.query(`ALTER TABLE establishments DROP COLUMN holiday_zone`);
  }
}
