import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A weekly slot of a visiting room (times local to the establishment), valid between two days. */
@Entity('slot_templates')
export class SlotTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'room_id', type: 'uuid' }) roomId!: string;
  /** ISO: 1 = Monday … 7 = Sunday. */
  @Column({ name: 'day_of_week', type: 'integer' }) dayOfWeek!: number;
  @Column({ name: 'start_time', type: 'time' }) startTime!: string;
  @Column({ name: 'end_time', type: 'time' }) endTime!: string;
  @Column({ type: 'integer' }) capacity!: number;
  @Column({ name: 'valid_from', type: 'date' }) validFrom!: string;
  @Column({ name: 'valid_to', type: 'date', nullable: true }) validTo!: string | null;
}
