import { Injectable } from '@nestjs/common';
import { formatInTimeZone } from 'date-fns-tz';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { pageInfo, type Page } from '../common/pagination';
import { holidayListLabel } from '../common/public-holidays';
import type { Establishment } from '../establishments/establishment.entity';
import { describeChanges } from './video-call-settings.form';
import {
  currentSettings,
  deactivateDevice,
  type Device,
  deviceNamed,
  devicesOf,
  insertDevice,
  insertSettingsVersion,
  lockDevice,
  lockSettingsOf,
  renameDevice,
  settingsHistory,
} from './video-call-settings.queries';
import { NOTE_2020_DEFAULTS, type VideoCallSettings } from './video-call-settings';

export const HISTORY_PAGE_SIZE = 10;

/** The settings in force: the establishment's latest version, or the note's defaults when it saved none. */
export interface SettingsInForce {
  settings: VideoCallSettings;
  /** null: the defaults of service note n° 267-2020. */
  version: { number: number; validFrom: Date; changedBy: string } | null;
}

export interface HistoryEntry {
  version: number;
  validFrom: Date;
  changedBy: string;
  changes: string[];
}

/** An establishment's video-call settings (versioned, audited) and its call rooms / devices. */
@Injectable()
export class VideoCallSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** What other parts of the module call: the settings that apply now at this establishment. */
  async inForce(establishmentId: string): Promise<SettingsInForce> {
    const current = await currentSettings(this.dataSource.manager, establishmentId);
    return current
      ? { settings: current.settings, version: { number: current.version, validFrom: current.validFrom, changedBy: current.changedBy } }
      : { settings: NOTE_2020_DEFAULTS, version: null };
  }

  /** The settings page: the settings in force, which public holidays close, one page of their history, the devices. */
  async overview(
    establishment: Pick<Establishment, 'id' | 'timeZone' | 'holidayZone'>,
    page: number,
  ): Promise<{ current: SettingsInForce; holidays: string; history: HistoryEntry[]; page: Page; devices: Device[] }> {
    const db = this.dataSource.manager;
    const [current, history, devices] = await Promise.all([
      this.inForce(establishment.id),
      settingsHistory(db, establishment.id, page, HISTORY_PAGE_SIZE),
      devicesOf(db, establishment.id),
    ]);
    const year = Number(formatInTimeZone(this.clock.now(), establishment.timeZone, 'yyyy'));
    return {
      current,
      holidays: holidayListLabel(establishment.holidayZone, year),
      history: history.rows.map((r) => ({
        version: r.version,
        validFrom: r.validFrom,
        changedBy: r.changedBy,
        changes: describeChanges(r.previous ?? NOTE_2020_DEFAULTS, r.settings),
      })),
      page: pageInfo(page, HISTORY_PAGE_SIZE, history.total),
      devices,
    };
  }

  /** Saves the settings as a new version (the previous ones stay as history); nothing when they are unchanged. */
  async save(actor: Actor & { id: string }, establishmentId: string, settings: VideoCallSettings): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      await lockSettingsOf(m, establishmentId);
      const before = (await currentSettings(m, establishmentId))?.settings ?? NOTE_2020_DEFAULTS;
      if (describeChanges(before, settings).length === 0) return false;
      const [saved] = await insertSettingsVersion(m, establishmentId, settings, actor.id);
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_SETTINGS_CHANGED',
          entityType: 'video_call_settings',
          entityId: saved.id,
          establishmentId,
          before,
          after: { version: saved.version, ...settings },
        },
        m,
      );
      return true;
    });
  }

  async addDevice(actor: Actor, establishmentId: string, name: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await lockSettingsOf(m, establishmentId);
      if (await deviceNamed(m, establishmentId, name))
        throw new DomainError('DEVICE_EXISTS', 'Une salle ou un appareil porte déjà ce nom.');
      const id = await insertDevice(m, establishmentId, name);
      await this.audit.record(
        { actor, action: 'VIDEO_CALL_DEVICE_CREATED', entityType: 'video_call_device', entityId: id, establishmentId, after: { name } },
        m,
      );
    });
  }

  /** The establishment's device (404 when it has none with this id: another establishment's is not found). */
  async device(establishmentId: string, id: string): Promise<Device> {
    const device = (await devicesOf(this.dataSource.manager, establishmentId)).find((d) => d.id === id);
    if (!device) throw new DomainError('NO_DEVICE', 'Salle ou appareil introuvable.', 404);
    return device;
  }

  async renameDevice(actor: Actor, establishmentId: string, id: string, name: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await lockSettingsOf(m, establishmentId);
      const device = await lockDevice(m, establishmentId, id);
      if (!device) throw new DomainError('NO_DEVICE', 'Salle ou appareil introuvable.', 404);
      const same = await deviceNamed(m, establishmentId, name);
      if (same && same.id !== id) throw new DomainError('DEVICE_EXISTS', 'Une salle ou un appareil porte déjà ce nom.');
      await renameDevice(m, id, name);
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_DEVICE_RENAMED',
          entityType: 'video_call_device',
          entityId: id,
          establishmentId,
          before: { name: device.name },
          after: { name },
        },
        m,
      );
    });
  }

  /** Deactivates a device: it takes no new booking (the bookings made stay, to be moved by the officer). */
  async deactivateDevice(actor: Actor, establishmentId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const device = await lockDevice(m, establishmentId, id);
      if (!device) throw new DomainError('NO_DEVICE', 'Salle ou appareil introuvable.', 404);
      if (!device.active) return;
      await deactivateDevice(m, id);
      await this.audit.record(
        {
          actor,
          action: 'VIDEO_CALL_DEVICE_DEACTIVATED',
          entityType: 'video_call_device',
          entityId: id,
          establishmentId,
          before: { active: true },
          after: { active: false },
        },
        m,
      );
    });
  }
}
