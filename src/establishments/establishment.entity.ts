import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { HolidayZone } from '../common/public-holidays';
import type { Direction } from '../auth/roles';

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
  /** Postal address, phone and e-mail of the establishment: what an acknowledgement must give (CRPA R112-5). */
  @Column({ type: 'text', nullable: true }) address!: string | null;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ type: 'text', nullable: true }) email!: string | null;
  /** The interregional direction a recours hiérarchique goes to (name and address). */
  @Column({ name: 'interregional_direction', type: 'text', nullable: true }) interregionalDirection!: string | null;
  /** The same direction as a code, for the national and interregional views (src/oversight). */
  @Column({ type: 'text', nullable: true }) direction!: Direction | null;
  @Column({ name: 'time_zone', type: 'text', default: 'Europe/Paris' }) timeZone!: string;
  /** Which public holidays close the establishment's visits and video calls (common/public-holidays.ts). */
  @Column({ name: 'holiday_zone', type: 'text', default: 'METROPOLE' }) holidayZone!: HolidayZone;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
