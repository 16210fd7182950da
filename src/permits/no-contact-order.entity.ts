import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A judicial order forbidding the detainee to contact a person (« interdiction d'entrer en relation »),
 * recorded from the judicial record or declared: while in force, that person cannot be issued a permit.
 */
@Entity('no_contact_orders')
export class NoContactOrder {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @Column({ name: 'person_given_name', type: 'text' }) personGivenName!: string;
  @Column({ name: 'person_family_name', type: 'text' }) personFamilyName!: string;
  @Column({ name: 'person_birthdate', type: 'date', nullable: true }) personBirthdate!: string | null;
  @Column({ type: 'text' }) source!: 'JUDICIAL_RECORD' | 'DECLARED';
  /** The court or magistrate and the decision (e.g. « JLD de Lyon, ordonnance du 2 mars 2026 »). */
  @Column({ type: 'text' }) authority!: string;
  @Column({ name: 'valid_until', type: 'date', nullable: true }) validUntil!: string | null;
  @Column({ name: 'recorded_by', type: 'uuid' }) recordedBy!: string;
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}
