import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type WaitlistStatus = 'WAITING' | 'OFFERED' | 'BOOKED' | 'EXPIRED' | 'DECLINED' | 'LEFT';

/** A family waiting for a place in a full slot (the occurrence of a weekly slot on a day). */
@Entity('visit_waitlist')
export class VisitWaitlistEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ name: 'template_id', type: 'uuid' }) templateId!: string;
  @Column({ type: 'date' }) day!: string;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt!: Date;
  @Column({ name: 'family_account_id', type: 'uuid' }) familyAccountId!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ name: 'permit_ids', type: 'uuid', array: true }) permitIds!: string[];
  @Column({ type: 'text', default: 'WAITING' }) status!: WaitlistStatus;
  @Column({ name: 'offered_at', type: 'timestamptz', nullable: true }) offeredAt!: Date | null;
  @Column({ name: 'offer_expires_at', type: 'timestamptz', nullable: true }) offerExpiresAt!: Date | null;
  @Column({ name: 'visit_id', type: 'uuid', nullable: true }) visitId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
