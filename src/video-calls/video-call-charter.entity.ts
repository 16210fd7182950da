import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The usage charter a detainee signed before first access: the day, and the uploaded scan's storage key. */
@Entity('video_call_charters')
export class VideoCallCharterEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  /** YYYY-MM-DD. */
  @Column({ name: 'signed_on', type: 'date' }) signedOn!: string;
  @Column({ name: 'scan_storage_key', type: 'text', nullable: true }) scanStorageKey!: string | null;
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
  @Column({ name: 'recorded_by', type: 'uuid' }) recordedBy!: string;
}
