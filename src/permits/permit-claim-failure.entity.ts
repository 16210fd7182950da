import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A wrong claim code or identity typed in « Mes permis »: counted per account (attempts limited). */
@Entity('permit_claim_failures')
export class PermitClaimFailure {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'family_account_id', type: 'uuid' }) familyAccountId!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
}
