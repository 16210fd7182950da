import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An establishment's practical information in the family side's other languages (issue #16): one row
 * per establishment and language, typed by its administrator or head. The postal address and the
 * phone are not translated. A field left empty is NULL (the page then gives the French text, marked as
 * French); `french_updated_at` is the French version the translation was made from, so that the form
 * can say when the French has changed since.
 */
export class EstablishmentInfoTranslations1763903900000 implements MigrationInterface {
  name = 'EstablishmentInfoTranslations1763903900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE establishment_info_translations (
        establishment_id uuid NOT NULL REFERENCES establishments(id) ON DELETE CASCADE,
        language text NOT NULL CONSTRAINT establishment_info_translations_language CHECK (language IN ('en', 'ar', 'es')),
        parloir_hours text CONSTRAINT establishment_info_translations_hours
          CHECK (btrim(parloir_hours) <> '' AND char_length(parloir_hours) <= 1000),
        access text CONSTRAINT establishment_info_translations_access CHECK (btrim(access) <> '' AND char_length(access) <= 2000),
        lockers text CONSTRAINT establishment_info_translations_lockers CHECK (btrim(lockers) <> '' AND char_length(lockers) <= 1000),
        what_to_bring text CONSTRAINT establishment_info_translations_what_to_bring
          CHECK (btrim(what_to_bring) <> '' AND char_length(what_to_bring) <= 2000),
        dress_code text CONSTRAINT establishment_info_translations_dress_code
          CHECK (btrim(dress_code) <> '' AND char_length(dress_code) <= 1000),
        accessibility text CONSTRAINT establishment_info_translations_accessibility
          CHECK (btrim(accessibility) <> '' AND char_length(accessibility) <= 1000),
        french_updated_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (establishment_id, language)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE establishment_info_translations`);
  }
}
