import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ESTABLISHMENT_KINDS = {
  MAISON_ARRET: 'Maison d’arrêt',
  CENTRE_DETENTION: 'Centre de détention',
  MAISON_CENTRALE: 'Maison centrale',
  CENTRE_PENITENTIAIRE: 'Centre pénitentiaire',
  ETABLISSEMENT_MINEURS: 'Établissement pour mineurs',
  CENTRE_SEMI_LIBERTE: 'Centre de semi-liberté',
} as const;
export type EstablishmentKind = keyof typeof ESTABLISHMENT_KINDS;

@Entity('establishments')
export class Establishment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 16, unique: true }) code!: string;
  @Column('text') name!: string;
  @Column('text') kind!: EstablishmentKind;
  @Column({ name: 'time_zone', type: 'text', default: 'Europe/Paris' }) timeZone!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
