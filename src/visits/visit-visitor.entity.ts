import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CheckStatus, RefusalReason } from './visit-day.rules';

/**
 * A visitor of a visit: a permit holder, or (visits imported from GENESIS) a person kept by name;
 * the arrival check at the visiting room. An exclusion constraint keeps a visitor to one visit at a time.
 */
@Entity('visit_visitors')
export class VisitVisitorEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'visit_id', type: 'uuid' }) visitId!: string;
  @Column({ name: 'permit_id', type: 'uuid', nullable: true }) permitId!: string | null;
  @Column({ type: 'tstzrange' }) during!: string;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ name: 'given_name', type: 'text', nullable: true }) givenName!: string | null;
  @Column({ name: 'family_name', type: 'text', nullable: true }) familyName!: string | null;
  @Column({ type: 'date', nullable: true }) birthdate!: string | null;
  @Column({ name: 'check_status', type: 'text', nullable: true }) checkStatus!: CheckStatus | null;
  @Column({ name: 'refusal_reason', type: 'text', nullable: true }) refusalReason!: RefusalReason | null;
  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true }) checkedAt!: Date | null;
  @Column({ name: 'checked_by', type: 'uuid', nullable: true }) checkedBy!: string | null;
}
