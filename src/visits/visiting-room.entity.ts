import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ROOM_KINDS = {
  ORDINARY: 'Ordinaire',
  SEPARATION: 'Avec dispositif de séparation',
  ACCESSIBLE: 'Accessible (mobilité réduite)',
} as const;
export type RoomKind = keyof typeof ROOM_KINDS;

/** A visiting room of an establishment, with its cabins or tables (the most visits at once). */
@Entity('visiting_rooms')
export class VisitingRoomEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'establishment_id', type: 'uuid' }) establishmentId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: RoomKind;
  @Column({ type: 'integer' }) cabins!: number;
  @Column({ type: 'boolean', default: true }) active!: boolean;
}
