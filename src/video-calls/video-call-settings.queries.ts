import type { EntityManager } from 'typeorm';
import { execute, select, selectOne } from '../common/sql';
import type { VideoCallSettings } from './video-call-settings';

/** The SQL of an establishment's video-call settings (versioned) and devices (tables video_call_settings, video_call_devices). */

export interface SettingsVersion {
  id: string;
  version: number;
  settings: VideoCallSettings;
  validFrom: Date;
  changedBy: string;
}

const VERSION_COLUMNS = `s.id, s.version, s.settings, s.valid_from AS "validFrom",
  coalesce(a.first_name || ' ' || a.last_name, '') AS "changedBy"`;

/** The current settings (the highest version), or null when the establishment never saved any. */
export function currentSettings(db: EntityManager, establishmentId: string): Promise<SettingsVersion | null> {
  return selectOne<SettingsVersion>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM video_call_settings s JOIN agents a ON a.id = s.changed_by
      WHERE s.establishment_id = $1 ORDER BY s.version DESC LIMIT 1`,
    [establishmentId],
  );
}

/**
 * Serialises the changes of one establishment's settings: the establishment's row locked (FOR NO KEY
 * UPDATE, which foreign-key checks do not wait for) until the transaction ends.
 */
export async function lockSettingsOf(db: EntityManager, establishmentId: string): Promise<void> {
  await select(db, `SELECT id FROM establishments WHERE id = $1 FOR NO KEY UPDATE`, [establishmentId]);
}

/** A new version after the current one; returns its id and number. */
export function insertSettingsVersion(
  db: EntityManager,
  establishmentId: string,
  settings: VideoCallSettings,
  agentId: string,
): Promise<{ id: string; version: number }[]> {
  return select<{ id: string; version: number }>(
    db,
    `INSERT INTO video_call_settings (establishment_id, version, settings, changed_by)
     SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3 FROM video_call_settings WHERE establishment_id = $1
     RETURNING id, version`,
    [establishmentId, JSON.stringify(settings), agentId],
  );
}

/** One page of the history, newest first, each version with the one before it (null for the first). */
export async function settingsHistory(
  db: EntityManager,
  establishmentId: string,
  page: number,
  pageSize: number,
): Promise<{ total: number; rows: (SettingsVersion & { previous: VideoCallSettings | null })[] }> {
  const [count] = await select<{ total: number }>(
    db,
    `SELECT count(*)::int AS total FROM video_call_settings WHERE establishment_id = $1`,
    [establishmentId],
  );
  const rows = await select<SettingsVersion & { previous: VideoCallSettings | null }>(
    db,
    `SELECT ${VERSION_COLUMNS}, p.settings AS previous
       FROM video_call_settings s JOIN agents a ON a.id = s.changed_by
       LEFT JOIN video_call_settings p ON p.establishment_id = s.establishment_id AND p.version = s.version - 1
      WHERE s.establishment_id = $1 ORDER BY s.version DESC LIMIT $2 OFFSET $3`,
    [establishmentId, pageSize, (page - 1) * pageSize],
  );
  return { total: count.total, rows };
}

export interface Device {
  id: string;
  name: string;
  active: boolean;
}

export function devicesOf(db: EntityManager, establishmentId: string): Promise<Device[]> {
  return select<Device>(
    db,
    `SELECT id, name, active FROM video_call_devices WHERE establishment_id = $1 ORDER BY active DESC, lower(name), id`,
    [establishmentId],
  );
}

/** The establishment's device, locked for a change; null if it has none with this id. */
export function lockDevice(db: EntityManager, establishmentId: string, id: string): Promise<Device | null> {
  return selectOne<Device>(db, `SELECT id, name, active FROM video_call_devices WHERE id = $1 AND establishment_id = $2 FOR UPDATE`, [
    id,
    establishmentId,
  ]);
}

/** The device of the establishment that has this name (case and surrounding spaces aside), if any. */
export function deviceNamed(db: EntityManager, establishmentId: string, name: string): Promise<Device | null> {
  return selectOne<Device>(
    db,
    `SELECT id, name, active FROM video_call_devices WHERE establishment_id = $1 AND lower(trim(name)) = lower(trim($2))`,
    [establishmentId, name],
  );
}

export async function insertDevice(db: EntityManager, establishmentId: string, name: string): Promise<string> {
  const [row] = await select<{ id: string }>(db, `INSERT INTO video_call_devices (establishment_id, name) VALUES ($1, $2) RETURNING id`, [
    establishmentId,
    name,
  ]);
  return row.id;
}

export async function renameDevice(db: EntityManager, id: string, name: string): Promise<void> {
  await execute(db, `UPDATE video_call_devices SET name = $2 WHERE id = $1`, [id, name]);
}

export async function deactivateDevice(db: EntityManager, id: string): Promise<void> {
  await execute(db, `UPDATE video_call_devices SET active = false WHERE id = $1`, [id]);
}
