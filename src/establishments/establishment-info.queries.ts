import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { EstablishmentInfoFields, InfoTexts, TranslationLanguage } from './establishment-info.rules';

/** An establishment's practical information, with its code and name (postal address: its own `address`). */
export interface EstablishmentInfoRow extends EstablishmentInfoFields {
  establishmentId: string;
  code: string;
  name: string;
  /** When the French information was last saved (null: never). */
  updatedAt: Date | null;
}

/** A translation of the information's texts, as stored (NULL: that field not translated). */
export interface InfoTranslationRow extends InfoTexts {
  language: TranslationLanguage;
  /** The French version it was made from. */
  frenchUpdatedAt: Date | null;
}

const COLUMNS = `e.id AS "establishmentId", e.code, e.name, e.address, i.parloir_phone AS "parloirPhone", i.parloir_hours AS "parloirHours",
  i.access, i.lockers, i.what_to_bring AS "whatToBring", i.dress_code AS "dressCode", i.accessibility, i.updated_at AS "updatedAt"`;
const FROM = `establishments e LEFT JOIN establishment_info i ON i.establishment_id = e.id`;

/** One establishment's information (every field NULL when none was ever given); locked for an update with `lock`. */
export function infoOf(db: EntityManager, establishmentId: string, opts: { lock: boolean }): Promise<EstablishmentInfoRow | null> {
  return selectOne<EstablishmentInfoRow>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE e.id = $1 ${opts.lock ? 'FOR UPDATE OF e' : ''}`, [
    establishmentId,
  ]);
}

export function infoByCode(db: EntityManager, code: string): Promise<EstablishmentInfoRow | null> {
  return selectOne<EstablishmentInfoRow>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE e.code = $1`, [code]);
}

/** The information of several establishments (a family's visits). */
export function infoOfMany(db: EntityManager, establishmentIds: string[]): Promise<EstablishmentInfoRow[]> {
  return select<EstablishmentInfoRow>(db, `SELECT ${COLUMNS} FROM ${FROM} WHERE e.id = ANY($1::uuid[])`, [establishmentIds]);
}

/** Writes the information: the postal address on the establishment, the rest in its one row. */
export async function saveInfo(db: EntityManager, establishmentId: string, f: EstablishmentInfoFields): Promise<void> {
  await execute(db, `UPDATE establishments SET address = $2 WHERE id = $1`, [establishmentId, f.address]);
  await execute(
    db,
    `INSERT INTO establishment_info (establishment_id, parloir_phone, parloir_hours, access, lockers, what_to_bring, dress_code, accessibility)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (establishment_id) DO UPDATE SET parloir_phone = EXCLUDED.parloir_phone, parloir_hours = EXCLUDED.parloir_hours,
       access = EXCLUDED.access, lockers = EXCLUDED.lockers, what_to_bring = EXCLUDED.what_to_bring, dress_code = EXCLUDED.dress_code,
       accessibility = EXCLUDED.accessibility, updated_at = now()`,
    [establishmentId, f.parloirPhone, f.parloirHours, f.access, f.lockers, f.whatToBring, f.dressCode, f.accessibility],
  );
}

/** The visiting rooms' phone of an establishment (E.164), or null, in the caller's transaction. */
export async function parloirPhoneOf(db: EntityManager, establishmentId: string): Promise<string | null> {
  const row = await selectOne<{ phone: string }>(db, `SELECT parloir_phone AS phone FROM establishment_info WHERE establishment_id = $1`, [
    establishmentId,
  ]);
  return row?.phone ?? null;
}

const TRANSLATION_COLUMNS = `language, parloir_hours AS "parloirHours", access, lockers, what_to_bring AS "whatToBring", dress_code AS "dressCode",
  accessibility, french_updated_at AS "frenchUpdatedAt"`;

/** Every translation of an establishment's information. */
export function translationsOf(db: EntityManager, establishmentId: string): Promise<InfoTranslationRow[]> {
  return select<InfoTranslationRow>(
    db,
    `SELECT ${TRANSLATION_COLUMNS} FROM establishment_info_translations WHERE establishment_id = $1 ORDER BY language`,
    [establishmentId],
  );
}

/** One translation of an establishment's information, or null. */
export function translationOf(
  db: EntityManager,
  establishmentId: string,
  language: TranslationLanguage,
): Promise<InfoTranslationRow | null> {
  return selectOne<InfoTranslationRow>(
    db,
    `SELECT ${TRANSLATION_COLUMNS} FROM establishment_info_translations WHERE establishment_id = $1 AND language = $2`,
    [establishmentId, language],
  );
}

/** The translations into `language` of several establishments' information (a family's visits). */
export function translationsOfMany(db: EntityManager, establishmentIds: string[], language: TranslationLanguage) {
  return select<InfoTranslationRow & { establishmentId: string }>(
    db,
    `SELECT establishment_id AS "establishmentId", ${TRANSLATION_COLUMNS} FROM establishment_info_translations
     WHERE establishment_id = ANY($1::uuid[]) AND language = $2`,
    [establishmentIds, language],
  );
}

/**
 * Writes a translation made from the French version saved at `frenchUpdatedAt`; a translation left
 * entirely empty is deleted (families then read the French).
 */
export async function saveTranslation(
  db: EntityManager,
  establishmentId: string,
  language: TranslationLanguage,
  texts: InfoTexts,
  frenchUpdatedAt: Date | null,
): Promise<void> {
  if (Object.values(texts).every((v) => v === null)) {
    await execute(db, `DELETE FROM establishment_info_translations WHERE establishment_id = $1 AND language = $2`, [
      establishmentId,
      language,
    ]);
    return;
  }
  await execute(
    db,
    `INSERT INTO establishment_info_translations
       (establishment_id, language, parloir_hours, access, lockers, what_to_bring, dress_code, accessibility, french_updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (establishment_id, language) DO UPDATE SET parloir_hours = EXCLUDED.parloir_hours, access = EXCLUDED.access,
       lockers = EXCLUDED.lockers, what_to_bring = EXCLUDED.what_to_bring, dress_code = EXCLUDED.dress_code,
       accessibility = EXCLUDED.accessibility, french_updated_at = EXCLUDED.french_updated_at, updated_at = now()`,
    [
      establishmentId,
      language,
      texts.parloirHours,
      texts.access,
      texts.lockers,
      texts.whatToBring,
      texts.dressCode,
      texts.accessibility,
      frenchUpdatedAt,
    ],
  );
}
