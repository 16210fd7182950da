import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Establishment } from '../establishments/establishment.entity';
import { Detainee } from './detainee.entity';

export type TransferProposalStatus = 'PENDING' | 'CONFIRMED' | 'DISMISSED';

/**
 * A transfer detected by another establishment's GENESIS import: the detainee seems to have arrived
 * at `toEstablishment` under a new écrou. The detainee's own establishment confirms or dismisses it.
 */
@Entity('detainee_transfer_proposals')
export class DetaineeTransferProposal {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'detainee_id', type: 'uuid' }) detaineeId!: string;
  @ManyToOne(() => Detainee) @JoinColumn({ name: 'detainee_id' }) detainee?: Detainee;
  @Column({ name: 'to_establishment_id', type: 'uuid' }) toEstablishmentId!: string;
  @ManyToOne(() => Establishment) @JoinColumn({ name: 'to_establishment_id' }) toEstablishment?: Establishment;
  @Column({ name: 'new_ecrou', type: 'varchar', length: 20 }) newEcrou!: string;
  @Column({ name: 'detected_at', type: 'timestamptz', default: () => 'now()' }) detectedAt!: Date;
  @Column({ type: 'text', default: 'PENDING' }) status!: TransferProposalStatus;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy!: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
}
