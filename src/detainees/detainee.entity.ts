import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Establishment } from '../establishments/establishment.entity';

/** MIXTE: condamné in one case and prévenu in another; the magistrate stays competent for permits. */
export type LegalStatus = 'PREVENU' | 'CONDAMNE' | 'MIXTE';
export type CustodyStatus = 'PRESENT' | 'LIBERE' | 'TRANSFERE';

@Entity('detainees')
export class Detainee {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @ManyToOne(() => Establishment) @JoinColumn({ name: 'establishment_id' }) establishment?: Establishment;
  @Column({ name: 'ecrou_number', type: 'varchar', length: 20 }) ecrouNumber!: string;
  @Column({ name: 'last_name', type: 'text' }) lastName!: string;
  @Column({ name: 'first_name', type: 'text' }) firstName!: string;
  @Column({ name: 'birth_date', type: 'date' }) birthDate!: string;
  @Column({ name: 'legal_status', type: 'text' }) legalStatus!: LegalStatus;
  @Column({ name: 'custody_status', type: 'text', default: 'PRESENT' }) custodyStatus!: CustodyStatus;
  /** Building / cell, when known (for bringing the detainee down to the visiting room). */
  @Column({ name: 'housing', type: 'text', nullable: true }) housing!: string | null;
  @Column({ name: 'transferred_to_id', type: 'uuid', nullable: true }) transferredToId!: string | null;
  @Column({ name: 'left_at', type: 'timestamptz', nullable: true }) leftAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
