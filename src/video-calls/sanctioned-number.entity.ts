import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A sanction on a phone number: no detainee of the establishment may call it until `until` (null: no
 * end), or until it is lifted early (`lifted_at`, by `lifted_by`, motivated: all three set or none).
 */
@Entity('sanctioned_numbers')
export class SanctionedNumberEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ type: 'text' }) phone!: string;
  @Column({ type: 'timestamptz', nullable: true }) until!: Date | null;
  @Column({ type: 'text' }) motivation!: string;
  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' }) decidedAt!: Date;
  @Column({ name: 'decided_by', type: 'uuid' }) decidedBy!: string;
  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true }) liftedAt!: Date | null;
  @Column({ name: 'lifted_by', type: 'uuid', nullable: true }) liftedBy!: string | null;
  @Column({ name: 'lift_motivation', type: 'text', nullable: true }) liftMotivation!: string | null;
}
