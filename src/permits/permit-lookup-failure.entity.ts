import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A failed detainee look-up at step 1 of a request: counted per account and per hour (no enumeration). */
@Entity('permit_lookup_failures')
export class PermitLookupFailure {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'family_account_id', type: 'uuid' }) familyAccountId!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
}
