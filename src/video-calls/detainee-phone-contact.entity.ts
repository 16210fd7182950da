import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person a detainee is authorised to call (number in E.164). A minor takes part only once the consent
 * of the parental-authority holders is recorded: who gave it (`consentGivenBy`), when and by which agent.
 */
@Entity('detainee_phone_contacts')
export class DetaineePhoneContactEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) phone!: string;
  @Column({ type: 'text' }) relationship!: string;
  @Column({ type: 'boolean', default: false }) minor!: boolean;
  @Column({ name: 'consent_given_by', type: 'text', nullable: true }) consentGivenBy!: string | null;
  @Column({ name: 'consent_recorded_at', type: 'timestamptz', nullable: true }) consentRecordedAt!: Date | null;
  @Column({ name: 'consent_recorded_by', type: 'uuid', nullable: true }) consentRecordedBy!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;
}
