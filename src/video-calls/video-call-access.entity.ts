import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type VideoCallAccessStatus = 'ACTIVE' | 'REFUSED' | 'SUSPENDED' | 'WITHDRAWN';

/** A decision on a detainee's access to video calls (history: the latest one holds); motivated unless ACTIVE. */
@Entity('video_call_access')
export class VideoCallAccessEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ type: 'text' }) status!: VideoCallAccessStatus;
  @Column({ name: 'suspended_until', type: 'timestamptz', nullable: true }) suspendedUntil!: Date | null;
  @Column({ type: 'text', nullable: true }) motivation!: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' }) decidedAt!: Date;
  @Column({ name: 'decided_by', type: 'uuid' }) decidedBy!: string;
}
