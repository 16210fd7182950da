import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { VideoCallSettings } from './video-call-settings';

/**
 * One version of an establishment's video-call settings (migration VideoCalls): never updated, each
 * change is a new row; the current settings are the highest version; none = NOTE_2020_DEFAULTS.
 */
@Entity('video_call_settings')
export class VideoCallSettingsEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'jsonb' }) settings!: VideoCallSettings;
  @Column({ name: 'valid_from', type: 'timestamptz', default: () => 'now()' }) validFrom!: Date;
  @Column({ name: 'changed_by', type: 'uuid' }) changedBy!: string;
}
