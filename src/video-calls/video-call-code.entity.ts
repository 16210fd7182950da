import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The contact's code for a booking: only its hash is kept; single use; at most 5 wrong attempts, then locked. */
@Entity('video_call_codes')
export class VideoCallCodeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'booking_id', type: 'uuid' }) bookingId!: string;
  @Column({ name: 'code_hash', type: 'text' }) codeHash!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true }) usedAt!: Date | null;
  @Column({ name: 'failed_attempts', type: 'integer', default: 0 }) failedAttempts!: number;
}
