import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A day without visits: the whole establishment, one room, or one weekly slot; families see the reason. */
@Entity('closures')
export class ClosureEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ type: 'date' }) day!: string;
  @Column({ name: 'room_id', type: 'uuid', nullable: true }) roomId!: string | null;
  @Column({ name: 'template_id', type: 'uuid', nullable: true }) templateId!: string | null;
  @Column({ type: 'text' }) reason!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
