import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The texts of the practical information, in French or in a translation (NULL: not given, or not translated). */
abstract class InfoTextColumns {
  @Column({ name: 'parloir_hours', type: 'text', nullable: true }) parloirHours!: string | null;
  @Column({ type: 'text', nullable: true }) access!: string | null;
  @Column({ type: 'text', nullable: true }) lockers!: string | null;
  @Column({ name: 'what_to_bring', type: 'text', nullable: true }) whatToBring!: string | null;
  @Column({ name: 'dress_code', type: 'text', nullable: true }) dressCode!: string | null;
  @Column({ type: 'text', nullable: true }) accessibility!: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

/**
 * An establishment's practical information for families (checks in the migration): NULL is "not
 * given". The postal address is the establishment's own `address`.
 */
@Entity('establishment_info')
export class EstablishmentInfoRecord extends InfoTextColumns {
  @PrimaryColumn({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  /** E.164, checked with libphonenumber-js when typed. */
  @Column({ name: 'parloir_phone', type: 'text', nullable: true }) parloirPhone!: string | null;
}

/**
 * The practical information's texts in another language of the family side (checks in the migration):
 * NULL is "not translated", and families read the French text. `frenchUpdatedAt` is the French
 * version it was made from.
 */
@Entity('establishment_info_translations')
export class EstablishmentInfoTranslationRecord extends InfoTextColumns {
  @PrimaryColumn({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @PrimaryColumn({ type: 'text' }) language!: 'en' | 'ar' | 'es';
  @Column({ name: 'french_updated_at', type: 'timestamptz', nullable: true }) frenchUpdatedAt!: Date | null;
}
