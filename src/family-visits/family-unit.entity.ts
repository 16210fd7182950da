import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type FamilyVisitKind = 'UVF' | 'PF';

/** A family visit unit (UVF apartment) or family parlour (PF room) of an establishment, with its capacity. */
@Entity('family_units')
export class FamilyUnit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ type: 'text' }) kind!: FamilyVisitKind;
  @Column({ type: 'text' }) name!: string;
  /** The most visitors at once (the establishment's rules). */
  @Column({ type: 'integer' }) capacity!: number;
  @Column({ type: 'boolean', default: false }) accessible!: boolean;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  /** The unit's own rules from the règlement intérieur (forbidden items, hours, what to bring), shown to the family. */
  @Column({ name: 'house_rules', type: 'text', nullable: true }) houseRules!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
